"""Keeps the search documents in step with every write: after each flush, the documents of the rows that were added,
changed in a way that shows, or deleted are read again from their tables, in the same transaction (so a rolled-back
write leaves the index as it was, and a moderator's hiding removes the text from results at once). `rebuild()` fills
the whole index with set-based SQL (after a bulk load such as the benchmark's seeding, or to repair it)."""
from collections import Counter, defaultdict

from sqlalchemy import delete, event, func, inspect, insert, select, text
from sqlalchemy.orm import Session

from participation.search import registry
from participation.search.models import SearchDocument

CHUNK = 500
_table = SearchDocument.__table__


def _changed(obj, watched: tuple[str, ...]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in watched if name in state.attrs)


def _own(source: registry.Source) -> bool:
    """Whether the source is the kind's own rows (a document per row, named by the row's id)."""
    return source.doc_column == "item_id" and source.column is getattr(source.model, "id", None)


def _pending_work(session: Session, ids_never_reused: bool = False) -> tuple[dict, dict, dict]:
    """{(kind, source index): keys} to refresh, {kind: item ids} whose rows were deleted, and {(kind, source index):
    keys} of rows new in this flush that cannot have a document yet (only where the database never gives an id twice:
    PostgreSQL's sequences; SQLite may give a deleted last row's id again)."""
    refresh: dict[tuple[str, int], set] = defaultdict(set)
    gone: dict[str, set] = defaultdict(set)
    new: dict[tuple[str, int], set] = defaultdict(set)
    kinds = registry.kinds()
    for obj in session.new:
        for kind in kinds:
            for number, source in enumerate(kind.sources):
                if source.on_new and isinstance(obj, source.model) and (key := source.key(obj)) is not None:
                    refresh[(kind.name, number)].add(key)
                    if ids_never_reused and _own(source):
                        new[(kind.name, number)].add(key)
    for obj in session.dirty:
        for kind in kinds:
            for number, source in enumerate(kind.sources):
                if isinstance(obj, source.model) and (not source.watched or _changed(obj, source.watched)):
                    if (key := source.key(obj)) is not None:
                        refresh[(kind.name, number)].add(key)
    for obj in session.deleted:
        for kind in kinds:
            for source in kind.sources:
                if _own(source) and isinstance(obj, source.model):
                    gone[kind.name].add(obj.id)
    return refresh, gone, new


def _chunks(values):
    values = sorted(values)
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def refresh(connection, kind: registry.Kind, source: registry.Source, keys, new=frozenset()) -> None:
    """Read the documents named by `keys` (values of the source's column) again: delete, then insert what the kind's
    statement finds now (nothing, when the row is no longer searchable at all). `new`: keys whose rows have no
    document yet, so there is nothing to delete for them."""
    for chunk in _chunks(keys):
        found = kind.statement().where(source.column.in_(chunk))
        if source.doc_column is None:
            ids = select(found.subquery().c.item_id)
            connection.execute(delete(_table).where(_table.c.kind == kind.name, _table.c.item_id.in_(ids)))
        elif old := [key for key in chunk if key not in new]:
            connection.execute(delete(_table).where(_table.c.kind == kind.name, _table.c[source.doc_column].in_(old)))
        connection.execute(insert(_table).from_select(list(SearchDocument.COLUMNS), found))


def remove(connection, kind_name: str, item_ids) -> None:
    for chunk in _chunks(item_ids):
        connection.execute(delete(_table).where(_table.c.kind == kind_name, _table.c.item_id.in_(chunk)))


def _after_flush(session: Session, flush_context) -> None:
    if not registry.kinds():
        return
    connection = session.connection()
    work, gone, new = _pending_work(session, ids_never_reused=connection.dialect.name == "postgresql")
    if not work and not gone:
        return
    sources_at_work = Counter(kind_name for kind_name, _number in work)
    for (kind_name, number), keys in work.items():
        kind = registry.kind(kind_name)
        # Another source of the kind may write the same new rows' documents in this flush (a new version and its new
        # sections): then each deletes first, as for any other row.
        fresh = new.get((kind_name, number), frozenset()) if sources_at_work[kind_name] == 1 else frozenset()
        refresh(connection, kind, kind.sources[number], keys, fresh)
    for kind_name, ids in gone.items():
        remove(connection, kind_name, ids)


# PostgreSQL's GIN indexes (migration 0019): a rebuild drops them and builds them once afterwards, which is many times
# faster than keeping them up to date row by row over a national-scale fill.
PG_INDEXES = {
    "ix_search_documents_fts": "CREATE INDEX ix_search_documents_fts ON search_documents USING gin (terms)",
    # No longer read (typos go through search_words, migration 0020); kept until a later release drops it.
    "ix_search_documents_trgm": "CREATE INDEX ix_search_documents_trgm ON search_documents USING gin "
                                "(search_unaccent(lower(title || ' ' || body)) gin_trgm_ops)",
}


def rebuild(connection) -> int:
    """Empty the index and fill it again from every kind's tables, set-based; returns the number of documents. Used by
    migration 0019 for the rows already there, by `flask search-reindex`, and after a bulk load (bench/seed.py)."""
    postgresql = connection.dialect.name == "postgresql"
    if postgresql:
        connection.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
        for name in PG_INDEXES:
            connection.execute(text(f"DROP INDEX IF EXISTS {name}"))
        connection.execute(text("TRUNCATE search_documents"))
        if connection.execute(text("SELECT to_regclass('search_words')")).scalar() is not None:  # from migration 0020
            connection.execute(text("TRUNCATE search_words"))  # the inserts below fill it again (its trigger)
    else:
        connection.execute(delete(_table))
    for kind in registry.kinds():
        connection.execute(insert(_table).from_select(list(SearchDocument.COLUMNS), kind.statement()))
    if postgresql:
        for statement in PG_INDEXES.values():
            connection.execute(text(statement))
        connection.execute(text("ANALYZE search_documents"))
    else:
        connection.execute(text("INSERT INTO search_fts(search_fts) VALUES ('rebuild')"))
    return connection.execute(select(func.count()).select_from(_table)).scalar_one()


def refresh_words(connection) -> int:
    """PostgreSQL: the table of stems for typos (migration 0020) made again from the public documents, so the stems of
    documents hidden, deleted or erased since (and any duplicate) are gone; returns the number of stems. A nightly job
    (participation/jobs/tasks.py). SQLite: nothing (FTS5's vocabulary follows its index)."""
    if connection.dialect.name != "postgresql":
        return 0
    connection.execute(text("DELETE FROM search_words"))
    connection.execute(text("INSERT INTO search_words (word) SELECT word FROM ts_stat("
                            "'SELECT terms FROM search_documents WHERE visibility = ''public''')"))
    return connection.execute(text("SELECT count(*) FROM search_words")).scalar_one()


_connected = False


def connect() -> None:
    """Listen to every session's flushes (once per process: tests build many apps)."""
    global _connected
    if not _connected:
        event.listen(Session, "after_flush", _after_flush)
        _connected = True
