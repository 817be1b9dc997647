"""Deadline rules are data with an effective date; a case is judged by the rule in force on receipt."""
from datetime import date, datetime

import pytest

from participation.cases import rules
from participation.cases.models import DeadlineRule, DurationUnit
from participation.extensions import db


@pytest.mark.parametrize(
    "received_on, expected",
    [
        (date(2026, 2, 20), date(2026, 3, 20)),  # old law: one month
        (date(2026, 1, 31), date(2026, 3, 2)),  # one month ends on Saturday 28 Feb -> Monday
        (date(2026, 2, 27), date(2026, 3, 27)),  # last working day before the amendment: still a month
        (date(2026, 3, 1), date(2026, 3, 13)),  # the amendment's first day (a Sunday): ten working days
        (date(2026, 3, 2), date(2026, 3, 16)),
        (date(2026, 11, 16), date(2026, 12, 1)),  # across 18 November
        (date(2026, 12, 18), date(2027, 1, 7)),  # across Christmas and New Year
    ],
)
def test_submission_answer_due_date_follows_the_rule_in_force_on_receipt(session, received_on, expected):
    assert rules.due_date(rules.SUBMISSION_ANSWER, received_on) == expected


def test_forwarding_limit_changed_from_seven_to_five_working_days(session):
    assert rules.rule_in_force(rules.SUBMISSION_FORWARD, date(2026, 2, 28)).length == 7
    assert rules.rule_in_force(rules.SUBMISSION_FORWARD, date(2026, 3, 1)).length == 5


def test_a_new_rule_row_changes_deadlines_from_its_effective_date_only(session):
    db.session.add(DeadlineRule(code=rules.SUBMISSION_ANSWER, length=15, unit=DurationUnit.WORKING_DAYS,
                                effective_from=date(2027, 1, 1), source="test"))
    db.session.commit()
    assert rules.due_date(rules.SUBMISSION_ANSWER, date(2026, 12, 30)) == date(2027, 1, 15)  # 10 working days
    assert rules.due_date(rules.SUBMISSION_ANSWER, date(2027, 1, 4)) == date(2027, 1, 25)  # 15 working days


def test_unknown_rule_is_an_error(session):
    with pytest.raises(rules.NoRuleInForce):
        rules.due_date("no_such_rule", date(2026, 5, 5))


def test_day_of_receipt_is_the_riga_date(make_case):
    # 23:30 UTC on 28 February is 01:30 on 1 March in Riga: the amended law applies.
    case = make_case(received_at=datetime(2026, 2, 28, 23, 30))
    assert case.due_on == date(2026, 3, 13)
    case = make_case(received_at=datetime(2026, 2, 27, 21, 30))  # 23:30 Riga on 27 February
    assert case.due_on == date(2026, 3, 27)
