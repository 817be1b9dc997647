"""Stateless app servers: two gunicorn instances on different ports over one PostgreSQL and one Redis, as behind a
load balancer. A resident signs in on one and goes on on the other; log-in guesses are counted across both; 100
parallel supports spread over both give one row; the closing step of a consultation runs once when both try, on a page
and in the job consumers (two `flask worker` processes on the one Redis queue): so does every periodic task."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
import redis
from flask_migrate import upgrade
from sqlalchemy import func, select, update

from participation import create_app
from participation.accounts.models import User
from participation.cases.models import Case
from participation.clock import utcnow
from participation.consultations.models import Comment, Consultation
from participation.demo import DEMO_PASSWORD, seed_demo
from participation.extensions import db
from participation.jobs.models import JobRun
from participation.moderation.models import Moderation
from participation.proposals.models import Proposal, Support
from tests.conftest import _fresh_postgres_database, need_postgres

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = "redis://127.0.0.1:6379/7"  # a database of this test's own
RESIDENT = "seniors@example.lv"
SUPPORTER = "moderator@example.lv"  # verified, and not yet a supporter of the demo's collecting proposal
OPEN_CONSULTATION = "Rēzeknes novada sabiedriskās kārtības noteikumi"
COLLECTING_PROPOSAL = "Vasaras darbs jauniešiem"


class _Forms(HTMLParser):
    """The fields of every form on a page: {action: {name: value}} (checkboxes checked, the first of each name)."""

    def __init__(self):
        super().__init__()
        self.forms: dict[str, dict[str, str]] = {}
        self._current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = self.forms.setdefault(attrs.get("action") or "", {})
        elif tag in ("input", "textarea") and self._current is not None and attrs.get("name"):
            value = "y" if attrs.get("type") == "checkbox" else attrs.get("value") or ""
            if attrs.get("type") not in ("submit",):
                self._current.setdefault(attrs["name"], value)

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def _forms(html: str) -> dict[str, dict[str, str]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


class Browser:
    """A person's browser: one cookie (the session) sent to whichever server it asks."""

    def __init__(self):
        self.cookie = ""

    def request(self, url, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers={"Cookie": self.cookie} if self.cookie else {})
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            if header.startswith("session="):
                self.cookie = header.split(";", 1)[0]
        return response.status, response.read().decode("utf-8", "replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    need_postgres()
    try:
        redis.Redis.from_url(REDIS_URL).flushdb()
    except redis.exceptions.ConnectionError:
        if os.environ.get("LIDZDALIBA_REQUIRE_REDIS") == "1":
            pytest.fail("Redis is required here but does not answer")
        pytest.skip("Redis is not running (required in CI)")
    url, drop = _fresh_postgres_database()
    uploads = tmp_path_factory.mktemp("uploads")
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, UPLOAD_FOLDER=str(uploads))
    with app.app_context():
        upgrade()
        seed_demo()
        db.session.remove()
    env = dict(os.environ, FLASK_CONFIG="development", SECRET_KEY="one-secret-shared-by-both-servers",
               DATABASE_URL=url, REDIS_URL=REDIS_URL, UPLOAD_FOLDER=str(uploads), LOG_FORMAT="text")
    servers, processes = [], []
    for _ in range(2):
        port = _free_port()
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4",
             "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env))
        servers.append(f"http://127.0.0.1:{port}")
    try:
        for server in servers:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{server}/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            else:
                pytest.fail(f"{server} did not start")
        yield app, servers
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=20)
        with app.app_context():
            db.engine.dispose()
        drop()


def _log_in(browser, server, email, password=DEMO_PASSWORD):
    status, page = browser.request(f"{server}/account/login")
    fields = _forms(page)[""] if "" in _forms(page) else next(iter(_forms(page).values()))
    fields.update(email=email, password=password)
    return browser.request(f"{server}/account/login", fields)


def test_a_resident_signs_in_on_one_server_and_goes_on_on_the_other(two_servers):
    _app, (first, second) = two_servers
    browser = Browser()
    status, _ = _log_in(browser, first, RESIDENT)
    assert status == 302
    status, page = browser.request(f"{second}/account/profile")
    assert status == 200 and RESIDENT in page


