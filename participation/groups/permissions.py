"""Group rules. Channels ask `can_act_for_group` before letting someone write on a group's behalf."""
from sqlalchemy import select

from participation.extensions import db
from participation.groups.models import Group, GroupMember, MemberStatus


def is_approved_member(user, group: Group) -> bool:
    if not getattr(user, "is_authenticated", False) or group is None:
        return False
    if group.is_hidden:  # a group a moderator hid (e.g. posing as another) speaks for no one
        return False
    if group.leader_id == user.id:
        return True
    status = db.session.scalar(
        select(GroupMember.status).where(GroupMember.group_id == group.id, GroupMember.user_id == user.id)
    )
    return status == MemberStatus.APPROVED


def can_act_for_group(user, group: Group) -> bool:
    """May this user submit, comment or support on the group's behalf? Approved members and the leader may."""
    return is_approved_member(user, group)


def can_manage_members(user, group: Group) -> bool:
    """The leader approves and removes members (a platform administrator may step in)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return group.leader_id == user.id or user.is_admin


def can_create_group(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_verified and not user.is_blocked())


def can_verify_group(user, group: Group) -> bool:
    """A platform administrator confirms a group (the model does not know the municipality a council belongs to)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_admin and not group.is_verified)


def can_join_group(user, group: Group) -> bool:
    """Anyone signed in may ask to join; the leader then decides."""
    return bool(getattr(user, "is_authenticated", False))
