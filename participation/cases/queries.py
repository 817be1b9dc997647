"""Read-only queries of the spine. Each list is paginated and eager-loads what its page shows,
so a page runs the same number of SQL queries whatever the data size."""
import functools

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload, load_only

from participation import counters
from participation.counters import LogLine
from participation.cases.models import AWAITING_STATES, Case, CaseState, Channel, Response, not_superseded
from participation.extensions import db
from participation.cases.rows import LogEntry, entries_by_ids, entries_statement, inbox_cases, inbox_statement, log_entries
from participation.pages import Page, page_by_keys

PER_PAGE = 20


def _inbox_where(by_state: bool, by_channel: bool) -> list:
    where = [Case.institution_id == bindparam("institution_id"),
             Case.state == bindparam("state") if by_state else Case.state.in_(AWAITING_STATES)]
    if by_channel:
        where.append(Case.channel == bindparam("channel"))
    return where


@functools.cache
def _inbox_statements(by_state: bool, by_channel: bool) -> tuple:
    """A page of an inbox and its total, built once per filter shape. A row is a plain row of the columns it shows
    (cases/rows.py), and the total is counted from the index alone. The page's cases are chosen first, over the index
    alone, and only their 20 rows are then read with their names: read with the names, a deep page (OFFSET 6,000 of a
    large institution's inbox) looked up a name for every case it skipped (3 ms instead of 0.3)."""
    where = _inbox_where(by_state, by_channel)
    page_ids = (select(Case.id).where(*where).order_by(Case.due_on, Case.id)
                .limit(bindparam("limit")).offset(bindparam("offset")).subquery())
    rows = inbox_statement().join(page_ids, page_ids.c.id == Case.id).order_by(Case.due_on, Case.id)
    return rows, select(func.count()).select_from(select(Case.id).where(*where).subquery())


def inbox(institution_id: int, page: int = 1, channel: Channel | None = None, state: CaseState | None = None) -> Page:
    """Cases awaiting an answer (or in one `state`), the nearest due date first."""
    rows, count = _inbox_statements(state is not None, channel is not None)
    page = max(1, page)
    params = {"institution_id": institution_id, "state": state, "channel": channel}
    items = inbox_cases(rows, {**params, "limit": PER_PAGE, "offset": (page - 1) * PER_PAGE})
    return Page(items, page, PER_PAGE, db.session.scalar(count, params))


@functools.cache
def _log_statement():
    """The newest entries of an institution's log (the institution page's latest answers), chosen from the log's own
    index (participation/counters.py `LogLine`, kept with the responses and the cases' privacy). Built once; the
    institution and how many come as parameters. The log's pages are keyed pages (`response_log`)."""
    newest = (select(LogLine.response_id).where(LogLine.institution_id == bindparam("institution_id"))
              .order_by(LogLine.created_at.desc(), LogLine.response_id.desc())
              .limit(bindparam("limit")))
    return entries_statement(Response.id.in_(newest))


def response_log(institution_id: int, page: int = 1, after: str | None = None, before: str | None = None) -> Page:
    """Every public response by or forwarded to the institution, newest first, with what it superseded. A keyed list
    (participation/pages.py): the pager's links start a page after (or before) an entry's place in the log's own
    index, so page 300 costs what page 1 does."""
    # The log's length is a counter kept with the responses and the cases' privacy (participation/counters.py).
    return page_by_keys(select(LogLine.response_id).where(LogLine.institution_id == institution_id),
                        [LogLine.created_at, LogLine.response_id], page, PER_PAGE, _entries_of,
                        counters.value(counters.log_name(institution_id)), descending=True, after=after, before=before)


def _entries_of(response_ids: list[int]) -> list[LogEntry]:
    return log_entries(entries_by_ids(), {"ids": response_ids})


def recent_responses(institution_id: int, limit: int = 5) -> list[LogEntry]:
    """The newest entries of the institution's public log (no count)."""
    return log_entries(_log_statement(), {"institution_id": institution_id, "limit": limit})


def case_history(case_id: int) -> list[Response]:
    """The case's responses in the order they were given."""
    return list(
        db.session.scalars(
            select(Response)
            .where(Response.case_id == case_id)
            .options(
                joinedload(Response.author),
                joinedload(Response.institution),
                joinedload(Response.target_institution),
                joinedload(Response.superseded_by),
            )
            .order_by(Response.created_at, Response.id)
        ).unique()
    )


def cases_raised_by_group(group_id: int, page: int = 1):
    query = (
        select(Case)
        .where(Case.raised_by_group_id == group_id, Case.is_private.is_(False))
        .options(joinedload(Case.institution))
        .order_by(Case.received_at.desc(), Case.id.desc())
    )
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)


def latest_answers(case_ids: list[int]) -> dict:
    """The newest response of each case that no correction superseded, in one query, as plain rows (`case_id`,
    `id`, `text`): lists show its text, and a page of 50 rows need not build 50 ORM objects and their corrections."""
    if not case_ids:
        return {}
    rows = db.session.execute(
        select(Response.case_id, Response.id, Response.text)
        .where(Response.case_id.in_(case_ids), not_superseded())
        .order_by(Response.created_at, Response.id)
    )
    return {row.case_id: row for row in rows}  # in time order: the newest of each case is kept


def open_public_cases(institution_id: int, limit: int = 10) -> list[Case]:
    """What the institution has open, for its public page: the nearest due dates first."""
    return list(
        db.session.scalars(
            select(Case)
            .where(Case.institution_id == institution_id, Case.state.in_(AWAITING_STATES), Case.is_private.is_(False))
            .options(load_only(Case.id, Case.title, Case.channel, Case.due_on, Case.state))
            .order_by(Case.due_on, Case.id)
            .limit(limit)
        )
    )


def latest_response_id(case_id: int) -> int | None:
    """The case's newest response (what a member of staff who acted too late is pointed to)."""
    return db.session.scalar(
        select(Response.id).where(Response.case_id == case_id).order_by(Response.created_at.desc(), Response.id.desc()).limit(1)
    )
