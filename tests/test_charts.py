"""Figures as pictures (issue 19): the accountability figures month by month as SVG bar charts, each with the same
numbers in a table beside it, on the institution page and on the page comparing the institutions."""
import itertools
from collections import Counter
from datetime import datetime, timedelta
from statistics import median

import pytest
from bleach._vendor import html5lib

from participation import clock
from participation.cases.models import Case, CaseState, Channel, Position
from participation.extensions import db
from participation.institutions import charts
from participation.institutions.figures import institution_figures
from participation.institutions.models import Institution, InstitutionKind

NOW = datetime(2026, 11, 20, 10, 0)  # naive UTC: Riga 12:00 on Friday 20 November 2026
_serial = itertools.count()


def _case(institution, received: datetime, *, answered: datetime | None = None, days: int | None = None,
          in_time: bool | None = None, due_in: int = 10, channel=Channel.PROPOSAL, position=None, state=None):
    case = Case(institution=institution, channel=channel, title=f"Lieta {next(_serial)}", rule_code="submission_answer",
                received_at=received, due_on=clock.riga_date(received) + timedelta(days=due_in),
                state=state or (CaseState.ANSWERED if answered else CaseState.OPEN), answered_at=answered,
                working_days_to_answer=days, answered_in_time=in_time, position=position)
    db.session.add(case)
    return case


def _history(institution):
    """Cases over three months: answered in time or late, proposals accepted or not, some overdue now (one of them
    due long before the charts' first month)."""
    # September: two answered (4 and 12 working days, one late), one proposal accepted of two.
    _case(institution, datetime(2026, 9, 1, 8), answered=datetime(2026, 9, 7, 8), days=4, in_time=True, position=Position.ACCEPTED)
    _case(institution, datetime(2026, 9, 2, 8), answered=datetime(2026, 9, 18, 8), days=12, in_time=False, position=Position.NOT_ACCEPTED)
    # October: three answered (3, 5, 9 days, all in time); one is a consultation comment, not a proposal.
    _case(institution, datetime(2026, 10, 1, 8), answered=datetime(2026, 10, 6, 8), days=3, in_time=True, position=Position.PARTLY_ACCEPTED)
    _case(institution, datetime(2026, 10, 5, 8), answered=datetime(2026, 10, 12, 8), days=5, in_time=True, position=Position.NOTED)
    _case(institution, datetime(2026, 10, 9, 8), answered=datetime(2026, 10, 22, 8), days=9, in_time=True,
          channel=Channel.CONSULTATION, position=Position.ACCEPTED)
    # Answered at 23:30 Riga time on 31 October (21:30 UTC): an October answer, though the UTC day is 31 October too;
    # and one at 00:30 Riga on 1 November (22:30 UTC on 31 October): a November answer.
    _case(institution, datetime(2026, 10, 20, 8), answered=datetime(2026, 10, 31, 21, 30), days=8, in_time=True, position=Position.NOT_ACCEPTED)
    _case(institution, datetime(2026, 10, 21, 8), answered=datetime(2026, 10, 31, 22, 30), days=7, in_time=False, position=Position.ACCEPTED)
    # Overdue now: two due in November, one due in October, one due in 2025 (before the first month shown).
    _case(institution, datetime(2026, 11, 2, 8), due_in=10)
    _case(institution, datetime(2026, 11, 3, 8), due_in=10, state=CaseState.EXTENDED)
    _case(institution, datetime(2026, 10, 3, 8), due_in=10)
    _case(institution, datetime(2025, 6, 3, 8), due_in=10)
    # Awaiting but not overdue yet.
    _case(institution, datetime(2026, 11, 19, 8), due_in=10)
    db.session.commit()


@pytest.fixture
def institution(session, fixed_now, make_institution):
    fixed_now(NOW)
    institution = make_institution()
    _history(institution)
    return institution


def _month(figures, year, month):
    return figures.tallies[figures.months.index(datetime(year, month, 1).date())]


