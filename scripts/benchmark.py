"""Measure the spine's pages with many cases: median and 95th-percentile time and SQL statements per page.

    make benchmark                     # SQLite in a temporary file, 5,000 cases
    BENCH_CASES=20000 DATABASE_URL=postgresql://postgres@127.0.0.1/bench make benchmark

The database named by DATABASE_URL is wiped and rebuilt: never point it at real data.
"""
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from participation import create_app  # noqa: E402
from participation.accounts.models import User  # noqa: E402
from participation.cases.models import Case, CaseState, Channel, Position, Response, ResponseKind  # noqa: E402
from participation.clock import riga_today, utcnow  # noqa: E402
from participation.extensions import db  # noqa: E402
from participation.institutions.models import Institution, InstitutionKind, Membership, StaffRole  # noqa: E402
from participation.proposals.models import Moderation, Proposal, ProposalStatus, Support  # noqa: E402

CASES = int(os.environ.get("BENCH_CASES", "5000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))


def build(app):
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        upgrade()
        institution = Institution(slug="bench", name="Bench", kind=InstitutionKind.MUNICIPALITY)
        staff = User(email="staff@bench.lv", display_name="Staff", email_verified_at=utcnow())
        staff.set_password("benchmark-password")
        db.session.add_all([institution, staff, Membership(user=staff, institution=institution, role=StaffRole.RESPONDER)])
        db.session.flush()
        now = utcnow()
        for start in range(0, CASES, 1000):
            cases = [
                Case(institution=institution, channel=Channel.PROPOSAL, title=f"Case {i}", rule_code="submission_answer",
                     received_at=now - timedelta(days=i % 60), due_on=riga_today() + timedelta(days=(i % 30) - 10),
                     state=CaseState.ANSWERED if i % 2 else CaseState.OPEN, raised_by=staff)
                for i in range(start, min(start + 1000, CASES))
            ]
            db.session.add_all(cases)
            db.session.flush()
            db.session.add_all(
                Response(case=c, institution_id=institution.id, author=staff, kind=ResponseKind.ANSWER,
                         position=Position.ACCEPTED, text="Answer " * 20)
                for c in cases if c.state == CaseState.ANSWERED
            )
            proposals = [
                Proposal(institution=institution, author=staff, title=c.title, problem="Problem " * 30,
                         solution="Solution " * 30, status=ProposalStatus.SUBMITTED, moderation=Moderation.APPROVED,
                         submitted_at=c.received_at, case=c, territory="Rīga", topics=" transport ")
                for c in cases
            ]
            db.session.add_all(proposals)
            db.session.flush()
            db.session.add_all(Support(proposal_id=p.id, user_id=staff.id) for p in proposals[::3])
            db.session.commit()


def measure(client, url):
    timings, statements = [], []
    counter = []
    listener = lambda *args: counter.append(1)  # noqa: E731
    for _ in range(ROUNDS):
        counter.clear()
        sa.event.listen(db.engine, "before_cursor_execute", listener)
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
        sa.event.remove(db.engine, "before_cursor_execute", listener)
        assert response.status_code == 200, (url, response.status_code)
        statements.append(len(counter))
    timings.sort()
    return statistics.median(timings) * 1000, timings[int(len(timings) * 0.95) - 1] * 1000, max(statements)


def main():
    url = os.environ.get("DATABASE_URL")
    if url and url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    if not url:
        url = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, PASSWORD_HASH_METHOD="scrypt:1024:8:1")
    build(app)
    with app.app_context():
        client = app.test_client()
        client.post("/account/login", data={"email": "staff@bench.lv", "password": "benchmark-password"})
        print(f"{db.engine.dialect.name}, {CASES} cases, {ROUNDS} rounds per page")
        print(f"{'page':<40} {'median ms':>10} {'p95 ms':>8} {'SQL':>5}")
        for page in ["/institutions/bench/inbox", "/institutions/bench/inbox?page=50", "/institutions/bench/log",
                     "/institutions/bench", "/cases/2", "/proposals/", "/proposals/?sort=supported",
                     "/proposals/?q=Case%201&topic=transport", "/proposals/2"]:
            median, p95, sql = measure(client, page)
            print(f"{page:<40} {median:>10.1f} {p95:>8.1f} {sql:>5}")


if __name__ == "__main__":
    main()