def test_log_in_guesses_are_counted_across_both_servers(two_servers):
    _app, servers = two_servers
    redis.Redis.from_url(REDIS_URL).flushdb()  # the hour starts now for this address
    # Each guess at another account (the per-account throttle is the next test's): the limit per client address.
    statuses = [_log_in(Browser(), servers[attempt % 2], f"nobody{attempt}@example.lv", "wrong-password")[0]
                for attempt in range(21)]
    assert 429 not in statuses[:20], statuses
    assert statuses[20] == 429  # the 21st guess from this address within the hour, whichever server gets it


def test_guesses_at_one_account_are_throttled_across_both_servers(two_servers):
    """Issue 14, item 4: the per-account throttle lives in Redis too, so both servers slow the same account."""
    _app, servers = two_servers
    redis.Redis.from_url(REDIS_URL).flushdb()
    statuses = [_log_in(Browser(), servers[attempt % 2], "nobody@example.lv", "wrong-password")[0] for attempt in range(6)]
    assert statuses == [400] * 5 + [429], statuses  # after 5 wrong passwords the next one waits, on either server
    assert _log_in(Browser(), servers[0], "nobody@example.lv", "wrong-password")[0] == 429
    redis.Redis.from_url(REDIS_URL).flushdb()


def test_parallel_supports_over_both_servers_give_one_row(two_servers):
    app, servers = two_servers
    with app.app_context():
        proposal_id = db.session.scalar(select(Proposal.id).where(Proposal.title.startswith(COLLECTING_PROPOSAL)))
        db.session.remove()
    redis.Redis.from_url(REDIS_URL).flushdb()  # the guesses of the test before were from this address too
    browser = Browser()
    assert _log_in(browser, servers[0], SUPPORTER)[0] == 302
    _status, page = browser.request(f"{servers[1]}/proposals/{proposal_id}")
    action = next(a for a in _forms(page) if a.endswith(f"/proposals/{proposal_id}/support"))
    fields = _forms(page)[action]
    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(lambda n: browser.request(f"{servers[n % 2]}{action}", fields)[0], range(100)))
    assert all(status < 500 for status in statuses), statuses
    with app.app_context():
        rows = db.session.scalar(select(func.count(Support.id)).join(User, Support.user_id == User.id)
                                 .where(Support.proposal_id == proposal_id, User.email == SUPPORTER))
        counter = db.session.scalar(select(Proposal.support_count).where(Proposal.id == proposal_id))
        stored = db.session.scalar(select(func.count(Support.id)).where(Support.proposal_id == proposal_id))
        db.session.remove()
    assert rows == 1
    assert counter == stored


def test_the_closing_step_runs_once_when_both_servers_try(two_servers):
    app, servers = two_servers
    with app.app_context():
        consultation = db.session.scalar(select(Consultation).where(Consultation.title == OPEN_CONSULTATION))
        consultation_id = consultation.id
        db.session.execute(update(Consultation).where(Consultation.id == consultation_id)
                           .values(closes_at=utcnow() - timedelta(days=1)))  # the window ended yesterday
        db.session.commit()
        expected = db.session.scalar(select(func.count(Comment.id)).where(
            Comment.consultation_id == consultation_id, Comment.parent_id.is_(None), Comment.moderation == Moderation.APPROVED))
        before = db.session.scalar(select(func.count(Case.id)))
        db.session.remove()
    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(lambda n: Browser().request(f"{servers[n % 2]}/consultations/{consultation_id}")[0], range(24)))
    assert set(statuses) == {200}, statuses
    with app.app_context():
        opened = db.session.scalar(select(func.count(Case.id))) - before
        with_case = db.session.scalar(select(func.count(Comment.id)).where(
            Comment.consultation_id == consultation_id, Comment.parent_id.is_(None), Comment.case_id.is_not(None)))
        db.session.remove()
    assert expected > 0
    assert opened == expected and with_case == expected


def _start_consumers(url, queue_name, logs):
    env = dict(os.environ, FLASK_APP="wsgi", FLASK_CONFIG="development", SECRET_KEY="one-secret-shared-by-both-servers",
               DATABASE_URL=url, REDIS_URL=REDIS_URL, JOBS_QUEUE="", JOBS_QUEUE_NAME=queue_name, MAIL_SERVER="",
               LOG_FORMAT="text")
    processes = []
    for n in range(2):
        with open(logs / f"consumer{n}.log", "wb") as out:
            processes.append(subprocess.Popen([sys.executable, "-m", "flask", "worker", "--workers", "2"], cwd=ROOT,
                                              env=env, stdout=out, stderr=subprocess.STDOUT))
    return processes


