"""Latvian working days: weekends and public holidays are off, days moved by cabinet order count."""
from datetime import date, timedelta
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta

from participation.cases.models import DurationUnit


@lru_cache(maxsize=64)
def _latvian_calendar(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("LV", years=[year])


def is_working_day(day: date) -> bool:
    """Monday–Friday that is not a public holiday or a moved day off, or a Saturday made a working day."""
    return _latvian_calendar(day.year).is_working_day(day)


def next_working_day_on_or_after(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(start: date, count: int) -> date:
    """The `count`-th working day after `start`; the start day itself is day zero."""
    day = start
    added = 0
    while added < count:
        day += timedelta(days=1)
        if is_working_day(day):
            added += 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def add_duration(start: date, length: int, unit: DurationUnit) -> date:
    """The last day of a time limit counted from `start` (day zero).

    A limit in calendar days or months that ends on a day off moves to the next working day.
    """
    if unit == DurationUnit.WORKING_DAYS:
        return add_working_days(start, length)
    if unit == DurationUnit.CALENDAR_DAYS:
        end = start + timedelta(days=length)
    else:
        end = start + relativedelta(months=length)
    return next_working_day_on_or_after(end)