def test_months_count_what_the_figures_count(institution):
    figures = charts.monthly_figures([institution.id])[institution.id]
    assert figures.months[0] == datetime(2025, 12, 1).date() and figures.months[-1] == datetime(2026, 11, 1).date()
    september, october, november = (_month(figures, 2026, m) for m in (9, 10, 11))
    assert (september.answered, september.in_time, september.median_working_days) == (2, 1, 8)
    assert (september.proposals_answered, september.proposals_accepted) == (2, 1)
    # 23:30 Riga on 31 October is October; 00:30 Riga on 1 November is November, whatever the UTC date.
    assert (october.answered, october.in_time, october.median_working_days) == (4, 4, 6.5)
    assert (october.proposals_answered, october.proposals_accepted) == (3, 1)
    assert (november.answered, november.in_time, november.median_working_days) == (1, 0, 7)
    assert (november.proposals_answered, november.proposals_accepted) == (1, 1)
    assert (november.overdue_now, october.overdue_now, september.overdue_now, figures.overdue_earlier) == (2, 1, 0, 1)

    # Added together, the months give the institution's figures.
    overall = institution_figures(institution.id)
    total = figures.total
    assert total.answered == overall.answered == 7
    assert total.within_deadline_share == overall.within_deadline_share
    assert total.median_working_days == overall.median_working_days
    assert total.overdue_now == overall.overdue_now == 4


@pytest.mark.parametrize("values", [[], [5], [1, 9], [3, 3, 4], [1, 2, 2, 7, 10, 10], [0, 0, 0, 1]])
def test_median_of_a_histogram_is_the_median_of_the_values(values):
    assert charts.median_of(Counter(values)) == (median(values) if values else None)


