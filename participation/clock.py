"""The one place that asks what time it is; tests and demos move the clock with `set_fixed_now`."""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

RIGA = ZoneInfo("Europe/Riga")


_fixed_now: datetime | None = None


def set_fixed_now(moment: datetime | None) -> None:
    """Stop the clock at a naive-UTC moment (None lets it run again)."""
    global _fixed_now
    _fixed_now = moment


def utcnow() -> datetime:
    """Now in UTC, as a naive datetime (the database stores naive UTC)."""
    if _fixed_now is not None:
        return _fixed_now
    return datetime.now(timezone.utc).replace(tzinfo=None)


def to_riga(moment: datetime) -> datetime:
    """A naive-UTC datetime as an aware Europe/Riga datetime."""
    return moment.replace(tzinfo=timezone.utc).astimezone(RIGA)


def riga_today() -> date:
    return to_riga(utcnow()).date()


def riga_date(moment: datetime) -> date:
    return to_riga(moment).date()


def riga_to_utc(local: datetime) -> datetime:
    """A naive Europe/Riga wall-clock time as naive UTC."""
    return local.replace(tzinfo=RIGA).astimezone(timezone.utc).replace(tzinfo=None)
