"""The background worker (`flask worker`): every minute it runs the closing step of consultations whose window ended
and delivers queued e-mail. Several workers may run (one per server); on PostgreSQL the periodic step is taken by one
of them at a time (a session-level advisory lock), and e-mail delivery already shares the outbox with SKIP LOCKED.
"""
import logging
import time

from sqlalchemy import text

from participation.extensions import db

LOCK_KEY = 734_201_101  # a fixed number shared by every worker of this platform
log = logging.getLogger("participation.worker")


def _take_lock(connection) -> bool:
    if connection.dialect.name != "postgresql":
        return True  # SQLite: one machine, one worker
    return bool(connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}).scalar())


def _release_lock(connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})


def run_periodic_step() -> bool:
    """One round of the periodic work; False when another worker holds the lock (it is doing the round)."""
    from participation.consultations.services import process_all_closed
    from participation.outbox.services import deliver_queued

    with db.engine.connect() as lock_connection:
        if not _take_lock(lock_connection):
            return False
        try:
            opened = process_all_closed()
            sent, failed = deliver_queued(200)
            if opened or sent or failed:
                log.info("periodic step: %d cases opened, %d e-mails sent, %d failed", opened, sent, failed)
        finally:
            db.session.remove()
            _release_lock(lock_connection)
            lock_connection.commit()
    return True


def run_forever(interval_seconds: float = 60.0, rounds: int | None = None) -> None:
    done = 0
    while rounds is None or done < rounds:
        try:
            run_periodic_step()
        except Exception:  # noqa: BLE001  (a failed round is logged; the next one tries again)
            log.exception("periodic step failed")
            db.session.remove()
        done += 1
        if rounds is None or done < rounds:
            time.sleep(interval_seconds)
