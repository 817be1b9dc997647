"""Response-log entries and inbox rows read as plain rows: the columns an entry or a row shows (cases/_response.html,
cases/inbox.html), not ORM objects with their relations loaded. A page builds 20 small objects instead of a hundred
mapped ones, and the templates read them with the same attribute names as a `Response` or a `Case`."""
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import aliased

from participation.accounts.models import User
from participation.cases.models import (
    Case, CaseState, CaseStatus, Channel, OfflineSource, Position, Response, ResponseKind, case_number,
)
from participation.extensions import db
from participation.groups.models import Group
from participation.institutions.models import Institution


@dataclass(frozen=True, slots=True)
class Named:
    """An institution or a group, as a plain row names it."""

    id: int
    name: str


@dataclass(frozen=True, slots=True)
class Author:
    """A person, as a plain row names them."""

    id: int
    display_name: str


@dataclass(frozen=True, slots=True)
class EntryCase:
    id: int
    title: str
    received_at: datetime

    @property
    def number(self) -> str:
        return case_number(self.id, self.received_at)


@dataclass(frozen=True, slots=True)
class Ref:
    id: int


@dataclass(frozen=True, slots=True)
class LogEntry:
    """What a response-log entry shows (the names of `Response` and its relations)."""

    id: int
    kind: ResponseKind
    position: Position | None
    effective_on: date | None
    text: str
    created_at: datetime
    case: EntryCase
    institution: Named
    target_institution: Named | None
    author: Author
    superseded_by: Ref | None
    supersedes: "LogEntry | None"
    text_html: str | None = None  # stored when written (participation/text.py), shown by the `stored_html` filter
    html_policy: int | None = None


_correction = aliased(Response)
_target = aliased(Institution)


def entries_statement(where):
    """The columns of the log entries `where` selects, newest first."""
    return (
        select(Response.id, Response.kind, Response.position, Response.effective_on, Response.text, Response.created_at,
               Response.supersedes_id, Case.id, Case.title, Case.received_at, Institution.id, Institution.name,
               # Each name is a subquery of one row: cheaper for PostgreSQL to plan than two more joins.
               Response.target_institution_id,
               select(_target.name).where(_target.id == Response.target_institution_id).scalar_subquery(),
               Response.author_id, select(User.display_name).where(User.id == Response.author_id).scalar_subquery(),
               select(_correction.id).where(_correction.supersedes_id == Response.id).scalar_subquery(),
               Response.text_html, Response.html_policy)
        .join(Case, Case.id == Response.case_id)
        .join(Institution, Institution.id == Response.institution_id)
        .where(where)
        .order_by(Response.created_at.desc(), Response.id.desc())
    )


def _entry(row, earlier: dict) -> LogEntry:
    (id_, kind, position, effective_on, text, created_at, supersedes_id, case_id, title, received_at,
     institution_id, institution_name, target_id, target_name, author_id, author_name, correction_id, text_html,
     html_policy) = row
    return LogEntry(id_, kind, position, effective_on, text, created_at, EntryCase(case_id, title, received_at),
                    Named(institution_id, institution_name), Named(target_id, target_name) if target_id else None,
                    Author(author_id, author_name), Ref(correction_id) if correction_id else None,
                    earlier.get(supersedes_id) if supersedes_id else None, text_html, html_policy)


def log_entries(query, params: dict) -> list[LogEntry]:
    """The entries `query` (built by `entries_statement`) gives with `params`, each with the answer it corrects: one
    query, and a second only when the page holds a correction."""
    rows = db.session.execute(query, params).all()
    earlier_ids = [row[6] for row in rows if row[6]]
    earlier = {}
    if earlier_ids:
        earlier = {row[0]: _entry(row, {}) for row in db.session.execute(entries_by_ids(), {"ids": earlier_ids})}
    return [_entry(row, earlier) for row in rows]


@cache
def entries_by_ids():
    """The log entries of the responses `ids` (a parameter), newest first: built once."""
    return entries_statement(Response.id.in_(bindparam("ids", expanding=True)))


@dataclass(frozen=True, slots=True)
class InboxCase(CaseStatus):
    """What an inbox row shows and its actions ask (the names of `Case` and its relations)."""

    id: int
    channel: Channel
    title: str
    state: CaseState
    due_on: date
    received_at: datetime
    extended_once: bool
    collective_at: datetime | None
    submitter_hidden: bool
    offline_source: OfflineSource | None
    offline_submitter: str
    raised_by: Author | None
    raised_by_group: Named | None
    forwarded_from: Named | None


def inbox_statement():
    """The columns of the inbox rows; the caller adds the filter, order and page."""
    return (
        select(Case.id, Case.channel, Case.title, Case.state, Case.due_on, Case.received_at, Case.extended_once,
               Case.collective_at, Case.submitter_hidden, Case.offline_source, Case.offline_submitter,
               Case.raised_by_id, select(User.display_name).where(User.id == Case.raised_by_id).scalar_subquery(),
               Case.raised_by_group_id, Group.name,
               Case.forwarded_from_id, select(_target.name).where(_target.id == Case.forwarded_from_id).scalar_subquery())
        .outerjoin(Group, Group.id == Case.raised_by_group_id)  # few groups: a subquery per row would scan them
    )


def inbox_cases(query, params: dict) -> list[InboxCase]:
    """The rows `query` (built on `inbox_statement()`) gives with `params`, in its order."""
    return [
        InboxCase(*row[:11], Author(row[11], row[12]) if row[11] else None, Named(row[13], row[14]) if row[13] else None,
                  Named(row[15], row[16]) if row[15] else None)
        for row in db.session.execute(query, params)
    ]