def _local(element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def _charts_on(html: str) -> dict[str, dict]:
    """Each chart on the page: its SVG's name and bars, and its table's rows."""
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    found = {}
    for section in tree.iter("section"):
        if "app-chart" not in (section.get("class") or "").split():
            continue
        svg = next(e for e in section.iter() if _local(e) == "svg")
        assert svg.get("role") == "img"
        title, desc = (next(e for e in svg.iter() if _local(e) == name) for name in ("title", "desc"))
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        bars = []
        for row in (e for e in svg.iter() if _local(e) == "g"):
            texts = [e for e in row if _local(e) == "text"]
            label = _text(texts[0])
            value = _text(next(t for t in texts if "app-chart__value" in t.get("class")))
            rects = [e for e in row if _local(e) == "rect"]
            bars.append((label, value, float(rects[0].get("width").rstrip("%")) if rects else None))
        table = next(section.iter("table"))
        rows = [(_text(tr.find("th")), _text(tr.find("td"))) for tr in table.find("tbody").iter("tr")]
        found[section.get("id")] = {"title": _text(title), "bars": bars, "rows": rows}
    return found


def _same_numbers(chart):
    """The chart shows the table's numbers, in the same order, with the same (possibly shortened) labels."""
    assert [value for _label, value, _width in chart["bars"]] == [value for _label, value in chart["rows"]]
    for (bar_label, _value, _width), (row_label, _row_value) in zip(chart["bars"], chart["rows"]):
        assert row_label.startswith(bar_label.rstrip("…"))


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_institution_page_shows_each_month_as_a_chart_and_a_table_with_the_same_numbers(client, institution, lang):
    client.get(f"/language/{lang}")
    html = client.get(f"/institutions/{institution.slug}").get_data(as_text=True)
    found = _charts_on(html)
    assert set(found) == {"monthly-within-deadline", "monthly-median-days", "monthly-overdue-now", "monthly-accepted"}
    for chart in found.values():
        _same_numbers(chart)
        assert len(chart["rows"]) == 12

    november, october, september = ("2026. gada novembris", "2026. gada oktobris", "2026. gada septembris") if lang == "lv" \
        else ("November 2026", "October 2026", "September 2026")
    within = dict(found["monthly-within-deadline"]["rows"])
    assert within[november] == "0%" and within[october] == "100%" and within[september] == "50%"
    assert within["2026. gada augusts" if lang == "lv" else "August 2026"] == "—"  # no answers: nothing measured
    days = dict(found["monthly-median-days"]["rows"])
    assert days[october] == ("6,5 darba dienas" if lang == "lv" else "6.5 working days")
    assert days[september] == ("8 darba dienas" if lang == "lv" else "8 working days")
    overdue = dict(found["monthly-overdue-now"]["rows"])
    assert (overdue[november], overdue[october], overdue[september]) == ("2", "1", "0")
    accepted = dict(found["monthly-accepted"]["rows"])
    assert (accepted[november], accepted[october], accepted[september]) == ("100%", "33%", "50%")

    # The bars' lengths follow the numbers: shares on one scale, counts up to the largest.
    widths = {label: width for label, _value, width in found["monthly-within-deadline"]["bars"]}
    assert widths[october] == 2 * widths[september] > 0 and widths[november] == 0
    widths = {label: width for label, _value, width in found["monthly-overdue-now"]["bars"]}
    assert widths[november] == 2 * widths[october] > 0


def test_comparison_page_puts_the_institutions_side_by_side(client, institution, make_institution):
    quiet = make_institution(name="Valmieras novada pašvaldība")
    _case(quiet, datetime(2026, 10, 2, 8), answered=datetime(2026, 10, 9, 8), days=5, in_time=False, position=Position.ACCEPTED)
    db.session.commit()
    client.get("/language/en")
    response = client.get("/institutions/figures")
    assert response.status_code == 200
    found = _charts_on(response.get_data(as_text=True))
    assert set(found) == {"compare-within-deadline", "compare-median-days", "compare-overdue-now", "compare-accepted"}
    for chart in found.values():
        _same_numbers(chart)
    overall = {i.id: institution_figures(i.id) for i in (institution, quiet)}
    within = dict(found["compare-within-deadline"]["rows"])
    assert within[institution.name] == f"{round(overall[institution.id].within_deadline_share * 100)}%" == "71%"
    assert within[quiet.name] == "0%"
    overdue = dict(found["compare-overdue-now"]["rows"])
    assert overdue[institution.name] == str(overall[institution.id].overdue_now) == "4"
    assert dict(found["compare-median-days"]["rows"])[institution.name] == "7 working days"

    # One month: October only.
    found = _charts_on(client.get("/institutions/figures?month=2026-10").get_data(as_text=True))
    assert dict(found["compare-within-deadline"]["rows"])[institution.name] == "100%"
    assert dict(found["compare-overdue-now"]["rows"])[institution.name] == "1"
    assert dict(found["compare-accepted"]["rows"])[quiet.name] == "100%"
    # Rows link to each institution's page.
    html = client.get("/institutions/figures").get_data(as_text=True)
    assert f'href="/institutions/{quiet.slug}"' in html


@pytest.mark.parametrize("query, status", [("?month=1999-01", 200), ("?month=abc", 200), ("?page=999", 200),
                                           ("?page=x&month=2026-13", 200), ("?month=%00", 400)])
def test_comparison_page_takes_bad_choices_calmly(client, institution, query, status):
    """A month not offered shows the whole period; a NUL byte is refused by the app as everywhere (test_bad_input)."""
    response = client.get(f"/institutions/figures{query}")
    assert response.status_code == status


def test_the_short_name_figures_is_kept_for_the_comparison_page(client, login, make_user, session):
    admin = make_user(is_admin=True)
    login(admin)
    response = client.post("/institutions/new", data={"name": "Skaitļi", "slug": "figures", "kind": "agency"})
    assert response.status_code == 400
    assert db.session.query(Institution).filter_by(slug="figures").first() is None


def _bulk_institutions(n, cases_each):
    made = []
    for i in range(n):
        institution = Institution(slug=f"salidzinat-{next(_serial)}", name=f"Iestāde {next(_serial)}", kind=InstitutionKind.AGENCY)
        db.session.add(institution)
        made.append(institution)
        for j in range(cases_each):
            received = NOW - timedelta(days=3 + (j * 7) % 300)
            _case(institution, received, answered=received + timedelta(days=2) if j % 2 else None, days=j % 11 if j % 2 else None,
                  in_time=bool(j % 3) if j % 2 else None, position=Position.ACCEPTED if j % 4 == 1 else (Position.NOTED if j % 2 else None))
    db.session.commit()
    return made


def _count(client, count_queries, url):
    client.get(url)
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    return counter.count


def test_chart_pages_run_the_same_queries_whatever_the_data(client, count_queries, fixed_now):
    fixed_now(NOW)
    small = _bulk_institutions(2, 3)[0]
    few = _count(client, count_queries, "/institutions/figures")
    page_of_few = _count(client, count_queries, f"/institutions/{small.slug}")
    large = _bulk_institutions(30, 40)[0]
    assert _count(client, count_queries, "/institutions/figures") == few
    assert _count(client, count_queries, "/institutions/figures?month=2026-10&page=2") == few
    assert _count(client, count_queries, f"/institutions/{large.slug}") == page_of_few


def test_names_in_the_charts_are_text_never_markup(client, institution, make_institution):
    from tests.test_xss import CORPUS, live_markup

    for payload in CORPUS:
        make_institution(name=payload)
    for url in ("/institutions/figures", f"/institutions/{institution.slug}"):
        html = client.get(url).get_data(as_text=True)
        assert 'class="app-chart__picture"' in html
        assert not live_markup(html), url
