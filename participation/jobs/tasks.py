"""The platform's own periodic work: the consultation closing step and e-mail delivery (every minute), and the
delivery job put on the queue right after a change that wrote e-mail commits (so mail leaves within seconds)."""
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
    except Exception:  # noqa: BLE001  (the queue is down: the periodic sweep delivers it within a minute)
        log.warning("could not put the e-mail delivery on the job queue", exc_info=True)


@event.listens_for(Session, "after_rollback")
def _forget(session) -> None:
    session.info.pop("outbox_written", None)
