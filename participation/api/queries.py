"""What the open-data API and the bulk files read: the same rows and visibility rules as the public pages.

The API answers every request as a signed-out reader (it takes no cookie and sends no credentials), so whatever it
returns is what a signed-out reader's page shows. It reuses the pages' own statements (`consultations.rows`,
`consultations.queries`, `cases.rows`) and asks the packages' permission functions about every item before it is
written out (`READER`, a signed-out user), so a rule changed in a package changes the API with it. Lists are read with
keyset pagination (`id > after`, in id order, `limit + 1` rows to know whether there is more): a deep page costs what
the first costs, and a harvester that keeps the last cursor later reads only what is new.
"""
from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from participation.cases import permissions as case_permissions
from participation.cases.models import Case, Response
from participation.cases.rows import entries_statement, log_entries
from participation.consultations import permissions as consultation_permissions
from participation.consultations import queries as consultation_queries
from participation.consultations import rows as comment_rows
from participation.consultations.models import Comment, Consultation, Section
from participation.extensions import db, login_manager
from participation.groups.models import Group
from participation.institutions.models import Institution
from participation.moderation import permissions as moderation_permissions
from participation.moderation.models import Moderation
from participation.proposals import permissions as proposal_permissions
from participation.proposals.models import Proposal, ProposalStatus

MAX_LIMIT = 100
DEFAULT_LIMIT = 50


def reader():
    """The signed-out reader every API request and bulk file is answered for."""
    return login_manager.anonymous_user()


def _keyset(query, column, after: int | None, limit: int):
    if after:
        query = query.where(column > after)
    return query.order_by(column).limit(limit + 1)


def _split(items: list, limit: int) -> tuple[list, int | None]:
    """The page's items and the id after which the next page starts (None: this was the last page)."""
    if len(items) > limit:
        items = items[:limit]
        return items, items[-1].id
    return items, None


# --- institutions and groups ------------------------------------------------------------------------------------


def institutions(after: int | None, limit: int) -> tuple[list[Institution], int | None]:
    return _split(list(db.session.scalars(_keyset(select(Institution), Institution.id, after, limit))), limit)


def institution_by_slug(slug: str) -> Institution | None:
    return db.session.scalars(select(Institution).where(Institution.slug == slug)).first()


def groups(after: int | None, limit: int) -> tuple[list[Group], int | None]:
    """Every group has a public page (a hidden one shows its number instead of its name: see schemas)."""
    return _split(list(db.session.scalars(_keyset(select(Group), Group.id, after, limit))), limit)


def group_by_slug(slug: str) -> Group | None:
    return db.session.scalars(select(Group).where(Group.slug == slug)).first()


# --- consultations -----------------------------------------------------------------------------------------------


def consultations(after: int | None, limit: int, institution_id: int | None = None) -> tuple[list[Consultation], int | None]:
    """Published consultations (drafts are never read: `can_view_consultation` is asked again for each)."""
    query = select(Consultation).where(Consultation.published_at.is_not(None)).options(joinedload(Consultation.institution))
    if institution_id:
        query = query.where(Consultation.institution_id == institution_id)
    found = [c for c in db.session.scalars(_keyset(query, Consultation.id, after, limit))
             if consultation_permissions.can_view_consultation(reader(), c)]
    return _split(found, limit)


def consultation(consultation_id: int) -> Consultation | None:
    """The consultation page's own query, and its own permission."""
    found = consultation_queries.for_page(consultation_id)
    if found is None or not consultation_permissions.can_view_consultation(reader(), found):
        return None
    return found


def sections(found: Consultation) -> list[Section]:
    """The sections of the first version (those comments are on), as the consultation page lists them."""
    return consultation_queries.version_sections(found.versions[0].id) if found.versions else []


def public_comment_counts(found: Consultation, found_sections: list[Section]) -> dict[int | None, int]:
    return consultation_queries.comment_counts(found, found_sections, public=True)


def comments(consultation_id: int, after: int | None, limit: int) -> tuple[list, int | None]:
    """Top-level comments as the comments page lists them for a signed-out reader (`_listing_where` with no viewer:
    approved ones, hidden ones as a notice), each with the replies that reader may see, in id order."""
    query = comment_rows.statement().where(*consultation_queries._listing_where("all"))
    if after:
        query = query.where(Comment.id > after)
    query = query.order_by(Comment.id).limit(limit + 1)
    found = comment_rows.listed(query, {"consultation_id": consultation_id, "viewer_id": 0, "section_id": None}, replies=True)
    for comment in found:
        comment.replies = [r for r in comment.replies if moderation_permissions.can_see(reader(), r)]
    return _split([c for c in found if moderation_permissions.can_see(reader(), c)], limit)


def summary_visible(found: Consultation) -> bool:
    return consultation_permissions.can_view_summary_table(reader(), found)


def summary_rows(consultation_id: int, after: int | None, limit: int) -> tuple[list, int | None]:
    """The summary table's rows (the page's `_summary_where`: approved top-level comments with their case's position
    and answer in force), in the order received. The caller first asks `summary_visible`."""
    query = comment_rows.statement().where(*consultation_queries._summary_where())
    if after:
        query = query.where(Comment.id > after)
    query = query.order_by(Comment.id).limit(limit + 1)
    return _split(comment_rows.listed(query, {"consultation_id": consultation_id}), limit)


def summary_batches(consultation_id: int):
    """Every row of the summary, streamed a batch at a time (the page's own export query)."""
    return consultation_queries.summary_batches(consultation_id)


