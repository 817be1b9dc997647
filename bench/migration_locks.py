"""How long each migration blocks writes to the large tables, on PostgreSQL seeded at the benchmark's scale
(issue 20): `make migration-locks` (scale 1, the national load) or `python -m bench.migration_locks --scale 0.1`.

The database is migrated to the newest revision and seeded (bench/seed.py). Then, newest first, each migration is
taken back (`downgrade`) and applied again (`upgrade`) while one probe per large table tries, every 20 ms, what a
resident's write needs: the table's ROW EXCLUSIVE lock (refused while a migration holds SHARE or stronger: a plain
CREATE INDEX, most ALTER TABLEs) and a random row FOR UPDATE (held by an unbatched backfill UPDATE). The longest wait
of any probe is the migration's write block; more than a second fails the check (exit status 1), and the report says
which table. A migration that creates a table is measured on an empty one: that is how it runs in production too.

The report goes to bench/results/migration-locks-<date>.md with --report.
"""
import argparse
import os
import random
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from bench.run import drop_database, fresh_database, make_app, migrate_and_seed

LIMIT_SECONDS = 1.0
LARGE_TABLE_ROWS = 1_000  # tables with at least this many rows after the seed are probed
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/lidzdaliba_locks"
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class TableProbe:
    """Writes to one table, tried again and again until stopped; `longest` is the longest wait seen (seconds)."""

    engine: sa.Engine
    table: str
    ids: tuple[int, int] | None
    longest: float = 0.0
    tries: int = 0
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        with self.engine.connect() as connection:
            while not self.stop.is_set():
                started = time.perf_counter()
                try:
                    with connection.begin():
                        connection.exec_driver_sql("SET LOCAL lock_timeout = '120s'")
                        connection.exec_driver_sql(f'LOCK TABLE "{self.table}" IN ROW EXCLUSIVE MODE')
                        if self.ids:
                            connection.execute(sa.text(f'SELECT 1 FROM "{self.table}" WHERE id = :id FOR UPDATE'),
                                               {"id": random.randint(*self.ids)})
                        connection.rollback()
                except sa.exc.DBAPIError:
                    connection.rollback()  # the table is not there at this revision: nothing to block
                    self.stop.wait(0.05)
                    continue
                self.longest = max(self.longest, time.perf_counter() - started)
                self.tries += 1
                self.stop.wait(0.02)


@dataclass
class Measured:
    revision: str
    seconds: float
    longest_block: float
    table: str

    @property
    def passed(self) -> bool:
        return self.longest_block <= LIMIT_SECONDS


def large_tables(engine: sa.Engine) -> dict[str, tuple[int, int] | None]:
    """Every table with at least LARGE_TABLE_ROWS rows, with its id range (None when it has no integer id)."""
    found = {}
    with engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.reltuples >= :rows ORDER BY c.relname"),
            {"rows": LARGE_TABLE_ROWS}).scalars().all()
        for table in rows:
            has_id = connection.execute(sa.text(
                "SELECT data_type FROM information_schema.columns WHERE table_name = :t AND column_name = 'id'"),
                {"t": table}).scalar() in ("integer", "bigint")
            ids = connection.execute(sa.text(f'SELECT min(id), max(id) FROM "{table}"')).one() if has_id else None
            found[table] = (ids[0], ids[1]) if ids and ids[0] is not None else None
    return found


def while_probing(engine: sa.Engine, tables: dict, action) -> tuple[float, float, str]:
    """Run `action()` while every large table is probed; (its seconds, the longest write wait, on which table)."""
    probes = [TableProbe(engine, table, ids) for table, ids in tables.items()]
    threads = [threading.Thread(target=probe.run, daemon=True) for probe in probes]
    for thread in threads:
        thread.start()
    time.sleep(0.1)  # every probe has tried once before the action starts
    started = time.perf_counter()
    try:
        action()
    finally:
        seconds = time.perf_counter() - started
        time.sleep(0.1)
        for probe in probes:
            probe.stop.set()
        for thread in threads:
            thread.join(timeout=150)
    worst = max(probes, key=lambda probe: probe.longest, default=None)
    return seconds, (worst.longest if worst else 0.0), (worst.table if worst else "")


def revisions() -> list[tuple[str, str | None]]:
    """(revision, the one before it), newest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(ROOT / "migrations"))
    return [(r.revision, r.down_revision) for r in script.walk_revisions()]


def check(url: str, scale: float, log=print, only: set[str] | None = None) -> list[Measured]:
    """Seed a fresh database at `scale` and measure every migration but the first (which creates the schema), or
    those in `only`."""
    from flask_migrate import downgrade, upgrade

    unknown = (only or set()) - {revision for revision, previous in revisions() if previous is not None}
    if unknown:
        raise SystemExit(f"No such migration to measure (the first one is never measured): {', '.join(sorted(unknown))}")
    database = fresh_database(url)
    try:
        log(f"Seeding at scale {scale:g} ...")
        migrate_and_seed(database, scale, log=log)
        probe_engine = sa.create_engine(database, pool_size=40, max_overflow=0)
        tables = large_tables(probe_engine)
        log(f"Probing writes to {len(tables)} tables: {', '.join(tables)}")
        app = make_app(database)
        results = []
        with app.app_context():
            for revision, previous in revisions():
                if previous is None or (only and revision not in only):
                    continue
                downgrade(revision=previous)
                seconds, block, table = while_probing(probe_engine, tables, lambda: upgrade(revision=revision))
                results.append(Measured(revision, seconds, block, table))
                log(f"  {revision}: {seconds:.2f} s to apply, writes blocked at most {block:.3f} s ({table})")
                downgrade(revision=previous)
        probe_engine.dispose()
        return results
    finally:
        drop_database(database)


def report(results: list[Measured], scale: float, only: set[str] | None = None) -> str:
    which = f": migrations {', '.join(sorted(only))} only" if only else ""
    lines = [
        f"# Migration locks at scale {scale:g} ({date.today().isoformat()}){which}", "",
        "Each migration taken back and applied again on PostgreSQL seeded by bench/seed.py, while every large table is",
        "probed for a resident's write (bench/migration_locks.py). Limit: writes blocked at most "
        f"{LIMIT_SECONDS:g} s.", "",
        "| migration | seconds to apply | writes blocked at most (s) | on table | within the limit |",
        "| --- | ---: | ---: | --- | --- |",
    ]
    for m in sorted(results, key=lambda m: m.revision):
        lines.append(f"| {m.revision} | {m.seconds:.2f} | {m.longest_block:.3f} | {m.table} | {'yes' if m.passed else '**no**'} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--database-url", default=os.environ.get("LOCKS_DATABASE_URL", DEFAULT_URL),
                        help="a PostgreSQL database to drop and rebuild (never one with real data)")
    parser.add_argument("--report", action="store_true", help="write bench/results/migration-locks-<date>.md")
    parser.add_argument("--only", default="", help="the revisions to measure, e.g. 0022,0023 (default: every one)")
    args = parser.parse_args(argv)
    only = {r.strip() for r in args.only.split(",") if r.strip()} or None
    results = check(args.database_url, args.scale, only=only)
    text = report(results, args.scale, only)
    print(text)
    if args.report:
        name = f"migration-locks-{date.today().isoformat()}" + ("-" + "-".join(sorted(only)) if only else "")
        path = ROOT / "bench" / "results" / f"{name}.md"
        path.write_text(text)
        print(f"Written to {path}")
    return 0 if all(m.passed for m in results) else 1


if __name__ == "__main__":
    sys.exit(main())
