"""A request that only read ends its database transaction with COMMIT instead of ROLLBACK.

For a transaction that wrote nothing the two are the same, but psycopg forgets every prepared statement on ROLLBACK.
Ending read-only requests with COMMIT keeps them, so PostgreSQL plans a page's queries once per connection rather than
on every request. A transaction that flushed, or sent the database any statement that is not a SELECT (through the
ORM, `session.connection()`, bulk operations or raw SQL), is never committed here: if its view did not commit it, it is
rolled back as before. (A SELECT of a function that writes would not be noticed; the platform has none.)
"""
import logging

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import Pool

from participation.extensions import db

WROTE = "participation.wrote"
READING = {"SELECT", "BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "SHOW"}
log = logging.getLogger(__name__)


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state) -> None:
    if not state.is_select:
        state.session.info[WROTE] = True


@event.listens_for(Session, "after_flush")
def _note_flush(session, _flush_context) -> None:
    session.info[WROTE] = True


@event.listens_for(Engine, "before_cursor_execute")
def _note_sql(connection, _cursor, statement, _parameters, _context, _executemany) -> None:
    words = statement.lstrip().split(None, 1)
    if not words or words[0].upper() not in READING:
        connection.info[WROTE] = True


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _forget_sql(connection) -> None:
    if connection.invalidated:  # the connection was lost (e.g. PostgreSQL restarted): asking for its info would try
        return  # to reconnect in the middle of the rollback (PendingRollbackError); a new one starts with empty info
    connection.info.pop(WROTE, None)


@event.listens_for(Pool, "reset")
def _forget_on_reset(_dbapi_connection, record, _reset_state) -> None:
    record.info.pop(WROTE, None)


@event.listens_for(Session, "after_transaction_end")
def _forget(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(WROTE, None)


def read_only(session) -> bool:
    if session.info.get(WROTE) or session.new or session.dirty or session.deleted:
        return False
    return not (session.in_transaction() and session.connection().info.get(WROTE))


def init_app(app) -> None:
    @app.teardown_appcontext  # runs before Flask-SQLAlchemy's own teardown, which closes the session
    def _commit_if_read_only(exc) -> None:
        session = db.session()
        if exc is not None or not session.in_transaction() or not read_only(session):
            return
        expire, session.expire_on_commit = session.expire_on_commit, False  # a streamed response still reads them
        try:
            session.commit()
        except Exception:  # e.g. the connection dropped: the session's own teardown rolls back and closes
            log.warning("Ending a read-only transaction failed", exc_info=True)
        finally:
            session.expire_on_commit = expire
