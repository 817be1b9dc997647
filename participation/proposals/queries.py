"""Read-only queries for proposal pages, each with a fixed number of SQL statements."""
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from participation.accounts.permissions import is_moderator
from participation.cases.models import AWAITING_STATES, Case, CaseState, Position
from participation import cache, counters
from participation.clock import riga_today
from participation.extensions import db
from participation.pages import count_rows, page_by_keys
from participation.proposals import rows
from participation.proposals.models import DUE_KEY, LISTED, Moderation, Proposal, ProposalStatus

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


# Each order of the list: its keys (one direction, the id last) and whether it is descending. Each has a partial index
# of listed proposals in that order (models.py), so a page is one short index range (pages.page_by_keys). "Nearest
# deadline first" is awaiting cases first, the nearest due date first: NOT case_awaiting ascending puts them first.
ORDERS = {
    "newest": ([Proposal.submitted_at, Proposal.id], True),
    "supported": ([Proposal.support_count, Proposal.submitted_at, Proposal.id], True),
    "deadline": ([~Proposal.case_awaiting, DUE_KEY, Proposal.id], False),
}


def public_list(page=1, institution_id=None, territory=None, topic=None, state=None, sort="newest", search="", group_id=None,
                viewer=None, after=None, before=None):
    """Public, submitted, approved proposals that were not merged away, filtered and sorted. Pending proposals are
    never listed; a search matches hidden ones only for who may read their text (`viewer`).

    The page's order is decided over its keys alone, from where the page before ended (`after`) or the next began
    (`before`), so a deep page is as cheap as the first; then only that page's proposals are read. The unfiltered
    list's total is a counter kept with the rows (participation/counters.py); a filtered list's is counted, at most
    once per period (participation/cache.py)."""
    ids = select(Proposal.id).where(*LISTED)
    if state:
        ids = ids.join(Case, Case.id == Proposal.case_id)
    if institution_id:
        ids = ids.where(Proposal.institution_id == institution_id)
    if group_id:
        ids = ids.where(Proposal.group_id == group_id)
    if territory:
        ids = ids.where(Proposal.territory == territory)
    if topic:
        ids = ids.where(Proposal.topics.contains(f" {topic} "))
    searcher = None
    if search:
        # The one search (issue 19): words in any form, diacritics and case ignored; hidden text only for who may read it.
        from participation.search.services import matching_items

        ids = ids.where(Proposal.id.in_(matching_items("proposal", search, viewer)))
        searcher = _searchable_by(viewer)[1]
    if state == "awaiting":
        ids = ids.where(Case.state.in_(AWAITING_STATES))
    elif state == "answered":
        ids = ids.where(Case.state.in_((CaseState.ANSWERED, CaseState.NOT_EXAMINED)))
    elif state == "accepted":
        ids = ids.where(Case.position.in_((Position.ACCEPTED, Position.PARTLY_ACCEPTED)))
    elif state == "implemented":
        ids = ids.where(Case.implemented_on.is_not(None))
    elif state == "overdue":
        ids = ids.where(Case.state.in_(AWAITING_STATES), Case.due_on < riga_today())
    filtered = (institution_id, territory, topic, state, search, group_id)
    if any(filtered):
        total = cache.cached(("total", "proposals", *filtered, searcher), lambda: count_rows(ids))
    else:
        total = counters.value(counters.PROPOSALS_LISTED)
    keys, descending = ORDERS.get(sort, ORDERS["newest"])
    return page_by_keys(ids, keys, page, PER_PAGE, rows.cards, total, descending=descending, after=after, before=before)


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
