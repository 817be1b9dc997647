"""`make bench`: build a PostgreSQL database of its own, migrate it, seed it (bench/seed.py), count the SQL queries of
every measured page in-process, serve the app and the bare-Flask baseline (bench/baseline.py) under gunicorn with the
same settings, load each page with wrk (closed loop, loopback, bounded duration), measure the CSV export's first byte
and memory, and write bench/results/<date>.md and .json (bench/report.py).

    .venv/bin/python -m bench.run                  # the default (national) scale
    .venv/bin/python -m bench.run --scale 0.01     # a CI-sized run
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/lidzdaliba_bench  (default; the database is dropped and rebuilt)
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date
from http.client import HTTPConnection
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import report  # noqa: E402
from bench.seed import Seeded, seed  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/lidzdaliba_bench"
SECRET_KEY = "bench-secret-key-not-for-production"
PUBLIC_BASE_URL = "https://lidzdaliba.example"
USER_AGENT = "lidzdaliba-bench"
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("WRK-JSON {\\"requests\\": %d, \\"duration_us\\": %d, \\"errors\\": %d, \\"non2xx\\": %d, " ..
    "\\"p50_us\\": %d, \\"p95_us\\": %d, \\"p99_us\\": %d}\\n", summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.errors.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


@dataclass
class Page:
    name: str
    path: str
    signed_in: bool = False
    paginated: bool = True
    export: bool = False


def pages_for(seeded: Seeded) -> list[Page]:
    slug = seeded.institution_slug
    big = seeded.big_consultation_id
    return [
        Page("Home", "/"),
        Page("Consultation list", "/consultations/"),
        Page("10,000-comment consultation (sections with counts)", f"/consultations/{big}"),
        Page("10,000-comment consultation: a page of its comments", f"/consultations/{big}/comments"),
        Page("10,000-comment consultation: one section's comments", f"/consultations/{big}/comments?section={seeded.big_section_id}"),
        Page("Summary table of a closed consultation", f"/consultations/{seeded.closed_consultation_id}/summary", paginated=False),
        Page("Proposals, most supported first", "/proposals/?sort=supported"),
        Page("Proposal with 10,000 supports", f"/proposals/{seeded.big_proposal_id}"),
        Page("Institution's public response log", f"/institutions/{slug}/log"),
        Page("Institution inbox (signed in)", f"/institutions/{slug}/inbox", signed_in=True),
        Page("Accountability figures (institution page)", f"/institutions/{slug}"),
        Page("CSV export of the 10,000-row summary table", f"/consultations/{big}/summary.csv", paginated=False, export=True),
        Page("Website feedback: per-site figures, 100,000 rows (signed in)", f"/institutions/{slug}/feedback/sites/1", signed_in=True),
        Page("Website feedback: the widget's form", "/feedback/widget/bench-site?page=https://www.iestade-1.example/lapa/3&lang=lv",
             paginated=False),
        *[Page(name, path, paginated=False) for name, path in seeded.extra_pages],
    ]


# --- the database ------------------------------------------------------------------------------------------------


def sqlalchemy_url(url: str) -> str:
    return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url)


def fresh_database(url: str) -> str:
    """Drop and create the database named in `url` (never point it at real data); returns the SQLAlchemy URL."""
    target = sa.engine.make_url(sqlalchemy_url(url))
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{target.database}"')
    admin.dispose()
    return target.render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    target = sa.engine.make_url(sqlalchemy_url(url))
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)')
    admin.dispose()


def make_app(url: str):
    from participation import create_app

    return create_app("production", SQLALCHEMY_DATABASE_URI=url, SECRET_KEY=SECRET_KEY, PUBLIC_BASE_URL=PUBLIC_BASE_URL)


def migrate_and_seed(url: str, scale: float, log=print) -> Seeded:
    from flask_migrate import upgrade

    from participation.extensions import db

    app = make_app(url)
    with app.app_context():
        upgrade()
        engine = db.engine
        seeded = seed(engine, scale, log=log)
        try:  # the co-creation channel's own seeding (issue 16), when it is there
            from participation.cocreation.bench import seed_cocreation
        except ImportError:
            seed_cocreation = None
        if seed_cocreation is not None:
            started = time.perf_counter()
            seeded.extra_pages = [list(page) for page in seed_cocreation(engine)]
            log(f"  co-creation: {time.perf_counter() - started:.1f} s")
        # The search index from the bulk-loaded rows (the seed writes them without the app's indexing), then ANALYZE.
        from participation.search import indexing, kinds

        started = time.perf_counter()
        kinds.register_all()
        with engine.begin() as connection:
            documents = indexing.rebuild(connection)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("ANALYZE")
        log(f"  search index: {documents} documents, {time.perf_counter() - started:.1f} s")
        engine.dispose()
    return seeded


def settle(url: str, log=print, limit: float = 300) -> None:
    """Let PostgreSQL finish what a bulk load leaves behind before anything is timed: a checkpoint (else it is spread
    over the next minutes, while the first pages are measured) and any autovacuum of the new tables."""
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    started = time.time()
    with engine.connect() as connection:
        try:
            connection.exec_driver_sql("CHECKPOINT")
        except sa.exc.DBAPIError:  # an account without the right: the checkpoint then runs on its own schedule
            log("  (no CHECKPOINT: the account may not run it)")
        while time.time() - started < limit:
            busy = connection.exec_driver_sql(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'").scalar()
            if not busy:
                break
            time.sleep(2)
    engine.dispose()
    log(f"PostgreSQL settled in {time.time() - started:.1f} s")


# --- signing in: a session cookie as the login form would leave it ---------------------------------------------------


def session_cookie(app, user_id: int) -> str:
    """Flask-Login's session for `user_id` (id:session_version), bound to the bench's address and user agent, logged in
    now (a log-in lasts SESSION_HOURS from its `login_at`)."""
    import time

    from flask_login.utils import _create_identifier

    with app.test_request_context("/", headers={"User-Agent": USER_AGENT}, environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        identifier = _create_identifier()
    value = app.session_interface.get_signing_serializer(app).dumps(
        {"_user_id": f"{user_id}:1", "_fresh": True, "_id": identifier, "login_at": int(time.time())}
    )
    return f"{app.config['SESSION_COOKIE_NAME']}={value}"


def cookie_and_token(app, user_id: int) -> tuple[str, str]:
    """A signed-in session for `user_id` (as `session_cookie`) that also holds a CSRF token, and the token a form of
    that session carries (Flask-WTF's generate_csrf)."""
    from flask import session
    from flask_login.utils import _create_identifier
    from flask_wtf.csrf import generate_csrf

    with app.test_request_context("/", headers={"User-Agent": USER_AGENT}, environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        token = generate_csrf()
        data = {**dict(session), "_user_id": f"{user_id}:1", "_fresh": True, "_id": _create_identifier(),
                "login_at": int(time.time())}
    value = app.session_interface.get_signing_serializer(app).dumps(data)
    return f"{app.config['SESSION_COOKIE_NAME']}={value}", token


# --- in-process: SQL queries per request, and the export's memory --------------------------------------------------


def count_queries(app, pages: list[Page], cookie: str) -> dict[str, dict]:
    """Each page through the Flask test client against the bench database, counting the SQL statements it runs
    (a `before_cursor_execute` listener; the second of two requests, so the first warms what a worker caches).
    Also the time of one request in-process: cold (the worker's caches emptied first, every row rendered, every
    total counted) and warm (the median of five more), so the report shows what the caches save."""
    from participation import cache as app_cache
    from participation.extensions import db

    results = {}
    with app.app_context():
        engine = db.engine
    anonymous, signed_in = app.test_client(), app.test_client()
    signed_in.set_cookie(*cookie.split("=", 1))  # the test client sends its own cookie jar, not a Cookie header
    for page in pages:
        statements: list[str] = []

        def listener(conn, cursor, statement, *args):
            statements.append(statement)

        client = signed_in if page.signed_in else anonymous
        headers = {"User-Agent": USER_AGENT}
        client.get(page.path, headers=headers).close()  # templates compiled, connections open: not what is measured
        app.extensions.pop("lidzdaliba.remembered", None)
        app_cache._entries.clear()
        started = time.perf_counter()
        client.get(page.path, headers=headers).close()
        cold_ms = (time.perf_counter() - started) * 1000
        sa.event.listen(engine, "before_cursor_execute", listener)
        try:
            response = client.get(page.path, headers=headers)
            body = response.get_data()
        finally:
            sa.event.remove(engine, "before_cursor_execute", listener)
        results[page.name] = {"status": response.status_code, "queries": len(statements), "bytes": len(body)}
        if not page.export:
            warm = []
            for _ in range(5):
                started = time.perf_counter()
                client.get(page.path, headers=headers).close()
                warm.append((time.perf_counter() - started) * 1000)
            results[page.name].update(cold_ms=round(cold_ms, 1), warm_ms=round(sorted(warm)[2], 1))
    return results


def export_memory(app, path: str) -> dict:
    """Peak Python memory growth (tracemalloc) while the export streams through the test client, and its size."""
    client = app.test_client()
    client.get(path).close()  # warm: imports, caches, the connection pool
    tracemalloc.start()
    baseline, _ = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    response = client.get(path, headers={"User-Agent": USER_AGENT}, buffered=False)
    size = rows = 0
    for chunk in response.response:
        size += len(chunk)
        rows += chunk.count("\n") if isinstance(chunk, str) else chunk.count(b"\n")
    response.close()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"tracemalloc_peak_growth_mb": round((peak - baseline) / 2**20, 1), "bytes": size, "lines": rows}


# --- gunicorn and the load generator -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(target: str, env: dict, workers: int, threads: int):
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", target, "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
               "--threads", str(threads), "--worker-class", "sync" if threads == 1 else "gthread",
               "--timeout", "120", "--log-level", "warning", "--backlog", "2048"]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, start_new_session=True)
    try:
        deadline = time.time() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"gunicorn {target} did not start")
                time.sleep(0.2)
        yield port, process.pid
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def worker_pids(master: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    except OSError:
        return []


def memory_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def http_get(port: int, path: str, headers: dict) -> tuple[int, float, float, int]:
    """Status, seconds to the first byte of the body, seconds in all, body size."""
    connection = HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    first = response.read(1)
    first_byte = time.perf_counter() - started
    size = len(first) + len(response.read())
    total = time.perf_counter() - started
    connection.close()
    return response.status, first_byte, total, size


def warm(port: int, path: str, headers: dict, times: int) -> None:
    for _ in range(times):
        http_get(port, path, headers)


def load(port: int, path: str, headers: dict, concurrency: int, duration: float, threads: int) -> dict:
    """Closed-loop load for `duration` seconds: wrk when installed, else a Python generator of the same shape."""
    if shutil.which("wrk"):
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT)
        command = ["wrk", "-t", str(min(threads, concurrency)), "-c", str(concurrency), "-d", f"{max(1, int(duration))}s", "--timeout", "30s",
                   "-s", script.name]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        output = subprocess.run(command + [f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True).stdout
        os.unlink(script.name)
        data = json.loads(output.split("WRK-JSON", 1)[1].strip().splitlines()[0])
        seconds = data["duration_us"] / 1e6
        return {"tool": "wrk", "requests": data["requests"], "rps": round(data["requests"] / seconds, 1),
                "p50_ms": data["p50_us"] / 1000, "p95_ms": data["p95_us"] / 1000, "p99_ms": data["p99_us"] / 1000,
                "errors": data["errors"], "non2xx": data["non2xx"]}
    return python_load(port, path, headers, concurrency, duration)


def python_load(port: int, path: str, headers: dict, concurrency: int, duration: float) -> dict:
    latencies: list[float] = []
    failures = [0]
    stop = time.perf_counter() + duration

    def user():
        while time.perf_counter() < stop:
            try:
                status, _, total, _ = http_get(port, path, headers)
            except OSError:
                failures[0] += 1
                continue
            latencies.append(total)
            if status != 200:
                failures[0] += 1

    started = time.perf_counter()
    workers = [threading.Thread(target=user) for _ in range(concurrency)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p):
        return round(latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] * 1000, 2) if latencies else None

    return {"tool": "python", "requests": len(latencies), "rps": round(len(latencies) / elapsed, 1), "p50_ms": pct(50),
            "p95_ms": pct(95), "p99_ms": pct(99), "errors": 0, "non2xx": failures[0]}


