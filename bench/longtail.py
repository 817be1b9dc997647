"""The long-tail and write runs of `make bench` (issue 17).

*Long tail:* every request picks a page kind uniformly, then uniformly one of that kind's pages over the whole seeded
data (a random consultation, a random page of its comments, a random page of the proposal list in each order, a random
institution's response log page, a random institution's inbox signed in as its staff, ...). `sample_kinds` draws up to
`per_kind` pages of each kind from the database before the run; `run_mix` loads them in a closed loop (a Python
generator: it times each request, so each kind gets its own percentiles) and reports per kind and overall.

*Writes:* while the mix runs, `run_writes` posts comments, replies and supports at a fixed rate (open loop: a write
starts every 1/rate seconds whatever the server does), each by another signed-in resident with a valid CSRF token and
a unique marker in its text; `exactly_once` then counts, in the database, that every acknowledged write (the redirect
after a POST) is stored once, none twice, and that the counters pages read equal the rows.
"""
import math
import random
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.client import HTTPConnection
from urllib.parse import urlencode

import sqlalchemy as sa

from participation.pages import encode_key

USER_AGENT = "lidzdaliba-bench"


@dataclass
class Kind:
    name: str
    paths: list[tuple[str, int | None]]  # (path, signed-in user id or None)


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    statuses: dict = field(default_factory=dict)

    def add(self, seconds: float, status: int, ok: bool) -> None:
        self.latencies.append(seconds)
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if not ok:
            self.failures += 1

    def summary(self, elapsed: float | None = None) -> dict:
        values = sorted(self.latencies)

        def pct(p):
            return round(values[min(len(values) - 1, int(len(values) * p / 100))] * 1000, 2) if values else None

        result = {"requests": len(values), "p50_ms": pct(50), "p95_ms": pct(95), "p99_ms": pct(99),
                  "failures": self.failures, "statuses": {str(k): v for k, v in sorted(self.statuses.items())}}
        if elapsed:
            result["rps"] = round(len(values) / elapsed, 1)
        return result


def _pages(total: int, per_page: int) -> int:
    return max(1, math.ceil(total / per_page))


