"""The benchmark's report: each page's throughput, latency, SQL queries and ratio to the baseline measured in the same
run, checked against the targets of issue 7, written as bench/results/<date>.md (a table anyone can read) and .json."""
import json
from pathlib import Path

TARGETS = {"ratio": 0.25, "p95_ms": 50.0, "queries": 12, "export_first_byte_ms": 200.0, "export_memory_mb": 50.0}
# Issue 17: the long-tail mix overall, each kind in it, and the writes posted while it runs.
LONGTAIL_TARGETS = {"ratio": 0.5, "kind_p95_ms": 50.0, "write_p95_ms": 100.0, "write_rate": 20.0}


def longtail_baseline(run: dict) -> float | None:
    """The baseline's throughput under the long-tail run's generator: the mean of its runs before and after."""
    runs = [b["rps"] for b in (run.get("baseline"), run.get("baseline_after")) if b and b.get("rps")]
    return round(sum(runs) / len(runs), 1) if runs else None


def longtail_misses(results: dict) -> list[str]:
    """What the long-tail, write and growth runs miss of LONGTAIL_TARGETS (empty when nothing was run)."""
    run = results.get("longtail")
    if not run or not run.get("mix"):
        return []
    misses = []
    base = longtail_baseline(run)
    mix = run["mix"]["overall"]
    ratio = round(mix["rps"] / base, 3) if base else None
    run["ratio"] = ratio
    if ratio is not None and ratio < LONGTAIL_TARGETS["ratio"]:
        misses.append(f"long-tail mix: {mix['rps']} req/s is {ratio} of the baseline's {base} (target {LONGTAIL_TARGETS['ratio']})")
    for label, key in (("long-tail mix", "mix"), ("long-tail mix under writes", "mix_under_writes")):
        for name, kind in (run.get(key) or {}).get("kinds", {}).items():
            if kind["p95_ms"] is not None and kind["p95_ms"] >= LONGTAIL_TARGETS["kind_p95_ms"]:
                misses.append(f"{label}, {name}: p95 {kind['p95_ms']} ms")
            if kind["failures"]:
                misses.append(f"{label}, {name}: {kind['failures']} requests not answered 200 ({kind['statuses']})")
    writes = run.get("writes")
    if writes:
        if writes["overall"]["p95_ms"] is not None and writes["overall"]["p95_ms"] >= LONGTAIL_TARGETS["write_p95_ms"]:
            misses.append(f"writes: p95 {writes['overall']['p95_ms']} ms")
        if writes["rate_per_s"] < LONGTAIL_TARGETS["write_rate"]:
            misses.append(f"writes: {writes['rate_per_s']} a second")
        if writes["overall"]["failures"]:
            misses.append(f"writes: {writes['overall']['failures']} not acknowledged ({writes['overall']['statuses']})")
        once = run.get("exactly_once") or {}
        if not once.get("ok"):
            misses.append(f"writes: not exactly once ({once})")
    for row in results.get("growth") or []:
        for name, p95 in row["kinds"].items():
            if p95 is not None and p95 >= LONGTAIL_TARGETS["kind_p95_ms"]:
                misses.append(f"growth at scale {row['scale']}, {name}: p95 {p95} ms")
    return misses


def baseline_rps(results: dict) -> float | None:
    """The baseline's throughput: the mean of its runs before and after the pages (or the one run there is)."""
    runs = [run["rps"] for run in (results.get("baseline"), results.get("baseline_after")) if run]
    return round(sum(runs) / len(runs), 1) if runs else None


