"""Who may report, ask for a review, see hidden text and moderate."""
from participation.accounts.permissions import can_write, is_moderator, is_platform_admin


def can_moderate(user) -> bool:
    return is_moderator(user)


def can_view_audit_log(user) -> bool:
    """The internal audit log (who did what) is for moderators and platform administrators."""
    return is_moderator(user) or is_platform_admin(user)


def is_author(user, item) -> bool:
    return bool(getattr(user, "is_authenticated", False) and item.author_id == user.id)


def can_see_text(user, item) -> bool:
    """Hidden text stays readable to its author and to moderators; everyone else sees the notice.
    (Who may see a contribution waiting for approval is the channel's query and permission.)"""
    if not item.is_hidden:
        return True
    return is_author(user, item) or is_moderator(user)


def can_see(user, item) -> bool:
    """A contribution waiting for approval is seen only by its author and moderators (lists that cannot
    filter in SQL, such as the replies loaded under a comment, ask here)."""
    return not item.is_pending or is_author(user, item) or is_moderator(user)


def can_report(user, item) -> bool:
    """Any signed-in person who may write reports what others wrote while it is shown."""
    return can_write(user) and not is_author(user, item) and not item.is_hidden and not item.is_pending


def can_request_review(user, item) -> bool:
    """The author of a hidden contribution may ask for it to be looked at again (a blocked author too)."""
    return is_author(user, item) and item.is_hidden


def is_resident(target) -> bool:
    """No platform role and no institution membership: the only accounts a moderator may block (issue 14, item 6)."""
    if target.is_moderator or target.is_admin:
        return False
    from sqlalchemy import exists, select

    from participation.extensions import db
    from participation.institutions.models import Membership

    return not db.session.scalar(select(exists().where(Membership.user_id == target.id)))


def can_block(user, target) -> bool:
    """Moderators block (and unblock) residents only; staff, moderators and administrators only a platform
    administrator may block. Nobody blocks themself."""
    if not is_moderator(user) or target.id == user.id:
        return False
    return is_platform_admin(user) or is_resident(target)
