"""Deadline rules are data (the deadline_rules table); this module picks the one in force."""
from datetime import date

from sqlalchemy import select

from participation.cases.calendar import add_duration
from participation.cases.models import DeadlineRule
from participation.extensions import db

# Rule codes the channels ask for (DESIGN.md §3).
CONSULTATION_WINDOW = "consultation_window"
CONSULTATION_WINDOW_MIN = "consultation_window_min"
CONSULTATION_WINDOW_MIN_MUNICIPAL = "consultation_window_min_municipal_regulation"
CONSULTATION_SUMMARY = "consultation_summary"
SUBMISSION_ANSWER = "submission_answer"
SUBMISSION_ANSWER_EXTENDED = "submission_answer_extended"
SUBMISSION_FORWARD = "submission_forward"


class NoRuleInForce(LookupError):
    pass


def rule_in_force(code: str, on: date) -> DeadlineRule:
    """The rule with this code whose effective date is the latest on or before `on`."""
    rule = db.session.scalars(
        select(DeadlineRule)
        .where(DeadlineRule.code == code, DeadlineRule.effective_from <= on)
        .order_by(DeadlineRule.effective_from.desc())
        .limit(1)
    ).first()
    if rule is None:
        raise NoRuleInForce(f"no rule {code!r} in force on {on}")
    return rule


def due_date(code: str, received_on: date, counted_from: date | None = None) -> date:
    """The due date under the rule in force on the day of receipt, counted from `counted_from`
    (by default that same day; a forwarded case counts from the day the competent institution got it)."""
    rule = rule_in_force(code, received_on)
    return add_duration(counted_from or received_on, rule.length, rule.unit)