def evaluate(results: dict) -> dict:
    """Add each page's ratio to the baseline and whether it meets its targets (None where nothing was measured)."""
    baseline = baseline_rps(results)
    for page in results["pages"]:
        measured = page.get("load")
        page["ratio"] = round(measured["rps"] / baseline, 3) if measured and baseline else None
        misses = []
        if page["status"] != 200:
            misses.append(f"answered {page['status']}")
        if measured and (measured.get("errors") or measured.get("non2xx")):
            misses.append(f"{measured['errors'] + measured['non2xx']} failed requests under load")
        if page.get("export"):
            export = results["export"]
            if export.get("first_byte_ms_median") is not None and export["first_byte_ms_median"] >= TARGETS["export_first_byte_ms"]:
                misses.append(f"first byte {export['first_byte_ms_median']} ms")
            memory = max(export.get("tracemalloc_peak_growth_mb") or 0, export.get("worker_peak_rss_growth_mb") or 0)
            if memory >= TARGETS["export_memory_mb"]:
                misses.append(f"memory growth {memory} MB")
        else:
            if page["queries"] > TARGETS["queries"]:
                misses.append(f"{page['queries']} queries")
            if measured:
                if page["ratio"] is not None and page["ratio"] < TARGETS["ratio"]:
                    misses.append(f"ratio {page['ratio']}")
                if measured["p95_ms"] >= TARGETS["p95_ms"]:
                    misses.append(f"p95 {measured['p95_ms']} ms")
        page["misses"] = misses
        page["met"] = None if (measured is None and not misses) else not misses
    return results


def _cell(value, digits=1):
    if value is None:
        return "—"
    return f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"


