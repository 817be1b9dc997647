"""Follows' periodic work on the kept job queue (participation.jobs; crontab times are UTC, and each run happens once
whatever the number of consumers). The bodies are in participation.follows.digests; `flask follows ...` runs them by
hand."""
from participation.follows import digests
from participation.follows.models import Frequency
from participation.jobs import crontab, periodic_task


@periodic_task(crontab(minute="*/15"))
def sweep_follow_events() -> None:
    """Consultations closing soon; consultations whose every comment now has a position."""
    digests.sweep_closing_soon()
    digests.sweep_answered_consultations()


@periodic_task(crontab(minute="0", hour="5"))  # 07:00 in Riga in winter, 08:00 in summer
def daily_digests() -> None:
    digests.send_digests(Frequency.DAILY)


@periodic_task(crontab(minute="15", hour="5", day_of_week="1"))  # Monday morning
def weekly_digests() -> None:
    digests.send_digests(Frequency.WEEKLY)


@periodic_task(crontab(minute="30", hour="4"))
def deadline_digests() -> None:
    """Staff's daily digest of cases nearing their deadline."""
    digests.send_deadline_digests()
