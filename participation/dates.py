"""Dates and times as people read them, in Riga time: Latvian with the grammatical case the sentence needs, English
in its own order, never seconds, never an ISO date outside a machine-readable attribute.

Latvian declines the month after a preposition, so a template picks the filter by the words around the date:

| filter | Latvian (case) | English | use after |
| --- | --- | --- | --- |
| ``day`` | 2026. gada 30. novembris (nominative) | 30 November 2026 | a label: "Last day: …" |
| ``on_day`` | 2026. gada 30. novembrī (locative) | 30 November 2026 | "implemented on …", "closed on …" |
| ``until_day`` | 2027. gada 29. janvārim (dative) | 29 January 2027 | "līdz" / "until", "by" |
| ``from_day`` | 2026. gada 1. decembra (genitive) | 1 December 2026 | "no" / "from", "since" |
| ``riga_datetime``, ``until_datetime``, ``from_datetime`` | the same with "plkst. 14:05" | "… at 14:05" | as above |
| ``iso_datetime`` | 2026-11-30T14:05:00+02:00 | the same | a ``<time datetime="…">`` attribute |

A datetime is naive UTC (as stored); a date is a calendar day already in Riga.
"""
from datetime import date, datetime, timezone

from flask_babel import format_date, get_locale

from participation.clock import to_riga as _to_riga


def to_riga(moment: datetime) -> datetime:
    """The moment in Riga time; one at the very edge of the calendar (stored before the forms refused years outside
    2000-2100, e.g. 0001-01-01) cannot be moved to another zone and is shown in UTC rather than failing the page."""
    try:
        return _to_riga(moment)
    except (OverflowError, ValueError):
        return moment.replace(tzinfo=timezone.utc)

# Latvian month names in the cases the platform's sentences need.
_LV_MONTHS = {
    "nominative": ("janvāris", "februāris", "marts", "aprīlis", "maijs", "jūnijs", "jūlijs", "augusts", "septembris",
                   "oktobris", "novembris", "decembris"),
    "genitive": ("janvāra", "februāra", "marta", "aprīļa", "maija", "jūnija", "jūlija", "augusta", "septembra",
                 "oktobra", "novembra", "decembra"),
    "dative": ("janvārim", "februārim", "martam", "aprīlim", "maijam", "jūnijam", "jūlijam", "augustam", "septembrim",
               "oktobrim", "novembrim", "decembrim"),
    "locative": ("janvārī", "februārī", "martā", "aprīlī", "maijā", "jūnijā", "jūlijā", "augustā", "septembrī",
                 "oktobrī", "novembrī", "decembrī"),
}


def _is_latvian() -> bool:
    locale = get_locale()
    return locale is None or locale.language == "lv"


def _as_day(value) -> date:
    if isinstance(value, datetime):
        return to_riga(value).date()
    return value


def format_day(value, case: str = "nominative") -> str:
    """A calendar day: "2026. gada 30. novembrī" (in the Latvian case asked for) or "30 November 2026"."""
    if value is None:
        return ""
    day = _as_day(value)
    if _is_latvian():
        return f"{day.year}. gada {day.day}. {_LV_MONTHS[case][day.month - 1]}"
    return format_date(day, "d MMMM y")


def format_moment(value, case: str = "locative") -> str:
    """A moment (naive UTC) in Riga time, to the minute: "2026. gada 30. novembrī plkst. 14:05" or
    "30 November 2026 at 14:05"."""
    if value is None:
        return ""
    local = to_riga(value)
    clock = local.strftime("%H:%M")
    if _is_latvian():
        return f"{format_day(local.date(), case)} plkst. {clock}"
    return f"{format_date(local.date(), 'd MMMM y')} at {clock}"


def iso_datetime(value) -> str:
    """A valid HTML datetime attribute: the moment in Riga time with its offset, or a plain day."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return to_riga(value).isoformat(timespec="minutes")
    return value.isoformat()


FILTERS = {
    "day": lambda value: format_day(value, "nominative"),
    "on_day": lambda value: format_day(value, "locative"),
    "until_day": lambda value: format_day(value, "dative"),
    "from_day": lambda value: format_day(value, "genitive"),
    "riga_datetime": lambda value: format_moment(value, "locative"),
    "until_datetime": lambda value: format_moment(value, "dative"),
    "from_datetime": lambda value: format_moment(value, "genitive"),
    "iso_datetime": iso_datetime,
}
