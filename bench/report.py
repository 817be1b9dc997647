"""The benchmark's report: each page's throughput, latency, SQL queries and ratio to the baseline measured in the same
run, checked against the targets of issue 7, written as bench/results/<date>.md (a table anyone can read) and .json."""
import json
from pathlib import Path

TARGETS = {"ratio": 0.25, "p95_ms": 50.0, "queries": 12, "export_first_byte_ms": 200.0, "export_memory_mb": 50.0}


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
        "against the same database, a `before_cursor_execute` listener, second request of two). The totals of the "
        "lists and the response log and an institution's figures are cached for 30 s per worker "
        "(participation/cache.py, `cached`): the first request of a period runs one to three queries more. List rows "
        "are rendered once per worker under keys that hold everything they show (`cache.remembered`).",
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
        "worker's caches emptied first (every list row rendered, every total counted), *warm* the median of five more. "
        "Under load every worker is warm after its first requests; rows are rendered again only when what they show "
        "changes.",
        "",
        "| page | cold ms | warm ms |",
        "| --- | ---: | ---: |",
        *[f"| {p['name']} | {_cell(p.get('cold_ms'))} | {_cell(p.get('warm_ms'))} |" for p in results["pages"] if not p.get("export")],
        "",
        "## The CSV export",
        "",
        *export_lines,
        "",
        "## Missed targets",
        "",
        *([f"- {p['name']}: {'; '.join(p['misses'])}." for p in missed] or ["None."]),
        "",
    ])


def write(results: dict, folder: Path, name: str) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    md, js = folder / f"{name}.md", folder / f"{name}.json"
    md.write_text(markdown(results), encoding="utf-8")
    js.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    return md, js
