"""The benchmark's seeding and report run at a tiny scale, so they do not rot (issue 7). Timing is never asserted:
this checks that the seed builds every page's data with consistent counters, that every measured page answers 200
with its SQL queries counted, and that the report files name every page. Needs PostgreSQL (as the suite's fixtures:
skipped outside CI when it is down, a failure when LIDZDALIBA_REQUIRE_POSTGRES=1)."""
import json
import os
import uuid
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from tests.conftest import POSTGRES_URL, REQUIRE_POSTGRES, need_postgres


@pytest.fixture(scope="module")
def bench_database():
    need_postgres()
    from bench.run import drop_database, fresh_database

    url = sa.engine.make_url(POSTGRES_URL).set(database=f"lidzdaliba_bench_test_{os.getpid()}_{uuid.uuid4().hex[:6]}")
    url = url.render_as_string(hide_password=False)
    try:
        database = fresh_database(url)
    except sa.exc.DBAPIError as error:  # an account that may not create databases
        if REQUIRE_POSTGRES:
            raise
        pytest.skip(f"cannot create a database for the benchmark: {error}")
    yield database
    drop_database(url)


def test_seed_and_report_at_a_tiny_scale(bench_database, tmp_path):
    from bench import report
    from bench.run import measure, migrate_and_seed, pages_for

    seeded = migrate_and_seed(bench_database, 0.0001, log=lambda message: None)
    engine = sa.create_engine(bench_database)
    with engine.connect() as db:
        one = lambda sql: db.execute(sa.text(sql)).scalar()  # noqa: E731
        assert one("SELECT count(*) FROM comments WHERE consultation_id = 1 AND parent_id IS NULL") == seeded.sizes["big_comments"]
        assert one("SELECT count(*) FROM supports WHERE proposal_id = 1") == seeded.sizes["big_supports"]
        assert one("SELECT count(*) FROM cases") >= seeded.sizes["cases"]
        for state in ("open", "answered", "extended", "forwarded", "not_examined"):
            assert one(f"SELECT count(*) FROM cases WHERE state = '{state}'") > 0, state
        # The counters the pages read equal the rows.
        assert one("""SELECT count(*) FROM proposals p WHERE p.support_count <>
                      (SELECT count(*) FROM supports s WHERE s.proposal_id = p.id)""") == 0
        assert one("""SELECT count(*) FROM consultations c WHERE c.comment_count <>
                      (SELECT count(*) FROM comments m WHERE m.consultation_id = c.id AND m.parent_id IS NULL)""") == 0
        assert one("""SELECT count(*) FROM consultations c WHERE c.positions_waiting <>
                      (SELECT count(*) FROM comments m LEFT JOIN cases k ON k.id = m.case_id
                       WHERE m.consultation_id = c.id AND m.parent_id IS NULL AND m.moderation = 'approved'
                         AND (m.case_id IS NULL OR (k.position IS NULL AND k.state <> 'not_examined')))""") == 0
        assert one("SELECT positions_waiting FROM consultations WHERE id = :id".replace(":id", str(seeded.closed_consultation_id))) == 0
        assert one("SELECT count(*) FROM consultations WHERE positions_waiting > 0") > 0  # open ones wait
        assert one("""SELECT count(*) FROM sections s WHERE s.comment_count <>
                      (SELECT count(*) FROM comments m WHERE m.section_id = s.id AND m.parent_id IS NULL)""") == 0
        # Every top-level comment of a closed consultation has its case; the large one's summary is complete.
        assert one("""SELECT count(*) FROM comments m JOIN consultations c ON c.id = m.consultation_id
                      WHERE c.cases_opened_at IS NOT NULL AND m.parent_id IS NULL AND m.case_id IS NULL""") == 0
        # Website feedback (issue 15): the rows, and the figures' counters equal to them.
        assert one("SELECT count(*) FROM feedback") == seeded.sizes["feedback"]
        assert one("SELECT responses FROM feedback_pages WHERE page_url = ''") == seeded.sizes["feedback"]
        assert one("""SELECT count(*) FROM feedback_pages p WHERE p.page_url <> '' AND p.responses <>
                      (SELECT count(*) FROM feedback f WHERE f.page_url = p.page_url)""") == 0
        assert one("SELECT sum(responses) FROM feedback_weeks WHERE page_url = ''") == seeded.sizes["feedback"]
        # Issue 17: the HTML stored beside every seeded text is what the sanitiser makes of it, in the current policy,
        # and the list totals the pages read equal the rows.
        from participation.text import POLICY, sanitise

        for table, fields in {"comments": ("text",), "responses": ("text",), "proposals": ("problem", "solution", "benefit"),
                              "feedback": ("text",)}.items():
            columns = ", ".join(f"{f}, {f}_html" for f in fields)
            for row in db.execute(sa.text(f"SELECT html_policy, {columns} FROM {table}")):
                assert row[0] == POLICY, (table, row)
                for i in range(len(fields)):
                    assert row[2 + 2 * i] == sanitise(row[1 + 2 * i]), (table, row)
        assert one("""SELECT value FROM counters WHERE name = 'proposals:listed'""") == one(
            "SELECT count(*) FROM proposals WHERE status = 'submitted' AND moderation = 'approved' AND merged_into_id IS NULL")
        assert one("SELECT value FROM counters WHERE name = 'log:1'") == one("SELECT count(*) FROM log_lines WHERE institution_id = 1") == one(
            """SELECT count(*) FROM responses r JOIN cases c ON c.id = r.case_id
               WHERE NOT c.is_private AND (r.institution_id = 1 OR r.target_institution_id = 1)""")
    engine.dispose()

    from bench.run import settle

    settle(bench_database, log=lambda message: None, limit=10)
    args = SimpleNamespace(scale=0.0001, workers=1, threads=1, concurrency=1, duration=0, no_load=True, date="tiny")
    results = measure(bench_database, seeded, args)
    pages = pages_for(seeded)
    assert [p["name"] for p in results["pages"]] == [p.name for p in pages]
    for page in results["pages"]:
        assert page["status"] == 200, page
        assert page["queries"] > 0, page
        assert page.get("export") or ("cold_ms" in page and "warm_ms" in page), page  # reported, never judged
    assert results["export"]["lines"] == seeded.sizes["big_comments"] + 1  # the header and one line per comment

    md, js = report.write(results, tmp_path, "tiny")
    text = md.read_text(encoding="utf-8")
    stored = json.loads(js.read_text(encoding="utf-8"))
    for page in pages:
        assert page.path in text
    assert "## One request in-process" in text
    assert [p["path"] for p in stored["pages"]] == [p.path for p in pages]


