"""The kept job queue (participation/jobs) and its consumer (`flask worker`, participation/worker.py).

A periodic task runs once per minute however many consumers try (the claimed row in job_runs); a change that wrote
e-mail puts a delivery job on the queue once it commits (never when it rolls back); a real consumer process takes the
job from a SQLite queue file and delivers the message to a real SMTP server, runs the periodic tasks, and stops on
Ctrl-C (SIGINT)."""
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from participation import create_app
from participation.extensions import db
from participation.jobs import huey, run_now, task_modules
from participation.jobs.models import JobRun
from participation.jobs.tasks import close_consultations, deliver_mail
from participation.outbox.models import OutboxMessage
from participation.outbox.services import send_email
from tests.smtp_server import SMTPServer

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 20, 10, 0, 12)


def test_a_periodic_task_runs_once_per_minute(app, session, fixed_now):
    fixed_now(NOW)
    send_email("anna@example.lv", "Atbilde", "Teksts")
    db.session.commit()
    assert deliver_mail.call_local() == (1, 0)
    send_email("peteris@example.lv", "Atbilde", "Teksts")
    db.session.commit()
    fixed_now(NOW + timedelta(seconds=30))
    assert deliver_mail.call_local() is None  # this minute's run has been done: the second consumer skips it
    assert db.session.scalar(select(OutboxMessage.sent_at).where(OutboxMessage.recipient == "peteris@example.lv")) is None
    fixed_now(NOW + timedelta(minutes=1))
    assert deliver_mail.call_local() == (1, 0)
    runs = db.session.execute(select(JobRun.slot, JobRun.claims, JobRun.finished_at)
                              .where(JobRun.task == "participation.jobs.tasks.deliver_mail").order_by(JobRun.slot)).all()
    assert runs == [(datetime(2026, 11, 20, 10, 0), 2, NOW), (datetime(2026, 11, 20, 10, 1), 1, NOW + timedelta(minutes=1))]
    assert run_now(deliver_mail) == (0, 0)  # the body alone, no claim (for tests and the CLI)


def test_a_failed_run_records_its_error(app, session, fixed_now, monkeypatch):
    fixed_now(NOW)
    from participation.consultations import services

    def broken():
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "process_all_closed", broken)
    with pytest.raises(RuntimeError):
        close_consultations.call_local()
    run = db.session.scalars(select(JobRun).where(JobRun.task == "participation.jobs.tasks.close_consultations")).one()
    assert run.finished_at is None and run.error == "RuntimeError: the database went away"


def test_several_consumers_at_once_run_a_periodic_task_once(committed_app, fixed_now):
    """Twelve consumers' threads claim the same minute on PostgreSQL at the same moment: one runs it."""
    fixed_now(NOW)

    def consumer(_n):
        with committed_app.app_context():
            return close_consultations.call_local()

    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(consumer, range(12)))
    assert results.count(None) == 11 and results.count(0) == 1
    with committed_app.app_context():
        assert db.session.execute(select(JobRun.task, JobRun.claims)).all() == [
            ("participation.jobs.tasks.close_consultations", 12)]


def test_every_packages_tasks_module_is_found():
    modules = task_modules()
    assert "participation.jobs.tasks" in modules
    assert all((ROOT / module.replace(".", "/")).with_suffix(".py").exists() for module in modules)


