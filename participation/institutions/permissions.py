"""Who may do what for an institution; asked by views, services and templates alike."""
from dataclasses import dataclass

from sqlalchemy import bindparam, select

from participation.extensions import db
from participation.institutions.models import Institution, Membership, StaffRole


_ROLES = select(Membership.role).where(Membership.user_id == bindparam("user_id"),
                                      Membership.institution_id == bindparam("institution_id"))


def staff_roles(user, institution: Institution) -> set[StaffRole]:
    if not getattr(user, "is_authenticated", False) or institution is None:
        return set()
    return set(db.session.scalars(_ROLES, {"user_id": user.id, "institution_id": institution.id}))


@dataclass(frozen=True)
class StaffAccess:
    """What someone may do for one institution, from one reading of their roles (a page that asks several
    questions reads them once)."""

    roles: frozenset
    platform_admin: bool = False

    @property
    def is_staff(self) -> bool:
        return bool(self.roles)

    @property
    def can_answer_cases(self) -> bool:
        """Responders and institution administrators answer, extend and forward cases."""
        return bool(self.roles & {StaffRole.RESPONDER, StaffRole.ADMIN})

    @property
    def can_edit_content(self) -> bool:
        """Editors and institution administrators publish on the institution's behalf."""
        return bool(self.roles & {StaffRole.EDITOR, StaffRole.ADMIN})

    @property
    def can_manage_staff(self) -> bool:
        return self.platform_admin or StaffRole.ADMIN in self.roles


def staff_access(user, institution: Institution) -> StaffAccess:
    return StaffAccess(frozenset(staff_roles(user, institution)),
                       bool(getattr(user, "is_authenticated", False) and user.is_admin))


def is_staff(user, institution: Institution) -> bool:
    return staff_access(user, institution).is_staff


def can_answer_cases(user, institution: Institution) -> bool:
    return staff_access(user, institution).can_answer_cases


def can_edit_content(user, institution: Institution) -> bool:
    return staff_access(user, institution).can_edit_content


def can_manage_staff(user, institution: Institution) -> bool:
    return staff_access(user, institution).can_manage_staff


def can_create_institution(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_admin)
