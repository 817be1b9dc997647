"""Latvian working days on real 2026 dates (the day of receipt is day zero)."""
from datetime import date

import pytest

from participation.cases.calendar import add_duration, add_working_days, is_working_day, working_days_between
from participation.cases.models import DurationUnit


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2026, 4, 3), False),  # Good Friday
        (date(2026, 4, 6), False),  # Easter Monday
        (date(2026, 5, 1), False),  # Labour Day
        (date(2026, 5, 4), False),  # Restoration of Independence
        (date(2026, 6, 22), False),  # moved day off before Midsummer
        (date(2026, 6, 23), False),
        (date(2026, 6, 24), False),
        (date(2026, 11, 18), False),  # Proclamation Day
        (date(2026, 12, 24), False),
        (date(2026, 12, 25), False),
        (date(2026, 12, 31), False),
        (date(2026, 1, 2), False),  # day off moved from Saturday 17 January
        (date(2026, 1, 17), True),  # ...which makes that Saturday a working day
        (date(2026, 6, 27), True),  # the Saturday worked for 22 June
        (date(2026, 11, 21), False),  # an ordinary Saturday
        (date(2026, 11, 19), True),  # an ordinary Thursday
    ],
)
def test_latvian_calendar(day, expected):
    assert is_working_day(day) is expected


@pytest.mark.parametrize(
    "start, count, expected",
    [
        (date(2026, 4, 2), 1, date(2026, 4, 7)),  # over Easter
        (date(2026, 4, 30), 1, date(2026, 5, 5)),  # over 1 and 4 May
        (date(2026, 11, 17), 1, date(2026, 11, 19)),  # over 18 November
        (date(2026, 12, 23), 1, date(2026, 12, 28)),  # over Christmas
        (date(2026, 12, 30), 1, date(2027, 1, 4)),  # over New Year
        (date(2025, 12, 30), 1, date(2026, 1, 5)),  # over the moved 2 January
        (date(2026, 11, 16), 10, date(2026, 12, 1)),  # ten working days with 18 November inside
        (date(2026, 11, 20), 0, date(2026, 11, 20)),  # day zero is the day of receipt
    ],
)
def test_add_working_days(start, count, expected):
    assert add_working_days(start, count) == expected


def test_receipt_on_a_weekend_counts_from_the_next_working_day():
    # Received on Sunday 1 March 2026: Monday 2 March is working day 1, Friday 13 March is day 10.
    assert add_working_days(date(2026, 3, 1), 10) == date(2026, 3, 13)


def test_calendar_limits_ending_on_a_day_off_move_to_the_next_working_day():
    assert add_duration(date(2026, 1, 31), 1, DurationUnit.MONTHS) == date(2026, 3, 2)  # 28 Feb is a Saturday
    assert add_duration(date(2026, 11, 24), 30, DurationUnit.CALENDAR_DAYS) == date(2026, 12, 28)  # 24 Dec -> after Christmas
    assert add_duration(date(2026, 2, 20), 1, DurationUnit.MONTHS) == date(2026, 3, 20)


def test_working_days_between():
    assert working_days_between(date(2026, 11, 16), date(2026, 12, 1)) == 10
    assert working_days_between(date(2026, 11, 20), date(2026, 11, 20)) == 0