def test_every_periodic_task_runs_once_when_both_consumers_try(two_servers, tmp_path):
    """Two job consumers (one per server) schedule the same periodic tasks on one Redis queue: each task of the minute
    runs in one of them (the claimed row in job_runs), the other skips it; the closing step opens each case once."""
    app, _servers = two_servers
    from participation.clock import riga_today, to_riga
    from participation.consultations import services as consultation_services
    from participation.institutions.models import Membership, StaffRole

    with app.app_context():
        # A consultation of its own (the demo's open one is closed by the test before): three comments, window ended.
        membership = db.session.scalars(select(Membership).where(Membership.role == StaffRole.EDITOR)).first()
        consultation = consultation_services.save_draft(membership.institution, membership.user, {
            "title": "Soliņi parkos", "kind": "municipal_regulation", "policy_area": "governance",
            "territory": "Rēzeknes novads", "official_name": "Ilze", "official_contact": "ilze@example.lv",
            "problem": "Nav soliņu.", "goal": "Būs soliņi.", "summary": "Soliņi parkos."}, "1. Soliņi.\n2. Parki.")
        consultation_services.publish(consultation, to_riga(utcnow()).replace(tzinfo=None) - timedelta(hours=1),
                                      riga_today() + timedelta(days=20))
        residents = db.session.scalars(select(User).where(User.email.in_([RESIDENT, SUPPORTER]))).all()
        for n, resident in enumerate(residents + residents[:1]):
            consultation_services.add_comment(consultation, resident, f"Soliņi arī pie skolas ({n}).")
        db.session.commit()
        consultation_id = consultation.id
        expected = db.session.scalar(select(func.count(Comment.id)).where(
            Comment.consultation_id == consultation_id, Comment.parent_id.is_(None), Comment.moderation == Moderation.APPROVED))
        db.session.execute(update(Consultation).where(Consultation.id == consultation_id)
                           .values(closes_at=utcnow() - timedelta(days=1)))
        db.session.commit()
        before = db.session.scalar(select(func.max(Case.id)))
        db.session.remove()
    # Both consumers schedule their first round at start: keep both starts within one minute.
    if time.gmtime().tm_sec > 30:
        time.sleep(61 - time.gmtime().tm_sec)
    consumers = _start_consumers(app.config["SQLALCHEMY_DATABASE_URI"], f"lidzdaliba-test-{os.getpid()}", tmp_path)
    try:
        deadline = time.monotonic() + 60
        with app.app_context():
            while time.monotonic() < deadline:
                runs = db.session.execute(select(JobRun.task, JobRun.claims, JobRun.finished_at)).all()
                db.session.remove()
                if runs and all(claims == 2 and finished for _task, claims, finished in runs):
                    break
                time.sleep(0.5)
            logs = "\n".join(p.read_text() for p in sorted(tmp_path.glob("consumer*.log")))
            assert {"participation.jobs.tasks.close_consultations", "participation.jobs.tasks.deliver_mail"} <= {
                task for task, _claims, _finished in runs}, logs
            assert all(claims == 2 and finished for _task, claims, finished in runs), (runs, logs)
            assert db.session.scalar(select(func.count(JobRun.id))) == len(runs)  # one row, one run, per task
            # Cases for this consultation's comments (the consumers may close other demo consultations too).
            opened = db.session.scalar(select(func.count(Case.id)).where(
                Case.id > before, Case.item_url.like(f"/consultations/{consultation_id}/comments/%")))
            with_case = db.session.scalar(select(func.count(Comment.id)).where(
                Comment.consultation_id == consultation_id, Comment.parent_id.is_(None), Comment.case_id.is_not(None)))
            db.session.remove()
    finally:
        for consumer in consumers:
            consumer.send_signal(signal.SIGINT)
        for consumer in consumers:
            try:
                consumer.wait(timeout=30)
            except subprocess.TimeoutExpired:
                consumer.kill()
    assert expected > 0 and opened == expected and with_case == expected