def measure_export_http(port: int, master: int, path: str, times: int = 5) -> dict:
    """First byte and total time of the export over HTTP, and the workers' peak RSS growth (/proc VmHWM)."""
    pids = worker_pids(master)
    before = {pid: memory_kb(pid, "VmRSS") for pid in pids}
    first_bytes, totals, size = [], [], 0
    for _ in range(times):
        status, first, total, size = http_get(port, path, {"User-Agent": USER_AGENT})
        assert status == 200, status
        first_bytes.append(first)
        totals.append(total)
    growth = max((memory_kb(pid, "VmHWM") - before[pid] for pid in pids), default=0)
    first_bytes.sort()
    return {"first_byte_ms_median": round(first_bytes[len(first_bytes) // 2] * 1000, 1),
            "first_byte_ms_max": round(max(first_bytes) * 1000, 1), "total_ms_median": round(sorted(totals)[len(totals) // 2] * 1000, 1),
            "worker_peak_rss_growth_mb": round(growth / 1024, 1), "bytes": size}


# --- the long tail, the writes and growth (issue 17) -------------------------------------------------------------------


def redis_url() -> str:
    """Production runs several processes with REDIS_URL (rate limits, the shared counts of participation/cache.py): the
    bench does too when Redis answers at BENCH_REDIS_URL (default redis://127.0.0.1:6379/14, emptied first)."""
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        client.flushdb()
        client.close()
        return url
    except Exception:  # noqa: BLE001 (no Redis: per-process caches, as the report then says)
        return ""


def server_env(database: str) -> dict:
    env = {"FLASK_CONFIG": "production", "SECRET_KEY": SECRET_KEY, "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
           "DATABASE_URL": database, "BENCH_BASELINE_DATABASE_URL": database}
    url = redis_url()
    if url:
        env["REDIS_URL"] = url
    return env


def longtail_runs(database: str, seeded: Seeded, args, with_writes: bool = True) -> dict:
    """The baseline under the Python generator (before and after), the long-tail mix, and the mix again while the
    write clients post at `args.write_rate`, then the exactly-once count (bench/longtail.py)."""
    from bench import longtail

    app = make_app(database)
    engine = sa.create_engine(database)
    env = server_env(database)

    def baseline() -> dict:
        with gunicorn("bench.baseline:app", env, args.workers, args.threads) as (port, _):
            warm(port, "/", {}, 20)
            return longtail.run_baseline(port, args.concurrency, max(5.0, args.mix_duration / 2))

    result = {"baseline": baseline()}
    print(f"long tail: baseline {result['baseline']}")
    with gunicorn("bench.wsgi:app", env, args.workers, args.threads) as (port, _):
        kinds = longtail.sample_kinds(engine, extra_pages=seeded.extra_pages,
                                      probe=lambda path: http_get(port, path, {"User-Agent": USER_AGENT})[0])
        cookies = {user: session_cookie(app, user) for kind in kinds for _, user in kind.paths if user}
        result["kinds"] = [{"name": k.name, "pages": len(k.paths), "example": k.paths[0][0]} for k in kinds]
        for kind in kinds:  # every worker imports, connects and compiles each kind's templates before anything is timed
            for path, user in kind.paths[:2 * args.workers]:
                http_get(port, path, {"User-Agent": USER_AGENT, **({"Cookie": cookies[user]} if user else {})})
        result["mix"] = longtail.run_mix(port, kinds, cookies, args.concurrency, args.mix_duration)
        print(f"long tail: {result['mix']['overall']}")
        if with_writes:
            targets = longtail.write_targets(engine, int(args.write_rate * args.mix_duration) + 10)
            run_id = f"w{int(time.time())}"
            box: dict = {}
            writer = threading.Thread(target=lambda: box.update(longtail.run_writes(
                port, targets, lambda user: cookie_and_token(app, user), args.write_rate, args.mix_duration, run_id)))
            writer.start()
            result["mix_under_writes"] = longtail.run_mix(port, kinds, cookies, args.concurrency, args.mix_duration, seed=2)
            writer.join()
            result["writes"] = box
            result["exactly_once"] = longtail.exactly_once(engine, box, run_id)
            box["acknowledged"] = {k: len(v) for k, v in box["acknowledged"].items()}
            print(f"writes: {box['overall']}; exactly once: {result['exactly_once']}")
    result["baseline_after"] = baseline()
    engine.dispose()
    with app.app_context():
        from participation.extensions import db

        db.engine.dispose()
    return result


def growth(url: str, args, main: dict) -> list[dict]:
    """The long-tail mix at each scale of `args.growth`, each seeded afresh into the same database (the main run's
    result stands for its own scale). Per scale: the seeding time, the baseline, every kind's p95."""
    rows = []
    for scale in [float(x) for x in args.growth.split(",") if x.strip()]:
        if abs(scale - args.scale) < 1e-9 and main.get("longtail"):
            run, seconds = main["longtail"], main["seeded"]["seconds"]
        else:
            database = fresh_database(url)
            print(f"Growth: seeding at scale {scale} …")
            seeded = migrate_and_seed(database, scale, log=lambda message: None)
            seconds = seeded.seconds
            settle(database)
            run = longtail_runs(database, seeded, args, with_writes=False)
        rows.append({"scale": scale, "seeding_s": seconds, "baseline": report.longtail_baseline(run),
                     "overall": run["mix"]["overall"], "kinds": {k: v["p95_ms"] for k, v in run["mix"]["kinds"].items()}})
        print(f"Growth at {scale}: {rows[-1]}")
    return rows


# --- the whole run -------------------------------------------------------------------------------------------------


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="1 = national scale; 0.01 for a CI-sized run")
    parser.add_argument("--duration", type=float, default=10, help="seconds of load per page")
    parser.add_argument("--concurrency", type=int, default=8, help="open connections (closed loop)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (1: sync workers)")
    parser.add_argument("--keep", action="store_true", help="reuse the seeded database (skip building it)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"), help="folder for <date>.md and <date>.json")
    parser.add_argument("--date", default=date.today().isoformat(), help="the report's file name")
    parser.add_argument("--no-load", action="store_true", help="count queries and write the report, without gunicorn/wrk")
    parser.add_argument("--mix-duration", type=float, default=30, help="seconds of the long-tail mix (and of the write run)")
    parser.add_argument("--write-rate", type=float, default=20, help="writes a second during the write run (at least 20)")
    parser.add_argument("--skip-single", action="store_true", help="leave out the single-URL runs")
    parser.add_argument("--growth", default=None,
                        help="scales for the growth table, e.g. 0.1,1,3 (each seeded afresh, long-tail mix only; the "
                             "default at --scale 1); '' to leave it out")
    args = parser.parse_args(argv)
    if args.growth is None:
        args.growth = "0.1,1,3" if args.scale == 1.0 else ""

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    seeded_file = ROOT / "instance" / f"bench-seeded-{sa.engine.make_url(sqlalchemy_url(url)).database}.json"
    if args.keep and seeded_file.exists():
        database = sqlalchemy_url(url)
        seeded = Seeded(**json.loads(seeded_file.read_text()))
        print(f"Reusing {sa.engine.make_url(database).database} (seeded in {seeded.seconds} s)")
    else:
        database = fresh_database(url)
        print(f"Seeding {sa.engine.make_url(database).database} at scale {args.scale} …")
        seeded = migrate_and_seed(database, args.scale)
        print(f"Seeded in {seeded.seconds} s: {seeded.counts}")
        seeded_file.parent.mkdir(parents=True, exist_ok=True)
        seeded_file.write_text(json.dumps(asdict(seeded)))

    settle(database)
    results = measure(database, seeded, args)
    if args.growth and not args.no_load:
        report.write(results, Path(args.out), args.date)  # what is measured so far, before the longer growth runs
        results["growth"] = growth(url, args, results)
        report.evaluate(results)
        if any(abs(float(x) - args.scale) > 1e-9 for x in args.growth.split(",") if x.strip()):
            seeded_file.unlink(missing_ok=True)  # the database now holds the last scale of the growth table
    paths = report.write(results, Path(args.out), args.date)
    print(report.markdown_table(results))
    print(f"Report: {paths[0]} and {paths[1]}")
    return results


def measure(database: str, seeded: Seeded, args) -> dict:
    pages = pages_for(seeded)
    app = make_app(database)
    cookie = session_cookie(app, seeded.staff_user_id)
    counted = count_queries(app, pages, cookie)
    export_page = next(p for p in pages if p.export)
    export = export_memory(app, export_page.path)
    with app.app_context():
        from participation.extensions import db

        db.engine.dispose()

    settings = {"workers": args.workers, "threads": args.threads, "concurrency": args.concurrency,
                "duration_s": args.duration, "worker_class": "sync" if args.threads == 1 else "gthread",
                "load_generator": ("wrk" if shutil.which("wrk") else "python") if not args.no_load else "none",
                "cpus": os.cpu_count()}
    results = {"date": args.date, "scale": args.scale, "seeded": asdict(seeded), "settings": settings,
               "baseline": None, "pages": [], "export": export}
    load_results: dict[str, dict] = {}
    if not args.no_load:
        env = server_env(database)
        settings["redis"] = bool(env.get("REDIS_URL"))

        def baseline() -> dict:
            with gunicorn("bench.baseline:app", env, args.workers, args.threads) as (port, _):
                warm(port, "/", {}, 20)
                return load(port, "/", {"User-Agent": USER_AGENT}, args.concurrency, args.duration, 2)

        # The baseline is measured before and after the pages: the machine's speed drifts over a run, and the
        # ratio is taken to the mean of the two.
        results["baseline"] = baseline()
        print(f"baseline: {results['baseline']}")
        with gunicorn("wsgi:app", env, args.workers, args.threads) as (port, master):
            if args.skip_single:
                pages_to_load = []
            else:
                pages_to_load = pages
            for page in pages_to_load:  # every worker imports and connects before anything is timed
                warm(port, page.path, {"User-Agent": USER_AGENT, **({"Cookie": cookie} if page.signed_in else {})}, 2)
            if pages_to_load:
                results["export"].update(measure_export_http(port, master, export_page.path))
            for page in pages_to_load:
                headers = {"User-Agent": USER_AGENT, **({"Cookie": cookie} if page.signed_in else {})}
                load_results[page.name] = load(port, page.path, headers, args.concurrency, args.duration, 2)
                print(f"{page.name}: {load_results[page.name]}")
        if pages_to_load:
            results["baseline_after"] = baseline()
            print(f"baseline after the pages: {results['baseline_after']}")
        results["longtail"] = longtail_runs(database, seeded, args)
    for page in pages:
        results["pages"].append({**asdict(page), **counted[page.name], "load": load_results.get(page.name)})
    return report.evaluate(results)


if __name__ == "__main__":
    main()
