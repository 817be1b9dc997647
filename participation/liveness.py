"""A pooled PostgreSQL connection is checked before a request uses it, without a round trip when it was just in use.

SQLAlchemy's `pool_pre_ping` sends `SELECT 1` on every checkout: one more round trip on every request (its CPU in
both processes, about a tenth of a short page's SQL time). Here, at checkout:

- the connection came back to the pool less than IDLE_SECONDS ago and its socket has nothing to read: it is used as
  it is. A connection the server dropped (a restart, a failover, `pg_terminate_backend`, `idle_session_timeout`) is
  told so: PostgreSQL sends a FATAL message or closes the socket, which turns readable; an idle pooled connection
  otherwise has nothing to read (LISTEN/NOTIFY aside, which the platform does not use).
- something to read, or idle longer (a busy worker reuses its connections within milliseconds; one idle for minutes
  may have been forgotten by a NAT or firewall, or its server's address taken over by a new primary, and such a dead
  connection shows nothing until a packet is sent): `SELECT 1` decides, as `pool_pre_ping` would. One that fails is
  discarded and the pool connects afresh (`DisconnectionError`).

A connection black-holed without a reset is seen only by TCP keepalives (docs/deploy.md). SQLite connections are
left alone (config.py turns every PostgreSQL URL into psycopg's).
"""
import select
import time

from sqlalchemy import event, exc
from sqlalchemy.pool import Pool

IDLE_SECONDS = 30.0
_RETURNED = "lidzdaliba.returned_at"


def _has_input(fd: int) -> bool:
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLPRI | select.POLLERR | select.POLLHUP)
    return bool(poller.poll(0))


def ping(dbapi_connection) -> bool:
    """A round trip (`SELECT 1` outside any transaction), as SQLAlchemy's pre-ping for psycopg does: False when the
    connection is lost; any other error is raised (a bug must not pass for a dropped connection)."""
    import psycopg

    try:
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        try:
            dbapi_connection.execute("SELECT 1")
        finally:
            if not dbapi_connection.closed:
                dbapi_connection.autocommit = autocommit
        return True
    except (psycopg.OperationalError, psycopg.InterfaceError):
        return False


def alive(dbapi_connection, idle_seconds: float = 0.0) -> bool:
    """Whether a psycopg connection taken from the pool, returned to it `idle_seconds` ago, can be used."""
    if dbapi_connection.closed:
        return False
    try:
        fd = dbapi_connection.pgconn.socket
    except Exception:  # noqa: BLE001 (psycopg raises when the connection is bad)
        return False
    if idle_seconds < IDLE_SECONDS and not _has_input(fd):
        return True
    return ping(dbapi_connection)


@event.listens_for(Pool, "checkin")
def _returned(_dbapi_connection, record) -> None:
    if record is not None:
        record.info[_RETURNED] = time.monotonic()


@event.listens_for(Pool, "checkout")
def _check(dbapi_connection, record, _proxy) -> None:
    if getattr(dbapi_connection, "pgconn", None) is None:
        return  # SQLite (the platform's PostgreSQL URLs all name psycopg: config.py)
    returned = record.info.get(_RETURNED)
    if not alive(dbapi_connection, 0.0 if returned is None else time.monotonic() - returned):
        raise exc.DisconnectionError("the database closed this connection")
