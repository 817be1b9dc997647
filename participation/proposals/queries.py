"""Read-only queries for proposal pages, each with a fixed number of SQL statements."""
from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager, joinedload

from participation.accounts.permissions import is_moderator
from participation.cases.models import AWAITING_STATES, Case, CaseState, Position
from participation import cache
from participation.clock import riga_today
from participation.extensions import db
from participation.proposals.models import Moderation, Proposal, ProposalStatus

PER_PAGE = 20
STATES = ("awaiting", "answered", "accepted", "implemented", "overdue")
SORTS = ("newest", "supported", "deadline")


def _searchable_by(viewer):
    """Whose hidden text a search may match (issue 14, item 1): a moderator's search reads every hidden proposal,
    an author's their own, anyone else's none, so hidden text cannot be recovered by searching for it."""
    if is_moderator(viewer):
        return None, "moderator"
    if getattr(viewer, "is_authenticated", False):
        return or_(Proposal.hidden_at.is_(None), Proposal.author_id == viewer.id), f"user:{viewer.id}"
    return Proposal.hidden_at.is_(None), "public"


def public_list(page=1, institution_id=None, territory=None, topic=None, state=None, sort="newest", search="", group_id=None,
                viewer=None):
    """Public, submitted, approved proposals that were not merged away, filtered and sorted. Pending proposals are
    never listed; a search matches hidden ones only for who may read their text (`viewer`)."""
    query = (
        select(Proposal)
        .join(Proposal.case)
        # The institution holding the case too: a forwarded proposal's card names where it is now.
        .options(contains_eager(Proposal.case).joinedload(Case.institution), joinedload(Proposal.institution),
                 joinedload(Proposal.group))
        .where(
            Proposal.status == ProposalStatus.SUBMITTED,
            Proposal.moderation == Moderation.APPROVED,
            Proposal.merged_into_id.is_(None),
        )
    )
    if institution_id:
        query = query.where(Proposal.institution_id == institution_id)
    if group_id:
        query = query.where(Proposal.group_id == group_id)
    if territory:
        query = query.where(Proposal.territory == territory)
    if topic:
        query = query.where(Proposal.topics.contains(f" {topic} "))
    searcher = None
    if search:
        pattern = f"%{search.strip()}%"
        query = query.where(or_(Proposal.title.ilike(pattern), Proposal.problem.ilike(pattern), Proposal.solution.ilike(pattern)))
        visible, searcher = _searchable_by(viewer)
        if visible is not None:
            query = query.where(visible)
    if state == "awaiting":
        query = query.where(Case.state.in_(AWAITING_STATES))
    elif state == "answered":
        query = query.where(Case.state.in_((CaseState.ANSWERED, CaseState.NOT_EXAMINED)))
    elif state == "accepted":
        query = query.where(Case.position.in_((Position.ACCEPTED, Position.PARTLY_ACCEPTED)))
    elif state == "implemented":
        query = query.where(Case.implemented_on.is_not(None))
    elif state == "overdue":
        query = query.where(Case.state.in_(AWAITING_STATES), Case.due_on < riga_today())
    if sort == "supported":
        query = query.order_by(Proposal.support_count.desc(), Proposal.submitted_at.desc(), Proposal.id.desc())
    elif sort == "deadline":
        awaiting_first = Case.state.in_(AWAITING_STATES).desc()
        query = query.order_by(awaiting_first, Case.due_on, Proposal.id)
    else:
        query = query.order_by(Proposal.submitted_at.desc(), Proposal.id.desc())
    # The total of a national list is counted at most once per period and worker (participation/cache.py).
    return cache.paginate(query, page, PER_PAGE, key=("proposals", institution_id, territory, topic, state, search, group_id,
                                                           searcher))


def pending_moderation(page=1):
    query = (
        select(Proposal)
        .where(Proposal.status == ProposalStatus.SUBMITTED, Proposal.moderation == Moderation.PENDING)
        .options(joinedload(Proposal.institution), joinedload(Proposal.author), joinedload(Proposal.group))
        .order_by(Proposal.submitted_at)
    )
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)


def mine(user_id: int, page=1):
    query = (
        select(Proposal)
        .where(Proposal.author_id == user_id)
        .options(joinedload(Proposal.institution), joinedload(Proposal.case).joinedload(Case.institution), joinedload(Proposal.group))
        .order_by(Proposal.updated_at.desc(), Proposal.id.desc())
    )
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)


def proposal_for_page(proposal_id: int) -> Proposal | None:
    return db.session.scalars(
        select(Proposal)
        .where(Proposal.id == proposal_id)
        .options(
            joinedload(Proposal.institution),
            joinedload(Proposal.author),
            joinedload(Proposal.group),
            joinedload(Proposal.case).joinedload(Case.institution),
            joinedload(Proposal.merged_into),
        )
    ).first()
