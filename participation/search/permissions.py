"""Who may find what: the same rules as the pages, as one SQL condition over the search documents."""
from sqlalchemy import and_, or_, select

from participation.accounts.permissions import is_moderator
from participation.institutions.models import Membership, StaffRole
from participation.search.models import SearchDocument as D, Visibility as V


def can_find(user):
    """Everyone finds what is public; the author their own pending, hidden or draft item and their private case;
    moderators what is pending or hidden; an institution's staff its private cases, its editors its unpublished
    consultations. (Pending website feedback and private feedback are not indexed at all.) Membership is read inside
    the same statement: no extra query."""
    if not getattr(user, "is_authenticated", False):
        return D.visibility == V.PUBLIC
    either = [D.visibility == V.PUBLIC,
              and_(D.author_id == user.id, D.visibility.in_([V.PENDING, V.HIDDEN, V.OWN, V.STAFF]))]
    if is_moderator(user):
        either.append(D.visibility.in_([V.PENDING, V.HIDDEN]))
    # As on the pages (cases.permissions.can_view_case, consultations.permissions.can_view_consultation): a platform
    # administrator is no institution's staff.
    staff = select(Membership.institution_id).where(Membership.user_id == user.id)
    editors = staff.where(Membership.role.in_([StaffRole.EDITOR, StaffRole.ADMIN]))
    either.append(and_(D.visibility == V.STAFF, D.institution_id.in_(staff)))
    either.append(and_(D.visibility == V.EDITORS, D.institution_id.in_(editors)))
    return or_(*either)
