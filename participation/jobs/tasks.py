"""The platform's own periodic work: the consultation closing step and e-mail delivery (every minute), the delivery
job put on the queue right after a change that wrote e-mail commits (so mail leaves within seconds), a nightly
removal of old `job_runs` rows (JOB_RUNS_KEEP_DAYS), and a nightly refresh of search's words for typos."""
import logging

from sqlalchemy import event
from sqlalchemy.orm import Session

from participation.jobs import crontab, huey, periodic_task, task

log = logging.getLogger("participation.jobs")


@periodic_task(crontab(minute="*"))
def close_consultations() -> int:
    """The closing step of every consultation whose window has ended (pages also run it when they are read)."""
    from participation.consultations.services import process_all_closed

    opened = process_all_closed()
    if opened:
        log.info("closing step: %d cases opened", opened)
    return opened


@periodic_task(crontab(minute="*"))
def deliver_mail() -> tuple[int, int]:
    """Every minute: the e-mail that is due (new, or waiting for its retry)."""
    return _deliver()


@periodic_task(crontab(minute="50", hour="2"))
def prune_job_runs() -> int:
    """Forget periodic runs older than JOB_RUNS_KEEP_DAYS (two rows a minute would otherwise grow without end)."""
    from datetime import timedelta

    from flask import current_app
    from sqlalchemy import delete

    from participation.clock import utcnow
    from participation.extensions import db
    from participation.jobs.models import JobRun

    before = utcnow() - timedelta(days=current_app.config.get("JOB_RUNS_KEEP_DAYS", 14))
    removed = db.session.execute(delete(JobRun).where(JobRun.slot < before)).rowcount
    db.session.commit()
    return removed


@periodic_task(crontab(minute="20", hour="3"))
def refresh_search_words() -> int:
    """Every night: search's table of stems for typos made again from the public documents (the stems of what was
    hidden, deleted or erased during the day go)."""
    from participation.extensions import db
    from participation.search.indexing import refresh_words

    count = refresh_words(db.session.connection())
    db.session.commit()
    return count


@task()
def deliver_mail_now() -> tuple[int, int]:
    """Put on the queue after a commit that wrote e-mail. Several consumers may run it at once: SKIP LOCKED."""
    return _deliver()


def _deliver() -> tuple[int, int]:
    from participation.outbox.services import deliver_queued

    sent = failed = 0
    while True:
        round_sent, round_failed = deliver_queued(200)
        sent, failed = sent + round_sent, failed + round_failed
        if round_sent + round_failed < 200:
            break
    if sent or failed:
        log.info("e-mail: %d sent, %d failed", sent, failed)
    return sent, failed


@event.listens_for(Session, "after_commit")
def _enqueue_delivery(session) -> None:
    if not session.info.pop("outbox_written", False) or huey.immediate:
        return  # immediate mode (tests): the delivery is run by the test that wants it
    try:
        deliver_mail_now()
    except Exception as error:  # noqa: BLE001  (the queue is down: the periodic sweep delivers it later)
        log.warning("could not put the e-mail delivery on the job queue: %s", error)


@event.listens_for(Session, "after_rollback")
def _forget(session) -> None:
    session.info.pop("outbox_written", None)
