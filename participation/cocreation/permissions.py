"""Who may do what in a co-creation process. Views, services and templates ask here.

The working group is the municipality's staff (by their office) and the residents and groups invited to it, each with a
role: a coordinator runs the process, a member answers ideas and decides amendments, an adviser takes part only."""
from dataclasses import dataclass

from sqlalchemy import or_, select

from participation.accounts.permissions import can_write
from participation.cocreation.models import Amendment, AmendmentState, CoCreation, Idea, MemberRole, Stage, WorkingGroupMember
from participation.extensions import db
from participation.groups.models import GroupMember, MemberStatus
from participation.groups.models import Group
from participation.institutions.permissions import staff_access


@dataclass(frozen=True)
class Access:
    """What one person may do in one process, read once per request."""

    staff_manage: bool = False  # the municipality's editors, responders and administrators
    staff: bool = False
    role: MemberRole | None = None  # as an invited member (their own or through their group)

    @property
    def in_working_group(self) -> bool:
        return self.staff or self.role is not None

    @property
    def can_manage(self) -> bool:
        return self.staff_manage or self.role == MemberRole.COORDINATOR

    @property
    def can_decide(self) -> bool:
        return self.can_manage or self.role == MemberRole.MEMBER


_RANK = {MemberRole.ADVISER: 0, MemberRole.MEMBER: 1, MemberRole.COORDINATOR: 2}


def access(user, process: CoCreation) -> Access:
    if not getattr(user, "is_authenticated", False):
        return Access()
    staff = staff_access(user, process.institution)
    my_groups = (select(GroupMember.group_id).where(GroupMember.user_id == user.id, GroupMember.status == MemberStatus.APPROVED)
                 .union(select(Group.id).where(Group.leader_id == user.id)))
    roles = db.session.scalars(
        select(WorkingGroupMember.role).outerjoin(Group, Group.id == WorkingGroupMember.group_id)
        .where(WorkingGroupMember.process_id == process.id,
               or_(WorkingGroupMember.user_id == user.id,
                   WorkingGroupMember.group_id.in_(my_groups) & Group.hidden_at.is_(None)))
    ).all()
    role = max(roles, key=lambda r: _RANK[MemberRole(r)]) if roles else None
    return Access(staff_manage=staff.can_edit_content or staff.can_answer_cases, staff=staff.is_staff,
                  role=MemberRole(role) if role else None)


def can_create(user, institution) -> bool:
    """The municipality's editors, responders and administrators (who then run it) start a process."""
    from participation.institutions.models import InstitutionKind

    if institution.kind != InstitutionKind.MUNICIPALITY:
        return False
    staff = staff_access(user, institution)
    return staff.can_edit_content or staff.can_answer_cases


def can_manage(user, process: CoCreation) -> bool:
    return access(user, process).can_manage


def can_decide(user, process: CoCreation) -> bool:
    return access(user, process).can_decide


def can_post_idea(user, process: CoCreation) -> bool:
    return process.stage == Stage.IDEAS and can_write(user)


def can_support(user, idea: Idea) -> bool:
    return (idea.process.stage == Stage.IDEAS and can_write(user) and not idea.is_hidden and not idea.is_pending
            and idea.author_id != user.id)


def can_amend(user, process: CoCreation) -> bool:
    return process.stage == Stage.DRAFTING and can_write(user)


def can_endorse(user, amendment: Amendment) -> bool:
    return (amendment.process.stage == Stage.DRAFTING and amendment.state == AmendmentState.EVALUATING and can_write(user)
            and not amendment.is_hidden and not amendment.is_pending and amendment.author_id != user.id)


def can_withdraw(user, amendment: Amendment) -> bool:
    return (getattr(user, "is_authenticated", False) and amendment.author_id == user.id and not amendment.is_offline
            and amendment.state == AmendmentState.EVALUATING)