def sample_kinds(engine: sa.Engine, per_kind: int = 400, extra_pages: list | None = None, seed: int = 17,
                 probe=None) -> list[Kind]:
    """Up to `per_kind` random pages of each kind, over the whole seeded data. `probe(path) -> status` (optional)
    leaves out the kinds of channels that do not answer 200 here (search, the API)."""
    rnd = random.Random(seed)
    kinds: list[Kind] = []

    def rows(sql, **params):
        with engine.connect() as db:
            return db.execute(sa.text(sql), params).all()

    def add(name, paths):
        if paths:
            kinds.append(Kind(name, paths))

    add("Consultation page", [(f"/consultations/{r.id}", None) for r in rows(
        "SELECT id FROM consultations WHERE published_at IS NOT NULL ORDER BY random() LIMIT :n", n=per_kind)])
    # Comments pages are linked by place (keyed pages): a random page is the one after a random top-level comment in
    # the listing's order, as its page's "next page" link names it.
    def comments_after(parents: str, parent_column: str, path):
        places = rows(
            f"SELECT p.*, x.k1, x.k2, x.id AS after_id FROM ({parents}) p CROSS JOIN LATERAL ("
            f"SELECT NOT highlighted AS k1, off_topic AS k2, id FROM comments WHERE {parent_column} = p.id AND parent_id IS NULL "
            "ORDER BY NOT highlighted, off_topic, id OFFSET floor(random() * p.comment_count) LIMIT 1) x", n=per_kind)
        return [(path(r, {"page": rnd.randint(2, max(2, _pages(r.comment_count, 20) - 1)),
                          "after": encode_key((r.k1, r.k2, r.after_id))}), None) for r in places]

    add("A consultation's comments, a random page", comments_after(
        "SELECT id, comment_count FROM consultations WHERE published_at IS NOT NULL AND comment_count > 0 "
        "ORDER BY random() LIMIT :n", "consultation_id",
        lambda r, query: f"/consultations/{r.id}/comments?{urlencode(query)}"))
    add("A section's comments, a random page", comments_after(
        "SELECT s.id, v.consultation_id, s.comment_count FROM sections s JOIN draft_versions v ON v.id = s.version_id "
        "JOIN consultations c ON c.id = v.consultation_id WHERE v.number = 1 AND s.comment_count > 0 "
        "AND c.published_at IS NOT NULL ORDER BY random() LIMIT :n", "section_id",
        lambda r, query: f"/consultations/{r.consultation_id}/comments?{urlencode({'section': r.id, **query})}"))
    add("Summary table, a random page", [
        (f"/consultations/{r.id}/summary?page={rnd.randint(1, _pages(r.comment_count, 50))}", None) for r in rows(
            "SELECT id, comment_count FROM consultations WHERE cases_opened_at IS NOT NULL AND comment_count > 0 "
            "ORDER BY random() LIMIT :n", n=per_kind)])
    add("Proposal page", [(f"/proposals/{r.id}", None) for r in rows(
        "SELECT id FROM proposals WHERE status = 'submitted' AND moderation = 'approved' ORDER BY random() LIMIT :n", n=per_kind)])
    listed = rows("SELECT value FROM counters WHERE name = 'proposals:listed'")
    pages = _pages(listed[0].value if listed else 0, 20)
    # The pager links a page's neighbours by where they start (participation/pages.py, keyed pages): a random page is
    # the one after a random listed proposal, as its "next page" link names it (with a page number for the label).
    for sort, label, keys in (("newest", "newest first", "submitted_at, id"),
                              ("supported", "most supported first", "support_count, submitted_at, id"),
                              ("deadline", "nearest deadline first", "NOT case_awaiting, coalesce(case_due_on, '9999-12-31'), id")):
        places = rows(f"SELECT {keys} FROM proposals WHERE status = 'submitted' AND moderation = 'approved' "
                      "AND merged_into_id IS NULL ORDER BY random() LIMIT :n", n=per_kind)
        add(f"Proposal list, {label}, a random page", [
            (f"/proposals/?{urlencode({'sort': sort, 'page': rnd.randint(2, max(2, pages - 1)), 'after': encode_key(place)})}", None)
            for place in places])
    institutions = rows("SELECT id, slug FROM institutions ORDER BY id")
    add("Institution page", [(f"/institutions/{rnd.choice(institutions).slug}", None) for _ in range(per_kind)])
    # A response log's pages are linked by place too: the page after a random line of all the logs (so every page of
    # every institution's log is as likely), as that line's page's "next page" link names it.
    logs = {r.name: r.value for r in rows("SELECT name, value FROM counters WHERE name LIKE 'log:%'")}
    slugs = {i.id: i.slug for i in institutions}
    paths = []
    for line in rows("SELECT institution_id, created_at, response_id FROM log_lines ORDER BY random() LIMIT :n", n=per_kind):
        last = _pages(logs.get(f"log:{line.institution_id}", 0), 20)
        query = {"page": rnd.randint(2, max(2, last - 1)), "after": encode_key((line.created_at, line.response_id))}
        paths.append((f"/institutions/{slugs[line.institution_id]}/log?{urlencode(query)}", None))
    add("Response log, a random page", paths)
    awaiting = {r.institution_id: r.n for r in rows(
        "SELECT institution_id, count(*) AS n FROM cases WHERE state IN ('open', 'extended', 'forwarded') GROUP BY institution_id")}
    staff = {r.institution_id: r.user_id for r in rows(
        "SELECT institution_id, min(user_id) AS user_id FROM memberships GROUP BY institution_id")}
    paths = []
    for _ in range(per_kind):
        institution = rnd.choice([i for i in institutions if i.id in staff])
        page = rnd.randint(1, _pages(awaiting.get(institution.id, 0), 20))
        paths.append((f"/institutions/{institution.slug}/inbox?page={page}", staff[institution.id]))
    add("Institution inbox, signed in, a random page", paths)
    words = ["soliņi", "apgaismojums", "pārejas periods", "velojoslas", "jauniešu dome", "finansējumu", "termiņš",
             "rotaļu laukums", "bibliotēka", "vidi", "noteikumi", "skeitparks"]
    search = [(f"/search?{urlencode({'q': rnd.choice(words)})}", None) for _ in range(per_kind)]
    # The API pages by cursor (the last id of the page before): a random cursor over the whole id range is a random page.
    highest = rows("SELECT max(id) AS id FROM proposals")[0].id or 1
    api = [(f"/api/v1/proposals?{urlencode({'cursor': rnd.randint(1, highest), 'limit': 20})}", None) for _ in range(per_kind)]
    for name, paths in (("Search", search), ("API: proposals, a random page", api)):
        if probe is None or probe(paths[0][0]) == 200:
            add(name, paths)
    for name, path in extra_pages or []:
        add(name, [(path, None)])
    return kinds


