"""Retention as periodic tasks on the kept job queue (participation/jobs): once a night, whatever the number of
consumers. The functions are in accounts/retention.py."""
from participation.accounts import retention
from participation.jobs import crontab, periodic_task


@periodic_task(crontab(minute="20", hour="1"))  # UTC
def remove_unverified_accounts() -> int:
    return retention.remove_unverified_accounts()


@periodic_task(crontab(minute="30", hour="1"))
def remove_old_security_events() -> int:
    return retention.remove_old_security_events()


@periodic_task(crontab(minute="40", hour="1"))
def remove_old_audit_entries() -> int:
    return retention.remove_old_audit_entries()