def test_the_long_tail_kinds_and_the_write_clients_at_a_tiny_scale(bench_database):
    """Issue 17: every long-tail kind draws pages that answer 200 (the inbox signed in as the institution's staff), and
    a write posted as the write clients post it (a signed-in resident, a CSRF token, a marker) is acknowledged and
    counted exactly once; one never acknowledged counts as missing."""
    import uuid as uuid_module

    from bench import longtail
    from bench.run import USER_AGENT, cookie_and_token, fresh_database, make_app, migrate_and_seed, session_cookie

    fresh_database(bench_database)  # the module's database, emptied
    seeded = migrate_and_seed(bench_database, 0.0001, log=lambda message: None)
    engine = sa.create_engine(bench_database)
    app = make_app(bench_database)
    app.config.update(RATELIMIT_ENABLED=False, FORM_MIN_FILL_SECONDS=0)  # as bench/wsgi.py
    client = app.test_client()

    def signed_in(cookie):  # the test client sends its own cookie jar, not a Cookie header
        own = app.test_client()
        own.set_cookie(*cookie.split("=", 1))
        return own

    def get(path, user=None):
        return (signed_in(session_cookie(app, user)) if user else client).get(path, headers={"User-Agent": USER_AGENT})

    kinds = longtail.sample_kinds(engine, per_kind=5, extra_pages=seeded.extra_pages, probe=lambda path: get(path).status_code)
    names = [k.name for k in kinds]
    for expected in ("Consultation page", "A consultation's comments, a random page", "A section's comments, a random page",
                     "Summary table, a random page", "Proposal page", "Proposal list, most supported first, a random page",
                     "Institution page", "Response log, a random page", "Institution inbox, signed in, a random page"):
        assert expected in names, names
    for kind in kinds:
        for path, user in kind.paths:
            assert get(path, user).status_code == 200, (kind.name, path)

    targets = longtail.write_targets(engine, 3)
    assert targets.consultations and targets.comments and targets.proposals and len(targets.residents) == 3
    run_id = f"t{uuid_module.uuid4().hex[:6]}"
    user = targets.residents[0]
    cookie, token = cookie_and_token(app, user)
    marker = f"[{run_id}-0]"
    writer = signed_in(cookie)
    https = {"base_url": "https://localhost", "headers": {"User-Agent": USER_AGENT, "Referer": "https://localhost/"}}  # production
    response = writer.post(f"/consultations/{targets.consultations[0]}/comments", **https,
                           data={"csrf_token": token, "section": "0", "text": f"Mērījuma komentārs {marker}", "on_behalf": "0",
                                 "represents": "", "show_name": "y", "submission": uuid_module.uuid4().hex, "website": ""})
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:2000]
    proposal = targets.proposals[0]
    response = writer.post(f"/proposals/{proposal}/support", **https,
                           data={"csrf_token": token})
    assert response.status_code in (302, 303)
    writes = {"acknowledged": {"comment": [marker], "reply": [], "support": [(proposal, user)]}}
    once = longtail.exactly_once(engine, writes, run_id)
    assert once["ok"] and once["comments_and_replies_stored"] == 1 and once["missing"] == 0, once
    never_sent = {"acknowledged": {"comment": [marker, f"[{run_id}-1]"], "reply": [], "support": []}}
    assert longtail.exactly_once(engine, never_sent, run_id)["missing"] == 1
    engine.dispose()
    with app.app_context():
        from participation.extensions import db

        db.engine.dispose()