# --- HTTP ------------------------------------------------------------------------------------------------------------


def request(port: int, method: str, path: str, headers: dict, body: bytes | None = None) -> tuple[int, float]:
    """Status and seconds for one request on a new connection (gunicorn's sync workers close after each)."""
    started = time.perf_counter()
    connection = HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        connection.close()


def run_mix(port: int, kinds: list[Kind], cookies: dict[int, str], concurrency: int, duration: float,
            seed: int = 1) -> dict:
    """Closed loop: `concurrency` clients, each picking a kind uniformly and one of its pages uniformly, for
    `duration` seconds. Per kind and overall: requests, p50/p95/p99, failures (not 200)."""
    per_kind = {kind.name: Stats() for kind in kinds}
    overall = Stats()
    lock = threading.Lock()
    stop = time.perf_counter() + duration

    def client(number):
        rnd = random.Random(seed * 1000 + number)
        while time.perf_counter() < stop:
            kind = rnd.choice(kinds)
            path, user = rnd.choice(kind.paths)
            headers = {"User-Agent": USER_AGENT, **({"Cookie": cookies[user]} if user else {})}
            try:
                status, seconds = request(port, "GET", path, headers)
            except OSError:
                status, seconds = 0, 0.0
            with lock:
                per_kind[kind.name].add(seconds, status, status == 200)
                overall.add(seconds, status, status == 200)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {"overall": overall.summary(elapsed), "kinds": {name: stats.summary(elapsed) for name, stats in per_kind.items()},
            "duration_s": round(elapsed, 1), "concurrency": concurrency}


def run_baseline(port: int, concurrency: int, duration: float) -> dict:
    """The bare-Flask baseline under the same generator (one kind, one URL)."""
    result = run_mix(port, [Kind("baseline", [("/", None)])], {}, concurrency, duration)
    return result["overall"]


# --- writes ------------------------------------------------------------------------------------------------------------


@dataclass
class Targets:
    consultations: list[int]          # open consultations
    comments: list[tuple[int, int]]   # (consultation id, top-level comment id) on open consultations
    proposals: list[int]              # proposals collecting supports
    residents: list[int]              # who writes (one resident per write)


def write_targets(engine: sa.Engine, writes: int, seed: int = 3) -> Targets:
    rnd = random.Random(seed)
    with engine.connect() as db:
        open_ids = list(db.execute(sa.text(
            "SELECT id FROM consultations WHERE opens_at < now() AT TIME ZONE 'UTC' AND closes_at > now() AT TIME ZONE 'UTC' "
            "AND published_at IS NOT NULL ORDER BY id")).scalars())
        comments = [tuple(r) for r in db.execute(sa.text(
            "SELECT consultation_id, id FROM comments WHERE parent_id IS NULL AND moderation = 'approved' "
            "AND consultation_id = ANY(:ids) ORDER BY random() LIMIT 2000"), {"ids": open_ids})]
        proposals = list(db.execute(sa.text(
            "SELECT p.id FROM proposals p JOIN cases c ON c.id = p.case_id WHERE p.status = 'submitted' "
            "AND p.moderation = 'approved' AND p.hidden_at IS NULL AND p.merged_into_id IS NULL "
            "AND c.state IN ('open', 'extended', 'forwarded') AND (p.collect_until IS NULL OR p.collect_until >= current_date) "
            "ORDER BY random() LIMIT 2000")).scalars())
        staff = db.execute(sa.text("SELECT count(*) FROM institutions")).scalar()
        top = db.execute(sa.text("SELECT max(id) FROM users")).scalar()
    residents = rnd.sample(range(staff + 1, top + 1), min(writes, top - staff))
    return Targets(open_ids, comments, proposals, residents)


