"""Accountability figures, computed from cases and the response log (one query per institution)."""
from dataclasses import dataclass
from statistics import median

from sqlalchemy import select

from participation.cases.calendar import working_days_between
from participation.cases.models import AWAITING_STATES, Case
from participation.clock import riga_date, riga_today
from participation.extensions import db


@dataclass(frozen=True)
class Figures:
    received: int
    answered: int
    answered_share: float | None
    median_working_days: float | None
    within_deadline_share: float | None
    overdue_now: int


def institution_figures(institution_id: int) -> Figures:
    rows = db.session.execute(
        select(Case.received_at, Case.answered_at, Case.due_on, Case.state).where(Case.institution_id == institution_id)
    ).all()
    today = riga_today()
    received = len(rows)
    answered_rows = [r for r in rows if r.answered_at is not None]
    days = [working_days_between(riga_date(r.received_at), riga_date(r.answered_at)) for r in answered_rows]
    within = [r for r in answered_rows if riga_date(r.answered_at) <= r.due_on]
    overdue = sum(1 for r in rows if r.state in AWAITING_STATES and today > r.due_on)
    return Figures(
        received=received,
        answered=len(answered_rows),
        answered_share=(len(answered_rows) / received) if received else None,
        median_working_days=median(days) if days else None,
        within_deadline_share=(len(within) / len(answered_rows)) if answered_rows else None,
        overdue_now=overdue,
    )
