"""Retention (issue 18): what is removed after the periods the privacy notice states. Run as periodic tasks
(accounts/tasks.py); each function returns how many rows it removed, and can be run again safely.

- `remove_unverified_accounts`: an account whose address was never confirmed within UNVERIFIED_ACCOUNT_DAYS goes with
  its drafts, follows and settings (the row outright when nothing else points at it, else anonymised like a deleted
  account);
- `remove_old_security_events`: log-in and rate-limit events older than SECURITY_EVENTS_RETENTION_DAYS (the counters
  of the rate limits themselves expire in their storage on their own, within a day);
- `remove_old_audit_entries`: the admins' audit log older than AUDIT_LOG_RETENTION_DAYS.
"""
import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from participation.accounts import services
from participation.accounts.models import SecurityEvent, User
from participation.clock import utcnow
from participation.extensions import db

log = logging.getLogger("participation.accounts")


def _before(setting: str):
    return utcnow() - timedelta(days=int(current_app.config[setting]))


def remove_unverified_accounts() -> int:
    removed = 0
    stale = db.session.scalars(select(User).where(User.email_verified_at.is_(None), User.deleted_at.is_(None),
                                                  User.created_at < _before("UNVERIFIED_ACCOUNT_DAYS"))).all()
    for user in stale:
        user_id = user.id
        services.erase_personal_rows(user)  # drafts, follows, preferences, log-in events, e-mail to it ...
        db.session.flush()
        if services.user_references(user_id) == 0:
            db.session.delete(user)
            db.session.commit()
            outcome = "deleted"
        else:
            services.delete_account(user)  # it wrote something public (or is named in a log): anonymised instead
            outcome = "anonymised"
        log.info("unverified account %s %s after %s days", user_id, outcome, current_app.config["UNVERIFIED_ACCOUNT_DAYS"])
        removed += 1
    return removed


def remove_old_security_events() -> int:
    result = db.session.execute(delete(SecurityEvent).where(SecurityEvent.created_at < _before("SECURITY_EVENTS_RETENTION_DAYS")))
    db.session.commit()
    return result.rowcount or 0


def remove_old_audit_entries() -> int:
    from participation.admin.models import PersonalDataAccess

    result = db.session.execute(delete(PersonalDataAccess).where(PersonalDataAccess.created_at < _before("AUDIT_LOG_RETENTION_DAYS")))
    db.session.commit()
    return result.rowcount or 0