def run_writes(port: int, targets: Targets, cookie_and_token, rate: float, duration: float, run_id: str) -> dict:
    """Open loop: a write every 1/`rate` s for `duration` s (comment, reply, support in turn), each by the next
    resident. `cookie_and_token(user_id) -> (cookie, csrf token)`. Returns latencies and what was acknowledged."""
    count = int(rate * duration)
    prepared = [cookie_and_token(user) for user in targets.residents[:count]]
    rnd = random.Random(7)
    acknowledged = {"comment": [], "reply": [], "support": []}
    stats = {kind: Stats() for kind in acknowledged}
    overall = Stats()
    lock = threading.Lock()
    lateness = []

    def write(n: int):
        kind = ("comment", "reply", "support")[n % 3]
        user = targets.residents[n]
        cookie, token = prepared[n]
        marker = f"[{run_id}-{n}]"
        if kind == "comment":
            consultation = rnd.choice(targets.consultations)
            path = f"/consultations/{consultation}/comments"
            form = {"csrf_token": token, "section": "0", "text": f"Mērījuma komentārs {marker}", "on_behalf": "0",
                    "represents": "", "show_name": "y", "submission": uuid.uuid4().hex, "website": ""}
            key = marker
        elif kind == "reply":
            consultation, parent = rnd.choice(targets.comments)
            path = f"/consultations/{consultation}/comments/{parent}/replies"
            form = {"csrf_token": token, "text": f"Mērījuma atbilde {marker}", "submission": uuid.uuid4().hex, "website": ""}
            key = marker
        else:
            proposal = rnd.choice(targets.proposals)
            path = f"/proposals/{proposal}/support"
            form = {"csrf_token": token}
            key = (proposal, user)
        headers = {"User-Agent": USER_AGENT, "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded",
                   "Referer": "http://127.0.0.1/"}
        try:
            status, seconds = request(port, "POST", path, headers, urlencode(form).encode())
        except OSError:
            status, seconds = 0, 0.0
        ok = status in (302, 303)
        with lock:
            stats[kind].add(seconds, status, ok)
            overall.add(seconds, status, ok)
            if ok:
                acknowledged[kind].append(key)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=32) as pool:
        for n in range(min(count, len(prepared))):
            due = started + n / rate
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            else:
                lateness.append(-wait)
            pool.submit(write, n)
    elapsed = time.perf_counter() - started
    return {"rate_per_s": rate, "duration_s": round(elapsed, 1), "sent": count, "overall": overall.summary(elapsed),
            "kinds": {k: s.summary(elapsed) for k, s in stats.items()}, "acknowledged": acknowledged,
            "dispatch_late_max_ms": round(max(lateness, default=0) * 1000, 1)}


def exactly_once(engine: sa.Engine, writes: dict, run_id: str) -> dict:
    """Every acknowledged write stored exactly once; nothing stored that was not acknowledged twice; the counters
    (comments per consultation, supports per proposal) equal the rows of what was touched."""
    acknowledged = writes["acknowledged"]
    with engine.connect() as db:
        stored = dict(db.execute(sa.text(
            "SELECT substring(text from '\\[' || :run || '-[0-9]+\\]'), count(*) FROM comments "
            "WHERE text LIKE '%[' || :run || '-%' GROUP BY 1"), {"run": run_id}).all())
        markers = acknowledged["comment"] + acknowledged["reply"]
        missing = [m for m in markers if stored.get(m, 0) == 0]
        doubled = [m for m, n in stored.items() if n > 1]
        unacknowledged_stored = [m for m in stored if m not in set(markers)]
        support_missing = 0
        for proposal, user in acknowledged["support"]:
            n = db.execute(sa.text("SELECT count(*) FROM supports WHERE proposal_id = :p AND user_id = :u"),
                           {"p": proposal, "u": user}).scalar()
            support_missing += n != 1
        touched = sorted({p for p, _ in acknowledged["support"]})
        counter_mismatch = db.execute(sa.text(
            "SELECT count(*) FROM proposals p WHERE p.id = ANY(:ids) AND p.support_count <> "
            "(SELECT count(*) FROM supports s WHERE s.proposal_id = p.id)"), {"ids": touched}).scalar() if touched else 0
        comment_counter_mismatch = db.execute(sa.text(
            "SELECT count(*) FROM consultations c WHERE c.comment_count <> (SELECT count(*) FROM comments m "
            "WHERE m.consultation_id = c.id AND m.parent_id IS NULL AND m.moderation = 'approved')")).scalar()
    return {"acknowledged": {k: len(v) for k, v in acknowledged.items()}, "comments_and_replies_stored": sum(stored.values()),
            "missing": len(missing) + support_missing, "doubled": len(doubled),
            "stored_without_acknowledgement": len(unacknowledged_stored),
            "support_counters_wrong": counter_mismatch, "comment_counters_wrong": comment_counter_mismatch,
            "ok": not missing and not doubled and not support_missing and not counter_mismatch and not comment_counter_mismatch}
