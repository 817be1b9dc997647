"""Accountability figures, computed from the cases (two queries whatever the number of cases)."""
from dataclasses import dataclass
from statistics import median

from sqlalchemy import case as when
from sqlalchemy import func, select

from participation.cases.models import AWAITING_STATES, Case
from participation.clock import riga_today
from participation.extensions import db


@dataclass(frozen=True)
class Figures:
    received: int
    answered: int
    answered_share: float | None
    median_working_days: float | None
    within_deadline_share: float | None
    overdue_now: int
    awaiting_now: int  # cases awaiting an answer now (private ones too: a number names no one)


def institution_figures(institution_id: int) -> Figures:
    """Answered share, median working days to answer, answered within the deadline, overdue now, awaiting now
    (computed at most once per period and worker: participation/cache.py)."""
    from participation import cache

    return cache.cached(("figures", 2, institution_id), lambda: _compute_figures(institution_id))  # 2: awaiting_now


def _compute_figures(institution_id: int) -> Figures:
    received, answered, in_time, overdue, awaiting, timed = db.session.execute(
        select(
            func.count(Case.id),
            func.count(Case.answered_at),
            func.count(when((Case.answered_in_time.is_(True), 1))),
            func.count(when((Case.state.in_(AWAITING_STATES) & (Case.due_on < riga_today()), 1))),
            func.count(when((Case.state.in_(AWAITING_STATES), 1))),
            func.count(Case.working_days_to_answer),
        ).where(Case.institution_id == institution_id)
    ).one()
    # Working days to answer are stored with each first answer. The median is the middle one (or the mean of the
    # middle two) in order, read from the index where they are sorted: not tens of thousands of rows into Python.
    middle = db.session.scalars(
        select(Case.working_days_to_answer)
        .where(Case.institution_id == institution_id, Case.working_days_to_answer.is_not(None))
        .order_by(Case.working_days_to_answer)
        .offset((timed - 1) // 2)
        .limit(2 - timed % 2)
    ).all() if timed else []
    return Figures(
        received=received,
        answered=answered,
        answered_share=(answered / received) if received else None,
        median_working_days=median(middle) if middle else None,
        within_deadline_share=(in_time / answered) if answered else None,
        overdue_now=overdue,
        awaiting_now=awaiting,
    )