@pytest.fixture
def queued_app(tmp_path):
    """An app (SQLite) whose job queue is a real SQLite file, not immediate mode."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'app.sqlite'}",
                     JOBS_QUEUE=f"sqlite:///{tmp_path / 'jobs.sqlite3'}")
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


def test_a_commit_that_wrote_mail_puts_a_delivery_on_the_queue(queued_app):
    with queued_app.app_context():
        assert not huey.immediate and huey.pending_count() == 0
        send_email("anna@example.lv", "Atcelts", "x")
        db.session.rollback()
        assert huey.pending_count() == 0  # nothing for a change that rolled back
        send_email("anna@example.lv", "Atbilde", "x")
        send_email("peteris@example.lv", "Atbilde", "x")
        db.session.commit()
        [job] = huey.pending()
        assert job.name == "participation.jobs.tasks.deliver_mail_now"
        db.session.commit()  # a commit with no new mail adds nothing
        assert huey.pending_count() == 1
    with create_app("testing").app_context():
        assert huey.immediate  # another app in the same process keeps its own (immediate) queue


def test_the_consumer_refuses_to_start_without_a_queue():
    result = create_app("testing").test_cli_runner().invoke(args=["worker"])
    assert result.exit_code != 0 and "JOBS_QUEUE=immediate" in str(result.exception)


def test_a_real_consumer_delivers_the_mail_and_runs_the_periodic_tasks(queued_app, tmp_path):
    database, queue = queued_app.config["SQLALCHEMY_DATABASE_URI"], queued_app.config["JOBS_QUEUE"]
    with SMTPServer() as smtp:
        with queued_app.app_context():
            send_email("anna@example.lv", "Atbilde", "Jūsu priekšlikumam ir atbilde.")
            db.session.commit()
            assert huey.pending_count() == 1
        env = dict(os.environ, FLASK_APP="wsgi", FLASK_CONFIG="development", DATABASE_URL=database, JOBS_QUEUE=queue,
                   MAIL_SERVER="127.0.0.1", MAIL_PORT=str(smtp.port), MAIL_USE_TLS="0", LOG_LEVEL="INFO")
        env.pop("REDIS_URL", None)
        log = tmp_path / "consumer.log"
        with open(log, "wb") as out:
            consumer = subprocess.Popen([sys.executable, "-m", "flask", "worker", "--workers", "2"], cwd=ROOT, env=env,
                                        stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not smtp.received:
                time.sleep(0.2)
            assert [email["To"] for email in smtp.received] == ["anna@example.lv"], log.read_text()
            with queued_app.app_context():
                while time.monotonic() < deadline and db.session.scalar(
                        select(func.count(JobRun.id)).where(JobRun.finished_at.is_not(None))) < 2:
                    db.session.remove()
                    time.sleep(0.2)
                tasks = set(db.session.scalars(select(JobRun.task).where(JobRun.finished_at.is_not(None))))
                assert {"participation.jobs.tasks.close_consultations", "participation.jobs.tasks.deliver_mail"} <= tasks, (
                    db.session.execute(select(JobRun.task, JobRun.error)).all(), log.read_text())
                assert huey.pending_count() == 0
                assert db.session.scalar(select(OutboxMessage.sent_at)) is not None
                db.session.remove()
        finally:
            consumer.send_signal(signal.SIGINT)
            try:
                code = consumer.wait(timeout=30)
            except subprocess.TimeoutExpired:
                consumer.kill()
                raise
        assert code == 0, log.read_text()
        assert len(smtp.received) == 1  # the periodic sweep found nothing more to send: delivered once


def test_metrics_show_the_job_queue_length(queued_app):
    queued_app.config["METRICS_TOKEN"] = "scraper-secret"
    with queued_app.app_context():
        send_email("anna@example.lv", "Atbilde", "x")
        db.session.commit()  # one delivery job waits: no consumer runs here
    page = queued_app.test_client().get("/metrics", headers={"Authorization": "Bearer scraper-secret"}).get_data(as_text=True)
    assert "\nlidzdaliba_job_queue_length 1.0\n" in page


def test_old_records_of_periodic_runs_are_removed(app, session, fixed_now):
    fixed_now(NOW)
    deliver_mail.call_local()
    fixed_now(NOW + timedelta(days=14, minutes=-1))
    close_consultations.call_local()
    fixed_now(NOW + timedelta(days=14, minutes=1))
    from participation.jobs.tasks import prune_job_runs

    assert run_now(prune_job_runs) == 1
    assert db.session.scalars(select(JobRun.task)).all() == ["participation.jobs.tasks.close_consultations"]


def test_a_change_that_writes_mail_commits_when_the_queue_is_down(tmp_path):
    from tests.smtp_server import free_port

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'app.sqlite'}",
                     JOBS_QUEUE=f"redis://127.0.0.1:{free_port()}/0", METRICS_TOKEN="scraper-secret")
    with app.app_context():
        upgrade()
        send_email("anna@example.lv", "Atbilde", "x")
        db.session.commit()  # the delivery job cannot be queued: the mail waits in the outbox for the sweep
        assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.sent_at.is_(None))) == 1
        db.session.remove()
    page = app.test_client().get("/metrics", headers={"Authorization": "Bearer scraper-secret"})
    assert page.status_code == 200 and "lidzdaliba_job_queue_length" not in page.get_data(as_text=True)
    with app.app_context():
        db.engine.dispose()
