"""A pooled PostgreSQL connection is checked before a request uses it, without a round trip when nothing happened.

SQLAlchemy's `pool_pre_ping` sends `SELECT 1` on every checkout: one more round trip on every request (its CPU in
both processes, about a tenth of a short page's SQL time). A connection the server dropped (a restart, a failover,
`pg_terminate_backend`) is told so by the server: PostgreSQL sends a FATAL message and closes the socket, so the
socket turns readable. An idle pooled connection otherwise has nothing to read. So at checkout:

- nothing to read, and psycopg still sees the connection as open: it is used as it is;
- something to read (a termination, the end of the stream, or a harmless notice): `SELECT 1` decides, as
  `pool_pre_ping` would; a connection that fails it is discarded and the pool connects afresh
  (`DisconnectionError`, up to three attempts).

A connection cut silently (a network path gone without a reset) is not seen here; `pool_pre_ping`'s `SELECT 1` would
not return on one either before the TCP time-outs. Connections of other drivers (SQLite) are left alone.
"""
import select

from sqlalchemy import event, exc
from sqlalchemy.pool import Pool


def _has_input(fd: int) -> bool:
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLPRI | select.POLLERR | select.POLLHUP)
    return bool(poller.poll(0))


def ping(dbapi_connection) -> bool:
    """A round trip (`SELECT 1` outside any transaction), as SQLAlchemy's pre-ping for psycopg does."""
    try:
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        try:
            dbapi_connection.execute("SELECT 1")
        finally:
            if not dbapi_connection.closed:
                dbapi_connection.autocommit = autocommit
        return True
    except Exception:  # noqa: BLE001 (any failure: the connection is not usable)
        return False


def alive(dbapi_connection) -> bool:
    """Whether a psycopg connection taken from the pool can be used (see the module's text)."""
    if dbapi_connection.closed:
        return False
    try:
        fd = dbapi_connection.pgconn.socket
    except Exception:  # noqa: BLE001 (psycopg raises when the connection is bad)
        return False
    return not _has_input(fd) or ping(dbapi_connection)


@event.listens_for(Pool, "checkout")
def _check(dbapi_connection, _record, _proxy) -> None:
    if getattr(dbapi_connection, "pgconn", None) is None:
        return  # not psycopg (SQLite): nothing to check
    if not alive(dbapi_connection):
        raise exc.DisconnectionError("the database closed this connection")
