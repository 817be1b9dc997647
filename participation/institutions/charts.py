"""The accountability figures month by month, and the bar charts that picture them.

Per institution and per month (Riga calendar, the last `MONTHS` months up to this one):

- answered within the deadline: of the cases first answered that month, the share answered in time;
- median working days to answer: the same cases' working days, the middle one (or the mean of the middle two);
- overdue now: cases still awaiting an answer whose last day to answer fell in that month (those that fell due
  before the first month are counted apart, so the months and "earlier" add up to the institution's figure);
- proposals accepted: of the proposals first answered that month, the share whose answer in force accepts them
  (fully or in part).

Two queries for any number of institutions and cases: the answered cases grouped by institution, month and working
days (a histogram, so the median needs no list of cases), and the overdue cases grouped by institution and month.
Months are told apart in SQL by comparing with each month's first moment (the same on SQLite and PostgreSQL).

A chart is a list of bars built here; `templates/institutions/_charts.html` draws it as SVG (no JavaScript) with the
same numbers in a table beside it.
"""
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import format_date, format_percent, get_locale
from participation.i18n import gettext as _
from participation.i18n import translations
from sqlalchemy import case as when
from sqlalchemy import func, literal, select

from participation.cases.models import AWAITING_STATES, Case, Channel, Position
from participation.clock import riga_to_utc, riga_today
from participation.extensions import db

MONTHS = 12
ACCEPTING = (Position.ACCEPTED, Position.PARTLY_ACCEPTED)


# --- months -------------------------------------------------------------------------------------------------------

def month_starts(today: date, months: int = MONTHS) -> list[date]:
    """The first days of the last `months` months, oldest first, this month last."""
    starts = []
    year, month = today.year, today.month
    for _i in range(months):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


_LV_MONTHS = ("janvāris", "februāris", "marts", "aprīlis", "maijs", "jūnijs", "jūlijs", "augusts", "septembris",
              "oktobris", "novembris", "decembris")


def month_label(month: date) -> str:
    """"2026. gada novembris" or "November 2026"."""
    locale = get_locale()
    if locale is None or locale.language == "lv":
        return f"{month.year}. gada {_LV_MONTHS[month.month - 1]}"
    return format_date(month, "LLLL y")


def _bucket(column, bounds: list):
    """SQL: the index of the month `column` falls in (bounds: each month's first moment, oldest first), else -1."""
    whens = [(column >= bound, index) for index, bound in reversed(list(enumerate(bounds)))]
    return when(*whens, else_=literal(-1))


# --- figures ------------------------------------------------------------------------------------------------------

