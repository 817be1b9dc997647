"""Who may find what: the same rules as the pages, as one SQL condition over the search documents."""
from sqlalchemy import and_, or_, select

from participation.accounts.permissions import is_moderator
from participation.institutions.models import Membership, StaffRole
from participation.search.models import SearchDocument as D, Visibility as V

PUBLIC, SIGNED_IN, MODERATOR = "public", "signed-in", "moderator"


def finder(user) -> str:
    """Which rule `can_find_as` applies to the user: PUBLIC (signed out), SIGNED_IN or MODERATOR."""
    if not getattr(user, "is_authenticated", False):
        return PUBLIC
    return MODERATOR if is_moderator(user) else SIGNED_IN


def can_find(user):
    """Everyone finds what is public; the author their own pending, hidden or draft item and their private case;
    moderators what is pending or hidden; an institution's staff its private cases, its editors its unpublished
    consultations. (Pending website feedback and private feedback are not indexed at all.) Membership is read inside
    the same statement: no extra query."""
    role = finder(user)
    return can_find_as(role, None if role == PUBLIC else user.id)


def can_find_as(role: str, user_id):
    """`can_find` for a `finder` role and a user id: a value, or a bound parameter of a statement built once for
    every user of the role (search.services)."""
    if role == PUBLIC:
        return D.visibility == V.PUBLIC
    either = [D.visibility == V.PUBLIC,
              and_(D.author_id == user_id, D.visibility.in_([V.PENDING, V.HIDDEN, V.OWN, V.STAFF]))]
    if role == MODERATOR:
        either.append(D.visibility.in_([V.PENDING, V.HIDDEN]))
    # As on the pages (cases.permissions.can_view_case, consultations.permissions.can_view_consultation): a platform
    # administrator is no institution's staff.
    staff = select(Membership.institution_id).where(Membership.user_id == user_id)
    editors = staff.where(Membership.role.in_([StaffRole.EDITOR, StaffRole.ADMIN]))
    either.append(and_(D.visibility == V.STAFF, D.institution_id.in_(staff)))
    either.append(and_(D.visibility == V.EDITORS, D.institution_id.in_(editors)))
    return or_(*either)
