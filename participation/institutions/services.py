"""Institution actions and the public accountability figures."""
from sqlalchemy import bindparam, select
from sqlalchemy.orm import contains_eager

from participation.accounts.models import User
from participation.extensions import db
from participation.institutions.models import Institution, InstitutionKind, Membership, StaffRole


class AlreadyStaff(ValueError):
    pass


def create_institution(slug: str, name: str, kind: InstitutionKind, description: str = "", website: str = "") -> Institution:
    institution = Institution(slug=slug, name=name, kind=kind, description=description, website=website)
    db.session.add(institution)
    db.session.commit()
    return institution


def add_staff(institution: Institution, user: User, role: StaffRole) -> Membership:
    exists = db.session.scalars(
        select(Membership).where(
            Membership.institution_id == institution.id, Membership.user_id == user.id, Membership.role == role
        )
    ).first()
    if exists is not None:
        raise AlreadyStaff()
    membership = Membership(institution=institution, user=user, role=role)
    db.session.add(membership)
    db.session.commit()
    return membership


def remove_staff(membership: Membership) -> None:
    db.session.delete(membership)
    db.session.commit()


def staff_list(institution: Institution) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.institution_id == institution.id)
            .join(Membership.user)
            .options(contains_eager(Membership.user))
            .order_by(User.display_name, Membership.role)
        )
    )


def list_institutions() -> list[Institution]:
    return list(db.session.scalars(select(Institution).order_by(Institution.name)))


def institution_choices() -> list[tuple[int, str]]:
    """(id, name) of every institution by name, for the lists' filters (read once per cache period per worker)."""
    from participation import cache

    return cache.cached(("institution-choices",), lambda: [(i.id, i.name) for i in list_institutions()])


_BY_SLUG = select(Institution).where(Institution.slug == bindparam("slug"))  # built once: read on every page of one


def institution_by_slug(slug: str) -> Institution | None:
    return db.session.scalars(_BY_SLUG, {"slug": slug}).first()


def memberships_of(user: User) -> list[Membership]:
    """A staff member's roles, for their profile page."""
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.user_id == user.id)
            .join(Membership.institution)
            .options(contains_eager(Membership.institution))
            .order_by(Institution.name, Membership.role)
        )
    )


def editable_institutions(user: User) -> list[Institution]:
    """Institutions where the user is an editor or administrator (one query)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        db.session.scalars(
            select(Institution)
            .join(Membership, Membership.institution_id == Institution.id)
            .where(Membership.user_id == user.id, Membership.role.in_((StaffRole.EDITOR, StaffRole.ADMIN)))
            .distinct()
            .order_by(Institution.name)
        )
    )