def median_of(histogram: Counter) -> float | None:
    """The median of values given as {value: how many times}."""
    total = sum(histogram.values())
    if not total:
        return None
    wanted = [(total - 1) // 2, total // 2]  # positions of the middle one or two, counted from 0
    found, seen = [], 0
    for value in sorted(histogram):
        count = histogram[value]
        while wanted and wanted[0] < seen + count:
            found.append(value)
            wanted.pop(0)
        seen += count
    return sum(found) / len(found)


@dataclass
class Tally:
    """What is counted for one institution in one month (or several months added together)."""

    answered: int = 0
    in_time: int = 0
    days: Counter = field(default_factory=Counter)
    proposals_answered: int = 0
    proposals_accepted: int = 0
    overdue_now: int = 0

    def add(self, other: "Tally") -> None:
        self.answered += other.answered
        self.in_time += other.in_time
        self.days.update(other.days)
        self.proposals_answered += other.proposals_answered
        self.proposals_accepted += other.proposals_accepted
        self.overdue_now += other.overdue_now

    @property
    def within_deadline_share(self) -> float | None:
        return self.in_time / self.answered if self.answered else None

    @property
    def median_working_days(self) -> float | None:
        return median_of(self.days)

    @property
    def accepted_share(self) -> float | None:
        return self.proposals_accepted / self.proposals_answered if self.proposals_answered else None


@dataclass
class MonthlyFigures:
    """One institution's figures: a tally per month (oldest first), and the cases overdue now that fell due earlier."""

    months: list[date]
    tallies: list[Tally]
    overdue_earlier: int = 0

    @property
    def total(self) -> Tally:
        """The months added together (overdue: every case overdue now, whenever it fell due)."""
        total = Tally()
        for tally in self.tallies:
            total.add(tally)
        total.overdue_now += self.overdue_earlier
        return total


def monthly_figures(institution_ids: list[int], months: int = MONTHS) -> dict[int, MonthlyFigures]:
    """Each institution's figures month by month (two queries whatever the number of institutions and cases; kept for
    the cache period like the figures, participation/cache.py)."""
    from participation import cache

    ids = tuple(sorted(set(institution_ids)))
    today = riga_today()
    return cache.cached(("monthly-figures", ids, today, months), lambda: _compute(ids, today, months))


def _compute(ids: tuple[int, ...], today: date, months: int) -> dict[int, MonthlyFigures]:
    starts = month_starts(today, months)
    result = {i: MonthlyFigures(starts, [Tally() for _m in starts]) for i in ids}
    if not ids:
        return result
    moments = [riga_to_utc(datetime(d.year, d.month, d.day)) for d in starts]
    answered_month = _bucket(Case.answered_at, moments).label("month")
    is_proposal = Case.channel == Channel.PROPOSAL
    rows = db.session.execute(
        select(
            Case.institution_id, answered_month, Case.working_days_to_answer,
            func.count(Case.id),
            func.count(when((Case.answered_in_time.is_(True), 1))),
            func.count(when((is_proposal & Case.position.is_not(None), 1))),
            func.count(when((is_proposal & Case.position.in_(ACCEPTING), 1))),
        )
        .where(Case.institution_id.in_(ids), Case.answered_at >= moments[0])
        .group_by(Case.institution_id, answered_month, Case.working_days_to_answer)
    ).all()
    for institution_id, month, days, answered, in_time, proposals, accepted in rows:
        if month < 0:  # answered after the end of this month: a clock moved back (demos); not shown
            continue
        tally = result[institution_id].tallies[month]
        tally.answered += answered
        tally.in_time += in_time
        if days is not None:
            tally.days[days] += answered
        tally.proposals_answered += proposals
        tally.proposals_accepted += accepted
    due_month = _bucket(Case.due_on, starts).label("month")
    overdue = db.session.execute(
        select(Case.institution_id, due_month, func.count(Case.id))
        .where(Case.institution_id.in_(ids), Case.state.in_(AWAITING_STATES), Case.due_on < today)
        .group_by(Case.institution_id, due_month)
    ).all()
    for institution_id, month, count in overdue:
        if month < 0:
            result[institution_id].overdue_earlier += count
        else:
            result[institution_id].tallies[month].overdue_now += count
    return result


# --- charts -------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Bar:
    label: str  # a month, or an institution's name
    value: float | None  # None: nothing to measure (no answers that month)
    text: str  # the value as the table shows it
    width: float  # the bar's length, 0-100 (% of the chart's width)
    href: str = ""  # in the table: the institution's page


@dataclass(frozen=True)
class Chart:
    slug: str  # the HTML id's stem
    title: str
    description: str  # what is measured, and how
    value_heading: str  # the table's column heading
    label_heading: str
    bars: list[Bar]


def _share_text(value: float | None) -> str:
    return "—" if value is None else format_percent(value)


def _days_text(value: float | None) -> str:
    if value is None:
        return "—"
    shown = f"{value:g}" if value == int(value) else f"{value:.1f}"
    if get_locale() is not None and get_locale().language == "lv":
        shown = shown.replace(".", ",")
    # The platform's one message for a number of working days, with the number as the figures show it ("6,5").
    pattern = translations().ngettext("%(num)s working day", "%(num)s working days", int(round(value)))
    return pattern % {"num": shown}


def _count_text(value: int) -> str:
    return str(value)


MEASURES = ("within_deadline", "median_days", "overdue_now", "accepted")


def _measure(tally: Tally, measure: str) -> tuple[float | None, str]:
    if measure == "within_deadline":
        value = tally.within_deadline_share
        return value, _share_text(value)
    if measure == "median_days":
        value = tally.median_working_days
        return value, _days_text(value)
    if measure == "overdue_now":
        return tally.overdue_now, _count_text(tally.overdue_now)
    value = tally.accepted_share
    return value, _share_text(value)


def _widths(values: list[float | None], measure: str) -> list[float]:
    """Bar lengths in % of the chart: shares on a 0-100 % scale, counts and days on a scale up to the largest."""
    if measure in ("within_deadline", "accepted"):
        top = 1.0
    else:
        top = max((v for v in values if v is not None), default=0) or 1
    return [0.0 if v is None else round(100 * v / top, 2) for v in values]


def _titles(measure: str) -> tuple[str, str, str]:
    """(title, description, the value column's heading)."""
    if measure == "within_deadline":
        return (_("Answered within the deadline"),
                _("Of the cases first answered in the month, the share answered within the legal deadline."),
                _("Answered in time"))
    if measure == "median_days":
        return (_("Median time to answer"),
                _("Of the cases first answered in the month, the middle number of working days from receipt to the answer."),
                _("Median working days"))
    if measure == "overdue_now":
        return (_("Overdue now"),
                _("Cases still awaiting an answer today whose last day to answer has passed, by the month it fell in."),
                _("Overdue cases"))
    return (_("Proposals accepted"),
            _("Of the proposals first answered in the month, the share the answer in force accepts fully or in part."),
            _("Accepted"))


def _chart(slug: str, measure: str, label_heading: str, rows: list[tuple[str, Tally, str]]) -> Chart:
    measured = [_measure(tally, measure) for _label, tally, _href in rows]
    widths = _widths([value for value, _text in measured], measure)
    title, description, heading = _titles(measure)
    bars = [Bar(label, value, text, width, href)
            for (label, _tally, href), (value, text), width in zip(rows, measured, widths)]
    return Chart(f"{slug}-{measure.replace('_', '-')}", title, description, heading, label_heading, bars)


def monthly_charts(figures: MonthlyFigures) -> list[Chart]:
    """An institution's four charts, one bar per month, the newest month first."""
    rows = [(month_label(month), tally, "") for month, tally in zip(figures.months, figures.tallies)][::-1]
    return [_chart("monthly", measure, _("Month"), rows) for measure in MEASURES]


def comparison_charts(institutions, figures: dict[int, MonthlyFigures], month: date | None, url) -> list[Chart]:
    """The institutions side by side, one bar each: in one month, or over the whole period (`month=None`).
    `url(institution)` gives the link to its page."""
    rows = []
    for institution in institutions:
        monthly = figures[institution.id]
        tally = monthly.total if month is None else monthly.tallies[monthly.months.index(month)]
        rows.append((institution.name, tally, url(institution)))
    return [_chart("compare", measure, _("Institution"), rows) for measure in MEASURES]


COMPARED_PER_PAGE = 20  # institutions side by side on one page of the comparison
