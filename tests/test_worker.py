"""The background worker: one round delivers queued e-mail and runs the closing step; with several workers on
PostgreSQL, a round runs in one of them at a time (the advisory lock)."""
from sqlalchemy import select, text

from participation.extensions import db
from participation.outbox.models import OutboxMessage
from participation.outbox.services import send_email
from participation.worker import LOCK_KEY, run_forever, run_periodic_step


def test_a_round_delivers_queued_mail(committed_app):
    with committed_app.app_context():
        send_email("iedzivotajs@example.lv", "Atbilde", "Jūsu priekšlikumam ir atbilde.")
        db.session.commit()
        run_forever(interval_seconds=0, rounds=1)
        assert db.session.scalar(select(OutboxMessage.sent_at)) is not None


def test_a_second_worker_skips_the_round_while_the_first_holds_it(committed_app):
    with committed_app.app_context():
        with db.engine.connect() as first:
            assert first.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}).scalar()
            assert run_periodic_step() is False
            first.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
            first.commit()
        assert run_periodic_step() is True
