"""Dates read as Latvian: the month in the case the sentence needs, to the minute in Riga time, English in its own
order, and a valid HTML datetime attribute."""
import re
from datetime import date, datetime

import pytest
from flask_babel import force_locale

from participation.dates import FILTERS, format_day, format_moment, iso_datetime


@pytest.mark.parametrize(
    "case, expected",
    [
        ("nominative", "2027. gada 29. janvāris"),
        ("dative", "2027. gada 29. janvārim"),  # līdz 2027. gada 29. janvārim
        ("locative", "2027. gada 29. janvārī"),
        ("genitive", "2027. gada 29. janvāra"),  # no 2027. gada 29. janvāra
    ],
)
def test_latvian_day_in_each_case(sqlite_app, case, expected):
    with sqlite_app.test_request_context("/"), force_locale("lv"):
        assert format_day(date(2027, 1, 29), case) == expected


def test_every_latvian_month_in_the_locative(sqlite_app):
    expected = ["janvārī", "februārī", "martā", "aprīlī", "maijā", "jūnijā", "jūlijā", "augustā", "septembrī",
                "oktobrī", "novembrī", "decembrī"]
    with sqlite_app.test_request_context("/"), force_locale("lv"):
        assert [format_day(date(2026, month, 1), "locative").split()[-1] for month in range(1, 13)] == expected


def test_implemented_on_reads_as_latvian(sqlite_app):
    with sqlite_app.test_request_context("/"), force_locale("lv"):
        assert FILTERS["on_day"](date(2026, 11, 30)) == "2026. gada 30. novembrī"
        assert FILTERS["until_day"](date(2027, 1, 29)) == "2027. gada 29. janvārim"


def test_moments_are_in_riga_time_to_the_minute(sqlite_app):
    moment = datetime(2026, 11, 30, 21, 59, 45)  # UTC; 23:59 in Riga (winter, UTC+2)
    with sqlite_app.test_request_context("/"), force_locale("lv"):
        assert format_moment(moment, "dative") == "2026. gada 30. novembrim plkst. 23:59"
        assert FILTERS["riga_datetime"](moment) == "2026. gada 30. novembrī plkst. 23:59"
    with sqlite_app.test_request_context("/"), force_locale("en"):
        assert format_moment(moment) == "30 November 2026 at 23:59"
        assert FILTERS["until_day"](date(2027, 1, 29)) == "29 January 2027"


def test_summer_time_moves_the_hour(sqlite_app):
    with sqlite_app.test_request_context("/"), force_locale("en"):
        assert format_moment(datetime(2026, 7, 1, 6, 0)) == "1 July 2026 at 09:00"  # UTC+3 in summer


def test_a_datetime_as_a_day_is_the_riga_day(sqlite_app):
    with sqlite_app.test_request_context("/"), force_locale("lv"):
        assert format_day(datetime(2026, 11, 30, 22, 30), "locative") == "2026. gada 1. decembrī"  # 00:30 in Riga


def test_no_seconds_and_no_empty_values(sqlite_app):
    with sqlite_app.test_request_context("/"), force_locale("lv"):
        text = format_moment(datetime(2026, 3, 2, 10, 15, 59))
        assert not re.search(r"\d:\d\d:\d\d", text)
        assert format_day(None) == "" and format_moment(None) == "" and iso_datetime(None) == ""


def test_datetime_attribute_is_valid_html():
    assert iso_datetime(datetime(2026, 11, 30, 12, 5)) == "2026-11-30T14:05+02:00"
    assert iso_datetime(date(2026, 11, 30)) == "2026-11-30"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d[+-]\d\d:\d\d", iso_datetime(datetime(2026, 6, 1, 0, 0)))
