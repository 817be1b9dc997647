"""Totals of long lists kept as counters in the same transaction as the rows they count, so a page reads one number
instead of counting rows (issue 17): "N proposals" of the public proposal list, and the length of each institution's
public response log.

They are kept by ORM events on the rows, whatever service writes them: a response inserted (responses are never
changed or deleted), a case made private or public again, a proposal listed or unlisted (submitted, approved, merged
away). Each change is one `INSERT ... ON CONFLICT DO UPDATE` of the counter's row (PostgreSQL and SQLite alike).
`recount()` sets them from the rows again (`flask recount-counters` calls it).
"""
from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, String, bindparam, event, inspect, select, text
from sqlalchemy.orm import Mapped, mapped_column

from participation.extensions import db

PROPOSALS_LISTED = "proposals:listed"


def log_name(institution_id: int) -> str:
    return f"log:{institution_id}"


class Counter(db.Model):
    """A named total (see the module's docstring for the names)."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class LogLine(db.Model):
    """A line of an institution's public response log: a response of a public case by the institution or forwarded to
    it. Kept with the responses and the cases' privacy (below), so a page of any depth is read from one index."""

    __tablename__ = "log_lines"

    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(doc="A copy of responses.created_at: the log's order")


Index("ix_log_lines_order", LogLine.institution_id, LogLine.created_at, LogLine.response_id)


_LINES_OF_CASE = text(
    "INSERT INTO log_lines (institution_id, response_id, created_at) "
    "SELECT institution_id, id, created_at FROM responses WHERE case_id = :id "
    "UNION ALL SELECT target_institution_id, id, created_at FROM responses "
    "WHERE case_id = :id AND target_institution_id IS NOT NULL AND target_institution_id <> institution_id")


# Built once, from the table's columns (not the mapped class's): read on every page of the long lists, and a plain
# SELECT skips the ORM's per-statement set-up (270 → 120 µs CPU).
_VALUE = select(Counter.__table__.c.value).where(Counter.__table__.c.name == bindparam("name"))


def value(name: str) -> int:
    """The counter now, changes not yet flushed included (counters follow the rows when they are flushed; the
    session flushes before any statement it executes, this plain SELECT too)."""
    return db.session.scalar(_VALUE, {"name": name}) or 0


_ADD = text("INSERT INTO counters (name, value) VALUES (:name, :delta) "
            "ON CONFLICT (name) DO UPDATE SET value = counters.value + excluded.value")


def _add(connection, changes: dict[str, int]) -> None:
    rows = [{"name": name, "delta": delta} for name, delta in changes.items() if delta]
    if rows:
        connection.execute(_ADD, rows)


# --- the response log -----------------------------------------------------------------------------------------------

def _log_changes(institution_id: int | None, target_id: int | None, delta: int) -> dict[str, int]:
    changes: dict[str, int] = {}
    for owner in (institution_id, target_id):
        if owner is not None:
            changes[log_name(owner)] = changes.get(log_name(owner), 0) + delta
    return changes


def _response_inserted(mapper, connection, target) -> None:
    private = connection.scalar(text("SELECT is_private FROM cases WHERE id = :id"), {"id": target.case_id})
    if not private:
        _add(connection, _log_changes(target.institution_id, target.target_institution_id, 1))
        owners = {target.institution_id, target.target_institution_id} - {None}
        # The time bound as a DateTime: on SQLite stored in the ORM's own text form, so the log's keyed pages
        # (pages.page_by_keys) compare it with the same form whatever its microseconds.
        connection.execute(text("INSERT INTO log_lines (institution_id, response_id, created_at) VALUES (:i, :r, :at)")
                           .bindparams(bindparam("at", type_=DateTime())),
                           [{"i": owner, "r": target.id, "at": target.created_at} for owner in sorted(owners)])


def _case_updating(mapper, connection, target) -> None:
    """Before a case's row is written: a proposal's copy of its deadline follows it; if it becomes private (or public
    again), its responses leave (or rejoin) the logs. The stored value is read, since an expired attribute set anew
    keeps no history of the old one."""
    state = inspect(target)
    if state.attrs.state.history.has_changes() or state.attrs.due_on.history.has_changes():
        connection.execute(text("UPDATE proposals SET case_awaiting = :awaiting, case_due_on = :due_on WHERE case_id = :id"),
                           {"awaiting": _awaiting(target), "due_on": target.due_on, "id": target.id})
    if not state.attrs.is_private.history.has_changes():
        return
    before = connection.scalar(text("SELECT is_private FROM cases WHERE id = :id"), {"id": target.id})
    if bool(before) == bool(target.is_private):
        return
    delta = -1 if target.is_private else 1
    changes: dict[str, int] = {}
    for institution_id, target_id in connection.execute(
            text("SELECT institution_id, target_institution_id FROM responses WHERE case_id = :id"), {"id": target.id}):
        for name, step in _log_changes(institution_id, target_id, delta).items():
            changes[name] = changes.get(name, 0) + step
    _add(connection, changes)
    if target.is_private:
        connection.execute(text("DELETE FROM log_lines WHERE response_id IN (SELECT id FROM responses WHERE case_id = :id)"),
                           {"id": target.id})
    else:
        connection.execute(_LINES_OF_CASE, {"id": target.id})


