"""Who may do what for an institution; asked by views, services and templates alike."""
from sqlalchemy import select

from participation.extensions import db
from participation.institutions.models import Institution, Membership, StaffRole


def staff_roles(user, institution: Institution) -> set[StaffRole]:
    if not getattr(user, "is_authenticated", False) or institution is None:
        return set()
    return set(
        db.session.scalars(
            select(Membership.role).where(Membership.user_id == user.id, Membership.institution_id == institution.id)
        )
    )


def is_staff(user, institution: Institution) -> bool:
    return bool(staff_roles(user, institution))


def can_answer_cases(user, institution: Institution) -> bool:
    """Responders and institution administrators answer, extend and forward cases."""
    return bool(staff_roles(user, institution) & {StaffRole.RESPONDER, StaffRole.ADMIN})


def can_edit_content(user, institution: Institution) -> bool:
    """Editors and institution administrators publish on the institution's behalf."""
    return bool(staff_roles(user, institution) & {StaffRole.EDITOR, StaffRole.ADMIN})


def can_manage_staff(user, institution: Institution) -> bool:
    if getattr(user, "is_authenticated", False) and user.is_admin:
        return True
    return StaffRole.ADMIN in staff_roles(user, institution)


def can_create_institution(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_admin)
