"""Schema changes that keep a large PostgreSQL database writable while a release migrates it (issue 20).

A plain CREATE INDEX holds a SHARE lock on the table until the migration commits, and an UPDATE of every row holds
those rows: residents' comments and supports wait meanwhile. `bench/migration_locks.py` measures each migration on
the benchmark's data; these helpers are how a migration stays under its one-second limit:

- `create_index_concurrently`: on PostgreSQL CREATE INDEX CONCURRENTLY, outside the migration's transaction (what the
  migration did before it is committed first); SQLite builds a plain index (one process writes there).
- `backfill`: an UPDATE run in batches of ids, each batch committed on its own, so no row is held for long.
- `drop_index_concurrently`: the same for removing an index a release no longer uses.
- `commit_step`: commits what the migration did so far, so the lock an ALTER TABLE took on one table (an added
  column, a foreign key that locks the table it points at) ends before the migration goes on to the next.

Migrations call them through `from participation.ops.schema_changes import ...`; they hold no model, only DDL.
If a concurrent index build fails (a duplicate for a unique index), PostgreSQL leaves an INVALID index behind: drop
it (`DROP INDEX CONCURRENTLY name`) before running the migration again.
"""
import sqlalchemy as sa
from alembic import op

BATCH_ROWS = 1_000


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def create_index_concurrently(name: str, table: str, columns: list, *, unique: bool = False, where: str | None = None,
                              include: list[str] | None = None) -> None:
    """`include`: columns carried by the index (PostgreSQL's INCLUDE, for index-only scans); SQLite leaves them out."""
    condition = sa.text(where) if where else None
    if _postgresql():
        with op.get_context().autocommit_block():
            op.create_index(name, table, columns, unique=unique, postgresql_where=condition, postgresql_concurrently=True,
                            postgresql_include=include or [])
    else:
        op.create_index(name, table, columns, unique=unique, sqlite_where=condition)


def drop_index_concurrently(name: str, table: str) -> None:
    """On PostgreSQL DROP INDEX CONCURRENTLY (no lock that waits for readers and writers); SQLite drops it plainly."""
    if _postgresql():
        with op.get_context().autocommit_block():
            op.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
    else:
        op.drop_index(name, table_name=table)


def reflectable_on_sqlite(object_, name, type_, reflected, compare_to) -> bool:
    """For Alembic's comparison on SQLite (include_object): SQLite cannot reflect an index on an expression (the
    proposal list's ix_proposals_listed_due), so such an index of the models that the database did not report is no
    difference there. PostgreSQL reflects them: compare without this there."""
    if type_ == "index" and not reflected and compare_to is None:
        return all(isinstance(e, sa.Column) for e in object_.expressions)
    return True


def commit_step() -> None:
    """On PostgreSQL, commit the migration's work so far (its locks end here); SQLite: nothing to do."""
    if _postgresql():
        with op.get_context().autocommit_block():
            pass


def backfill(table: str, update_sql: str, batch_rows: int = BATCH_ROWS) -> None:
    """Run `update_sql` (an UPDATE with the placeholders :low and :high bounding `table`.id) over the table's id range
    in batches. On PostgreSQL each batch commits on its own (outside the migration's transaction); on SQLite the
    whole range is one statement in the migration."""
    bind = op.get_bind()
    if not _postgresql():
        bind.execute(sa.text(update_sql), {"low": -(2 ** 62), "high": 2 ** 62})
        return
    with op.get_context().autocommit_block():
        low, high = bind.execute(sa.text(f"SELECT min(id), max(id) FROM {table}")).one()
        if low is None:
            return
        start = low
        while start <= high:
            bind.execute(sa.text(update_sql), {"low": start, "high": start + batch_rows - 1})
            start += batch_rows