# --- proposals ---------------------------------------------------------------------------------------------------


_LISTED_PROPOSAL = (Proposal.status == ProposalStatus.SUBMITTED, Proposal.moderation == Moderation.APPROVED)


@cache
def _proposals_of_page():
    """The page's proposals (`ids`, still listed) with the five tables they name, in id order: built once, so its
    cache key and loader options are not built again for every request (a third of the page's CPU)."""
    return (select(Proposal)
            .where(*_LISTED_PROPOSAL, Proposal.id.in_(bindparam("ids", expanding=True)))
            .options(joinedload(Proposal.institution), joinedload(Proposal.group), joinedload(Proposal.author),
                     joinedload(Proposal.case).joinedload(Case.institution))
            .order_by(Proposal.id))


def proposals(after: int | None, limit: int, institution_id: int | None = None) -> tuple[list[Proposal], int | None]:
    """Submitted, approved proposals (merged ones too: their pages stay public and name where they went). Drafts and
    those waiting for a moderator are never read; `can_view_proposal` is asked again for each.

    The page's ids are chosen first, then their rows read with the five tables they name. In one statement, the range
    on the id kept PostgreSQL from reusing a plan (a generic plan for "id > $1" looked dearer than each custom one), so
    it planned the six-table join again for every request: 1.8 ms, where the two statements take 0.5."""
    query = select(Proposal.id).where(*_LISTED_PROPOSAL)
    if institution_id:
        query = query.where(Proposal.institution_id == institution_id)
    ids = list(db.session.scalars(_keyset(query, Proposal.id, after, limit)))
    # The next page starts after the last id chosen, whatever the second read finds: a proposal hidden or withdrawn
    # between the two statements (or refused below) leaves a shorter page, never an early end of the list.
    page_ids, next_after = (ids[:limit], ids[limit - 1]) if len(ids) > limit else (ids, None)
    rows = db.session.scalars(_proposals_of_page(), {"ids": page_ids}) if page_ids else []
    return [p for p in rows if proposal_permissions.can_view_proposal(reader(), p)], next_after


def proposal(proposal_id: int) -> Proposal | None:
    from participation.proposals import queries as proposal_queries

    found = proposal_queries.proposal_for_page(proposal_id)
    if found is None or not proposal_permissions.can_view_proposal(reader(), found):
        return None
    return found


def proposal_batches(institution_id: int | None, size: int = 500):
    after = None
    while True:
        found, after = proposals(after, size, institution_id)
        if found:
            yield found
        if after is None:
            return


# --- cases and the response log ----------------------------------------------------------------------------------


def _cases_query():
    return select(Case).where(Case.is_private.is_(False)).options(joinedload(Case.institution), joinedload(Case.forwarded_from))


def cases(after: int | None, limit: int, institution_id: int | None = None) -> tuple[list[Case], int | None]:
    """Cases of the public log (private ones, such as those of hidden or pending contributions, never)."""
    query = _cases_query()
    if institution_id:
        query = query.where(Case.institution_id == institution_id)
    found = [c for c in db.session.scalars(_keyset(query, Case.id, after, limit)).unique()
             if case_permissions.can_view_case(reader(), c)]
    return _split(found, limit)


def case(case_id: int) -> Case | None:
    found = db.session.scalars(_cases_query().where(Case.id == case_id)).first()
    return found if found is not None and case_permissions.can_view_case(reader(), found) else None


def _log_where(institution: bool, by_case: bool):
    where = Case.is_private.is_(False)
    if institution:
        where = where & ((Response.institution_id == bindparam("institution_id"))
                         | (Response.target_institution_id == bindparam("institution_id")))
    if by_case:
        where = where & Response.case_id.in_(bindparam("case_ids", expanding=True))
    return where & (Response.id > bindparam("after"))


def responses(after: int | None, limit: int, institution_id: int | None = None) -> tuple[list, int | None]:
    """The public response log (the log page's entries, `cases.rows`), oldest first, each with the answer it corrects
    and the correction that superseded it; per institution, the responses by it or forwarded to it, as its page."""
    query = entries_statement(_log_where(institution_id is not None, False)).order_by(None).order_by(Response.id).limit(limit + 1)
    return _split(log_entries(query, {"institution_id": institution_id, "after": after or 0}), limit)


def responses_of_cases(case_ids: list[int]) -> dict[int, list]:
    """Every public response of these cases (corrections and what they superseded included), oldest first: one query."""
    if not case_ids:
        return {}
    query = entries_statement(_log_where(False, True)).order_by(None).order_by(Response.id)
    by_case: dict[int, list] = {case_id: [] for case_id in case_ids}
    for entry in log_entries(query, {"case_ids": case_ids, "after": 0}):
        by_case[entry.case.id].append(entry)
    return by_case


def response_batches(institution_id: int | None, size: int = 500):
    after = None
    while True:
        found, after = responses(after, size, institution_id)
        if found:
            yield found
        if after is None:
            return


def consultations_with_summary(institution_id: int | None) -> list[int]:
    """The consultations whose summary table is public (no comment waits for a position), for the bulk files."""
    query = select(Consultation).where(Consultation.published_at.is_not(None)).order_by(Consultation.id).options(
        joinedload(Consultation.institution))
    if institution_id:
        query = query.where(Consultation.institution_id == institution_id)
    return [c for c in db.session.scalars(query) if summary_visible(c) and consultation_permissions.can_view_consultation(reader(), c)]
