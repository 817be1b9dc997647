"""Group actions: create, ask to join, approve, leave; and the groups a user may act for."""
import re
import unicodedata

from participation.i18n import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from participation.accounts.models import User
from participation.clock import utcnow
from participation.extensions import db
from participation.groups.models import Group, GroupKind, GroupMember, MemberStatus, name_key


class AlreadyMember(ValueError):
    pass


class LeaderCannotLeave(ValueError):
    pass


class GroupNameTaken(ValueError):
    """Another group has this name, ignoring case and diacritics (issue 14, item 5: no one speaks as another group)."""

    def __str__(self) -> str:
        return _("A group with this name already exists. If it is yours, ask its leader to add you as a member.")


def shown_name(group) -> str:
    """The name a group's contributions show: a group a moderator hid (e.g. one posing as another) shows its number."""
    return _("Group no. %(number)d", number=group.id) if group.is_hidden else group.name


def name_taken(name: str) -> bool:
    return db.session.scalar(select(Group.id).where(Group.name_key == name_key(name))) is not None


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:70] or "group"


RESERVED_SLUGS = {"new"}  # words the group routes use


def _unique_slug(name: str) -> str:
    base = slugify(name)
    if base in RESERVED_SLUGS:
        base = f"{base}-group"
    slug, n = base, 1
    while db.session.scalar(select(Group.id).where(Group.slug == slug)) is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_group(leader: User, name: str, kind: GroupKind, description: str = "") -> Group:
    """A new group led by `leader`; refused (GroupNameTaken) when another group's name reads the same. The unique
    index on name_key decides between two requests at once."""
    if name_taken(name):
        raise GroupNameTaken()
    group = Group(slug=_unique_slug(name), name=name.strip(), name_key=name_key(name), kind=kind, description=description,
                  leader=leader)
    db.session.add(group)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise GroupNameTaken() from None
    db.session.add(GroupMember(group=group, user=leader, status=MemberStatus.APPROVED, approved_at=utcnow()))
    db.session.commit()
    return group


def verify_group(group: Group, admin: User) -> None:
    """A platform administrator confirms the group is who it says it is: its contributions carry the mark. Logged in
    the moderation audit log."""
    from participation.moderation.services import record_action
    from participation.moderation.models import ActionKind

    if group.verified_at is not None:
        return
    group.verified_at = utcnow()
    group.verified_by_id = admin.id
    record_action(ActionKind.VERIFY, admin, group)
    db.session.commit()


def request_membership(group: Group, user: User) -> GroupMember:
    existing = membership_of(group, user)
    if existing is not None:
        raise AlreadyMember()
    member = GroupMember(group=group, user=user, status=MemberStatus.PENDING)
    db.session.add(member)
    db.session.commit()
    return member


def approve_member(member: GroupMember) -> None:
    member.status = MemberStatus.APPROVED
    member.approved_at = utcnow()
    db.session.commit()


def remove_member(member: GroupMember) -> None:
    if member.user_id == member.group.leader_id:
        raise LeaderCannotLeave()
    db.session.delete(member)
    db.session.commit()


def membership_of(group: Group, user: User) -> GroupMember | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalars(
        select(GroupMember).where(GroupMember.group_id == group.id, GroupMember.user_id == user.id)
    ).first()


def members(group: Group) -> list[GroupMember]:
    return list(
        db.session.scalars(
            select(GroupMember)
            .where(GroupMember.group_id == group.id)
            .join(GroupMember.user)
            .options(contains_eager(GroupMember.user))
            .order_by(GroupMember.status, User.display_name)
        )
    )


def groups_user_can_act_for(user: User) -> list[Group]:
    """For channels' "on behalf of" choices: every group where the user is an approved member."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        db.session.scalars(
            select(Group)
            .join(GroupMember, GroupMember.group_id == Group.id)
            .where(GroupMember.user_id == user.id, GroupMember.status == MemberStatus.APPROVED)
            .order_by(Group.name)
        )
    )