# --- the proposal list ----------------------------------------------------------------------------------------------

def _is_listed(status, moderation, merged_into_id) -> bool:
    return str(status) == "submitted" and str(moderation) == "approved" and merged_into_id is None


def _listed_now(target) -> bool:
    return _is_listed(target.status, target.moderation, target.merged_into_id) and target.merged_into is None


_WATCHED = ("status", "moderation", "merged_into_id", "merged_into")


def _listed_in_database(connection, proposal_id: int) -> bool:
    row = connection.execute(text("SELECT status, moderation, merged_into_id FROM proposals WHERE id = :id"),
                             {"id": proposal_id}).first()
    return row is not None and _is_listed(*row)


def _listed_before(connection, target) -> bool:
    """Listed as the session last knew the row (a service may have claimed it by a bulk UPDATE since, as submitting
    does), else as stored (an expired attribute set anew keeps no history of the old value)."""
    state = inspect(target)
    old, stored = {}, None
    for name in ("status", "moderation", "merged_into_id"):
        history = state.attrs[name].history
        if history.deleted or history.unchanged:
            old[name] = (history.deleted or history.unchanged)[0]
        else:
            if stored is None:
                stored = connection.execute(text("SELECT status, moderation, merged_into_id FROM proposals WHERE id = :id"),
                                            {"id": target.id}).mappings().first() or {}
            old[name] = stored.get(name)
    return _is_listed(old["status"], old["moderation"], old["merged_into_id"])


def _proposal_inserting(mapper, connection, target) -> None:
    _copy_deadline(target)


def _proposal_inserted(mapper, connection, target) -> None:
    if _listed_now(target):
        _add(connection, {PROPOSALS_LISTED: 1})


def _awaiting(case) -> bool:
    return str(case.state) in ("open", "extended", "forwarded")


def _copy_deadline(target) -> None:
    """A proposal given its case takes a copy of the case's deadline (the list's "nearest deadline first")."""
    state = inspect(target)
    if state.attrs.case.history.has_changes() and target.case is not None:
        target.case_awaiting, target.case_due_on = _awaiting(target.case), target.case.due_on


def _proposal_updating(mapper, connection, target) -> None:
    """Before a proposal's row is written: listed before (the stored row) and after (what is written)."""
    _copy_deadline(target)
    state = inspect(target)
    if not any(state.attrs[name].history.has_changes() for name in _WATCHED):
        return
    before, after = _listed_before(connection, target), _listed_now(target)
    if before != after:
        _add(connection, {PROPOSALS_LISTED: 1 if after else -1})


def _proposal_deleting(mapper, connection, target) -> None:
    if _listed_in_database(connection, target.id):
        _add(connection, {PROPOSALS_LISTED: -1})


def listen() -> None:
    """Connect the events (once, from participation/models.py after every model is imported)."""
    from participation.cases.models import Case, Response
    from participation.proposals.models import Proposal

    if event.contains(Response, "after_insert", _response_inserted):
        return
    event.listen(Response, "after_insert", _response_inserted)
    event.listen(Case, "before_update", _case_updating)
    event.listen(Proposal, "before_insert", _proposal_inserting)
    event.listen(Proposal, "after_insert", _proposal_inserted)
    event.listen(Proposal, "before_update", _proposal_updating)
    event.listen(Proposal, "before_delete", _proposal_deleting)


RECOUNT_SQL = (
    "DELETE FROM counters WHERE name = 'proposals:listed' OR name LIKE 'log:%'",
    "INSERT INTO counters (name, value) SELECT 'proposals:listed', count(*) FROM proposals "
    "WHERE status = 'submitted' AND moderation = 'approved' AND merged_into_id IS NULL",
    "INSERT INTO counters (name, value) SELECT 'log:' || CAST(owner AS VARCHAR), count(*) FROM ("
    " SELECT r.institution_id AS owner FROM responses r JOIN cases c ON c.id = r.case_id WHERE NOT c.is_private"
    " UNION ALL SELECT r.target_institution_id FROM responses r JOIN cases c ON c.id = r.case_id"
    " WHERE NOT c.is_private AND r.target_institution_id IS NOT NULL) x GROUP BY owner",
)


LOG_LINES_SQL = (
    "INSERT INTO log_lines (institution_id, response_id, created_at) "
    "SELECT r.institution_id, r.id, r.created_at FROM responses r JOIN cases c ON c.id = r.case_id WHERE NOT c.is_private "
    "UNION ALL SELECT r.target_institution_id, r.id, r.created_at FROM responses r JOIN cases c ON c.id = r.case_id "
    "WHERE NOT c.is_private AND r.target_institution_id IS NOT NULL AND r.target_institution_id <> r.institution_id"
)


def recount() -> None:
    """Set every counter of this module from the rows again (in the caller's transaction)."""
    for statement in RECOUNT_SQL:
        db.session.execute(text(statement))
    db.session.execute(text("DELETE FROM log_lines"))
    db.session.execute(text(LOG_LINES_SQL))
