"""Who may write, see, support, moderate and merge proposals."""
from participation.accounts.permissions import can_write, is_moderator
from participation.groups.permissions import can_act_for_group
from participation.institutions.permissions import can_manage_staff, is_staff
from participation.proposals.models import Proposal, ProposalStatus


def can_write_proposals(user) -> bool:
    """Signed in with a confirmed e-mail address (the receipt and the answers go there), not blocked."""
    return can_write(user) and user.is_verified


def can_edit_draft(user, proposal: Proposal) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and proposal.status == ProposalStatus.DRAFT
        and proposal.author_id == user.id
    )


def can_submit_for(user, group) -> bool:
    """Only an approved member submits on a group's behalf."""
    return group is None or can_act_for_group(user, group)


def can_view_proposal(user, proposal: Proposal) -> bool:
    if proposal.is_public:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if proposal.author_id == user.id:
        return True
    if proposal.status == ProposalStatus.DRAFT:
        return False
    holder = proposal.case.institution if proposal.case is not None else proposal.institution  # after a forward
    return is_moderator(user) or is_staff(user, proposal.institution) or is_staff(user, holder) or (
        proposal.group is not None and can_act_for_group(user, proposal.group)
    )


def can_support(user, proposal: Proposal) -> bool:
    """Verified residents support while the proposal collects supports."""
    return can_write(user) and user.is_verified and proposal.is_collecting


def can_withdraw(user, proposal: Proposal) -> bool:
    """A supporter may take their support back while the proposal collects supports."""
    return can_write(user) and proposal.is_collecting


def can_moderate(user) -> bool:
    return is_moderator(user)


def can_merge(user, duplicate: Proposal) -> bool:
    return is_moderator(user) and duplicate.is_public and duplicate.merged_into_id is None


def can_edit_settings(user, institution) -> bool:
    """The institution's administrator decides on pre-moderation and the collective threshold."""
    return can_manage_staff(user, institution)
