"""psycopg's cursor, with a `description` whose columns are described only when someone reads them (issue 17).

SQLAlchemy asks for `cursor.description` after every statement, but once a statement's result metadata is cached
(every statement after its first run in a process) it only tests whether there is one. psycopg builds a `Column`
object for every column of the result each time the property is read: for a list page's ORM queries (twenty to sixty
columns each) that was about a tenth of the CPU the query cost in Python (30 µs of 340 µs for twenty proposals).

Here `description` is a sequence of the same length whose `Column` objects are built on first access, from the result
the statement produced (kept with it, so a later statement on the same cursor cannot change what it describes).
PostgreSQL connections get this cursor class when they are opened (participation/extensions.py).
"""
from collections.abc import Sequence

import psycopg
from psycopg._column import Column  # psycopg's own description entry, built exactly as psycopg builds it
from psycopg.pq import ExecStatus

_RETURNS_ROWS = {ExecStatus.TUPLES_OK, ExecStatus.SINGLE_TUPLE}
if hasattr(ExecStatus, "TUPLES_CHUNK"):
    _RETURNS_ROWS.add(ExecStatus.TUPLES_CHUNK)


class _Result:
    """What `Column` reads of a cursor, as it was for one result."""

    __slots__ = ("pgresult", "_encoding", "adapters")

    def __init__(self, cursor: psycopg.Cursor):
        self.pgresult = cursor.pgresult
        self._encoding = cursor._encoding
        self.adapters = cursor.adapters


class Description(Sequence):
    """A DB-API description (a sequence of 7-item column descriptions) built on first access."""

    __slots__ = ("_result", "_length", "_columns")

    def __init__(self, cursor: psycopg.Cursor, length: int):
        self._result = _Result(cursor)
        self._length = length
        self._columns: list[Column] | None = None

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index):
        if self._columns is None:
            self._columns = [Column(self._result, i) for i in range(self._length)]  # type: ignore[arg-type]
        return self._columns[index]

    def __repr__(self) -> str:
        return repr(list(self))


class Cursor(psycopg.Cursor):
    @property
    def description(self) -> Description | None:  # type: ignore[override]
        result = self.pgresult
        if result and (result.nfields or result.status in _RETURNS_ROWS):
            return Description(self, result.nfields)
        return None


def use_for(dbapi_connection) -> None:
    """Open this connection's client-side cursors as `Cursor`: a psycopg connection with psycopg's default cursor (one
    configured otherwise, e.g. `connect_args={"cursor_factory": psycopg.ClientCursor}` behind PgBouncer, is left as
    it is, as are other databases' connections)."""
    if isinstance(dbapi_connection, psycopg.Connection) and dbapi_connection.cursor_factory is psycopg.Cursor:
        dbapi_connection.cursor_factory = Cursor
