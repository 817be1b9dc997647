"""A request that only read ends its database transaction with COMMIT instead of ROLLBACK.

For a transaction that wrote nothing the two are the same, but psycopg forgets every prepared statement on ROLLBACK.
Ending read-only requests with COMMIT keeps them, so PostgreSQL plans a page's queries once per connection rather than
on every request. A transaction that flushed, or ran any statement that is not a SELECT, is never committed here: if
its view did not commit it, it is rolled back as before.
"""
import logging

from sqlalchemy import event
from sqlalchemy.orm import Session

from participation.extensions import db

WROTE = "participation.wrote"
log = logging.getLogger(__name__)


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state) -> None:
    if not state.is_select:
        state.session.info[WROTE] = True


@event.listens_for(Session, "after_flush")
def _note_flush(session, _flush_context) -> None:
    session.info[WROTE] = True


@event.listens_for(Session, "after_transaction_end")
def _forget(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(WROTE, None)


def read_only(session) -> bool:
    return not session.info.get(WROTE) and not (session.new or session.dirty or session.deleted)


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