def markdown_table(results: dict) -> str:
    lines = [
        "| page | req/s | p50 ms | p95 ms | p99 ms | SQL queries | ratio to baseline | targets |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for key, when in (("baseline", "before the pages"), ("baseline_after", "after the pages")):
        base = results.get(key)
        if base:
            lines.append(f"| *baseline {when}: bare Flask, 50-row query, Jinja* | {_cell(base['rps'])} | "
                         f"{_cell(base['p50_ms'], 2)} | {_cell(base['p95_ms'], 2)} | {_cell(base['p99_ms'], 2)} | 1 | "
                         f"{_cell(base['rps'] / baseline_rps(results), 2)} | |")
    for page in results["pages"]:
        load = page.get("load") or {}
        verdict = "not measured under load" if page["met"] is None else ("met" if page["met"] else "**missed**: " + "; ".join(page["misses"]))
        lines.append(
            f"| {page['name']} (`{page['path']}`) | {_cell(load.get('rps'))} | {_cell(load.get('p50_ms'), 2)} | "
            f"{_cell(load.get('p95_ms'), 2)} | {_cell(load.get('p99_ms'), 2)} | {page['queries']} | "
            f"{_cell(page['ratio'], 2) if page['ratio'] is not None else '—'} | {verdict} |"
        )
    return "\n".join(lines)


def markdown(results: dict) -> str:
    seeded, settings, export = results["seeded"], results["settings"], results["export"]
    counts = ", ".join(f"{name} {value:,}" for name, value in seeded["counts"].items())
    export_lines = [
        f"- Streamed (a generator response; rows fetched 500 at a time through a server-side cursor): "
        f"{_cell(export.get('bytes'))} bytes, {_cell(export.get('lines'))} lines.",
        f"- Peak memory growth while streaming, in-process (tracemalloc, Python allocations): "
        f"{_cell(export.get('tracemalloc_peak_growth_mb'))} MB.",
    ]
    if export.get("first_byte_ms_median") is not None:
        export_lines += [
            f"- Over HTTP from gunicorn, 5 sequential downloads: first byte {export['first_byte_ms_median']} ms (median), "
            f"{export['first_byte_ms_max']} ms (max); whole file {export['total_ms_median']} ms (median).",
            f"- Peak RSS growth of the gunicorn workers over those downloads (/proc VmHWM after minus VmRSS before): "
            f"{export['worker_peak_rss_growth_mb']} MB.",
        ]
    missed = [p for p in results["pages"] if p["met"] is False]
    longtail = longtail_markdown(results)
    missed_longtail = longtail_misses(results)
    return "\n".join([
        f"# Benchmark {results['date']}",
        "",
        f"Scale {results['scale']}: {counts}. Seeding (bulk SQL, then VACUUM ANALYZE) took {seeded['seconds']} s.",
        "",
        f"Server: gunicorn, {settings['workers']} {settings['worker_class']} workers × {settings['threads']} thread(s), "
        f"FLASK_CONFIG=production, PostgreSQL on the same machine ({settings['cpus']} CPUs). Load: {settings['load_generator']}, "
        f"closed loop over loopback, {settings['concurrency']} connections, {settings['duration_s']} s per page, the baseline "
        "and every page under the same settings in the same run; the baseline runs before and after the pages and each "
        "ratio is to the mean of the two. SQL queries are counted in-process (Flask test client "
        "against the same database, a `before_cursor_execute` listener, second request of two). The unfiltered "
        "proposal list's total and each response log's length are counters kept with the rows (participation/counters.py); "
        "filtered lists' totals and an institution's figures are cached for 30 s (participation/cache.py, `cached`): "
        "the first request of a period runs one to three queries more. User text is shown as the HTML stored when it "
        "was written (participation/text.py). List rows are rendered for every request (no row cache); the signed-out "
        "navigation and the footer once per worker and language (`cache.remembered`). "
        + ("The servers run with REDIS_URL: the cached counts are shared by the workers (issue 17)."
           if settings.get("redis") else "No Redis: the cached counts are per worker."),
        "",
        f"Targets: at least {TARGETS['ratio']} of the baseline's throughput, p95 under {TARGETS['p95_ms']:.0f} ms, at most "
        f"{TARGETS['queries']} SQL queries; the export streamed, first byte under {TARGETS['export_first_byte_ms']:.0f} ms, "
        f"memory growth under {TARGETS['export_memory_mb']:.0f} MB.",
        "",
        markdown_table(results),
        "",
        "## One request in-process",
        "",
        "The same pages through the Flask test client, one request at a time (milliseconds, wall clock): *cold* with the "
        "worker's caches emptied first (every cached total counted again), *warm* the median of five more.",
        "",
        "| page | cold ms | warm ms |",
        "| --- | ---: | ---: |",
        *[f"| {p['name']} | {_cell(p.get('cold_ms'))} | {_cell(p.get('warm_ms'))} |" for p in results["pages"] if not p.get("export")],
        "",
        "## The CSV export",
        "",
        *export_lines,
        "",
        *longtail,
        "## Missed targets",
        "",
        *([f"- {p['name']}: {'; '.join(p['misses'])}." for p in missed] + [f"- {m}." for m in missed_longtail] or ["None."]),
        "",
    ])


def _kinds_table(run: dict, key: str) -> list[str]:
    lines = ["| page kind | pages drawn | requests | req/s | p50 ms | p95 ms | p99 ms | not 200 |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    drawn = {k["name"]: k["pages"] for k in run.get("kinds", [])}
    for name, kind in run[key]["kinds"].items():
        lines.append(f"| {name} | {_cell(drawn.get(name))} | {_cell(kind['requests'])} | {_cell(kind.get('rps'))} | "
                     f"{_cell(kind['p50_ms'], 2)} | {_cell(kind['p95_ms'], 2)} | {_cell(kind['p99_ms'], 2)} | {_cell(kind['failures'])} |")
    overall = run[key]["overall"]
    lines.append(f"| **all kinds** | | {_cell(overall['requests'])} | {_cell(overall.get('rps'))} | {_cell(overall['p50_ms'], 2)} | "
                 f"{_cell(overall['p95_ms'], 2)} | {_cell(overall['p99_ms'], 2)} | {_cell(overall['failures'])} |")
    return lines


def longtail_markdown(results: dict) -> list[str]:
    run = results.get("longtail")
    if not run or not run.get("mix"):
        return []
    base = longtail_baseline(run)
    longtail_misses(results)  # sets run["ratio"]
    lines = [
        "## Long tail: every kind of page, every page of it",
        "",
        f"Each request picks a page kind uniformly, then one of that kind's pages uniformly (drawn over the whole seeded "
        f"data: random ids and page numbers; the proposal lists', the comments pages' and the response logs' pages by the "
        f"place their pager's links name, the page after a random row of the list). A Python closed-loop generator "
        f"({run['mix']['concurrency']} connections, {run['mix']['duration_s']} s, a new connection per request as gunicorn's "
        f"sync workers close them) times every request, so each kind has its own percentiles; the baseline is loaded by the "
        f"same generator before and after ({_cell(run['baseline']['rps'])} and "
        f"{_cell((run.get('baseline_after') or {}).get('rps'))} req/s, mean {_cell(base)}). The app runs as bench/wsgi.py: "
        "production settings with the per-client rate limits off (every simulated person comes from 127.0.0.1).",
        "",
        f"Targets: overall at least {LONGTAIL_TARGETS['ratio']} of the baseline's throughput; every kind's p95 under "
        f"{LONGTAIL_TARGETS['kind_p95_ms']:.0f} ms. Overall here: {_cell(run['mix']['overall'].get('rps'))} req/s, "
        f"**{_cell(run.get('ratio'), 2)}** of the baseline.",
        "",
        *_kinds_table(run, "mix"),
        "",
    ]
    writes = run.get("writes")
    if writes:
        once = run.get("exactly_once") or {}
        lines += [
            "## Writes while the long-tail mix runs",
            "",
            f"Signed-in residents (a different one for each write, each with a valid CSRF token) post a comment, a reply and "
            f"a support in turn, {writes['rate_per_s']:g} writes a second for {writes['duration_s']} s (open loop: a write "
            f"starts every {1000 / writes['rate_per_s']:.0f} ms whatever the server does; the dispatcher was at most "
            f"{writes['dispatch_late_max_ms']} ms late), while the same long-tail mix runs. A write is acknowledged by its redirect.",
            "",
            "| writes | sent | acknowledged | p50 ms | p95 ms | p99 ms |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
            *[f"| {name} | {_cell(k['requests'])} | {_cell(writes['acknowledged'].get(name))} | {_cell(k['p50_ms'], 2)} | "
              f"{_cell(k['p95_ms'], 2)} | {_cell(k['p99_ms'], 2)} |" for name, k in writes["kinds"].items()],
            f"| **all writes** | {_cell(writes['overall']['requests'])} | {_cell(sum(writes['acknowledged'].values()))} | "
            f"{_cell(writes['overall']['p50_ms'], 2)} | {_cell(writes['overall']['p95_ms'], 2)} | {_cell(writes['overall']['p99_ms'], 2)} |",
            "",
            f"Exactly once, counted in the database afterwards: {once.get('comments_and_replies_stored')} comments and replies "
            f"stored for {_cell(once.get('acknowledged', {}).get('comment', 0) + once.get('acknowledged', {}).get('reply', 0))} "
            f"acknowledged; missing {once.get('missing')}, doubled {once.get('doubled')}, stored without an acknowledgement "
            f"{once.get('stored_without_acknowledgement')}; support counters unequal to their rows {once.get('support_counters_wrong')}, "
            f"comment counters unequal to their rows {once.get('comment_counters_wrong')}: **{'exactly once' if once.get('ok') else 'NOT exactly once'}**.",
            "",
            f"Reads during the writes (the same mix): {_cell(run['mix_under_writes']['overall'].get('rps'))} req/s, "
            f"p95 {_cell(run['mix_under_writes']['overall']['p95_ms'], 2)} ms overall.",
            "",
            *_kinds_table(run, "mix_under_writes"),
            "",
        ]
    rows = results.get("growth") or []
    if rows:
        names = list(rows[0]["kinds"])
        for row in rows[1:]:
            names += [n for n in row["kinds"] if n not in names]
        lines += [
            "## Growth: p95 of each kind by the data's size",
            "",
            "The same long-tail mix on databases seeded at each scale (1 = national: 1,000,000 comments, 100,000 proposals, "
            "300,000 cases); ms.",
            "",
            "| page kind | " + " | ".join(f"scale {row['scale']:g}" for row in rows) + " |",
            "| --- | " + " | ".join("---:" for _ in rows) + " |",
            *[f"| {name} | " + " | ".join(_cell(row["kinds"].get(name), 2) for row in rows) + " |" for name in names],
            "| **all kinds, p95** | " + " | ".join(_cell(row["overall"]["p95_ms"], 2) for row in rows) + " |",
            "| all kinds, req/s | " + " | ".join(_cell(row["overall"].get("rps")) for row in rows) + " |",
            "| baseline, req/s | " + " | ".join(_cell(row["baseline"]) for row in rows) + " |",
            "| seeding, s | " + " | ".join(_cell(row["seeding_s"]) for row in rows) + " |",
            "",
        ]
    return lines


def write(results: dict, folder: Path, name: str) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    md, js = folder / f"{name}.md", folder / f"{name}.json"
    md.write_text(markdown(results), encoding="utf-8")
    js.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    return md, js
