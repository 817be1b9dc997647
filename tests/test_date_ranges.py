"""Issue 14, item 8: every date field takes days from 2000 to 2100 only (participation.forms.DayField). A year-1 or a
year-9999 day gets the error summary and the message at the field, never a 500, and nothing is saved."""
import html
from datetime import date, datetime

import pytest
from sqlalchemy import select

from participation.cases import services as case_services
from participation.cases.models import Position
from participation.consultations import services as consultation_services
from participation.consultations.models import WindowExtension
from participation.extensions import db
from tests.factories import DRAFT, FIELDS

MESSAGE = "Enter a date between the years 2000 and 2100."
FAR_DAYS = [
    pytest.param("0001-01-01", id="year-1-iso"),
    pytest.param(["1", "1", "1"], id="year-1-boxes"),
    pytest.param("9999-12-31", id="year-9999-iso"),
    pytest.param(["31", "12", "9999"], id="year-9999-boxes"),
    pytest.param(["1", "1", "1999"], id="year-1999-boxes"),
    pytest.param(["1", "1", "2101"], id="year-2101-boxes"),
]


def _refused_at(response, field: str) -> None:
    """A 400 with GOV.UK's error summary linking to the field and the message at the field."""
    assert response.status_code == 400, response.status_code
    page = html.unescape(response.get_data(as_text=True))
    summary = page[page.index("govuk-error-summary"):]
    summary = summary[: summary.index("</ul>")]
    assert MESSAGE in summary and f'href="#{field}' in summary
    at_field = page[page.index(f'id="{field}-error"'):]
    assert MESSAGE in at_field[: at_field.index("</p>")]


@pytest.fixture
def english(client):
    client.get("/language/en")
    return client


@pytest.mark.parametrize("day", FAR_DAYS)
def test_publishing_a_consultation(english, login, editor_and_institution, fixed_now, day):
    fixed_now(datetime(2026, 3, 10, 7, 0))
    editor, institution = editor_and_institution
    draft = consultation_services.save_draft(institution, editor, FIELDS, DRAFT)
    login(editor)
    response = english.post(f"/consultations/{draft.id}/publish", data={"opens_on": day, "opens_time": "09:00"})
    _refused_at(response, "opens_on")
    response = english.post(f"/consultations/{draft.id}/publish",
                            data={"opens_on": "2026-03-10", "opens_time": "09:00", "closes_on": day})
    _refused_at(response, "closes_on")
    db.session.refresh(draft)
    assert draft.published_at is None


@pytest.mark.parametrize("day", FAR_DAYS)
def test_extending_a_consultation(english, login, open_consultation, editor_and_institution, fixed_now, day):
    editor, _ = editor_and_institution
    fixed_now(datetime(2026, 3, 20, 10, 0))
    closes_at = open_consultation.closes_at
    login(editor)
    response = english.post(f"/consultations/{open_consultation.id}/extend", data={"new_closes_on": day, "reason": "Vajag"})
    _refused_at(response, "new_closes_on")
    db.session.refresh(open_consultation)
    assert open_consultation.closes_at == closes_at
    assert not db.session.scalars(select(WindowExtension).where(WindowExtension.consultation_id == open_consultation.id)).all()


@pytest.mark.parametrize("day", FAR_DAYS)
def test_extending_a_case(english, login, make_case, make_staff, fixed_now, day):
    fixed_now(datetime(2026, 11, 20, 10, 0))
    case = make_case(received_at=datetime(2026, 11, 16, 9, 0))
    due = case.due_on
    login(make_staff(case.institution))
    response = english.post(f"/cases/{case.id}/extend", data={"new_due_on": day, "reason": "Vajag atzinumu"})
    _refused_at(response, "new_due_on")
    db.session.refresh(case)
    assert case.due_on == due and case.is_awaiting


@pytest.mark.parametrize("day", FAR_DAYS)
def test_registering_an_offline_contribution(english, login, make_institution, make_staff, fixed_now, day):
    from sqlalchemy import func, select

    from participation.cases.models import Case

    fixed_now(datetime(2026, 11, 25, 10, 0))
    institution = make_institution()
    login(make_staff(institution))
    response = english.post(f"/institutions/{institution.slug}/offline", data={
        "title": "Sena vēstule", "source": "letter", "received_on": day, "body": "Teksts"})
    _refused_at(response, "received_on")
    assert db.session.scalar(select(func.count()).select_from(Case).where(Case.institution_id == institution.id)) == 0


@pytest.mark.parametrize("day", FAR_DAYS)
def test_recording_an_implementation(english, login, make_proposal, make_staff, fixed_now, day):
    fixed_now(datetime(2026, 11, 16, 9, 0))
    proposal = make_proposal()
    responder = make_staff(proposal.institution)
    case_services.answer_case(proposal.case, responder, Position.ACCEPTED, "Darīsim.")
    login(responder)
    response = english.post(f"/cases/{proposal.case.id}/implemented", data={"implemented_on": day, "text": "Izdarīts."})
    _refused_at(response, "implemented_on")
    db.session.refresh(proposal.case)
    assert proposal.case.implemented_on is None


def test_the_ends_of_the_range_are_accepted(english, login, make_proposal, make_staff, fixed_now):
    """2000-01-01 and 2100-12-31 are inside the range (the implementation date is not bounded by today)."""
    from participation.forms import DayField
    from wtforms import Form

    class OneDay(Form):
        day = DayField()

    fixed_now(datetime(2026, 11, 16, 9, 0))
    proposal = make_proposal()
    responder = make_staff(proposal.institution)
    case_services.answer_case(proposal.case, responder, Position.ACCEPTED, "Darīsim.")
    login(responder)
    response = english.post(f"/cases/{proposal.case.id}/implemented", data={"implemented_on": ["1", "1", "2000"], "text": "Izdarīts."})
    assert response.status_code == 302
    db.session.refresh(proposal.case)
    assert proposal.case.implemented_on == date(2000, 1, 1)

    from werkzeug.datastructures import MultiDict

    form = OneDay(MultiDict([("day", "31"), ("day", "12"), ("day", "2100")]))
    assert form.validate() and form.day.data == date(2100, 12, 31)
    form = OneDay(MultiDict([("day", "1"), ("day", "1"), ("day", "2101")]))
    assert not form.validate() and form.day.data is None and [str(e) for e in form.day.errors] == [MESSAGE]


def test_a_far_moment_stored_before_the_fix_is_shown_not_a_500(sqlite_app):
    """A year-1 closing moment already in a database: the date filters show it instead of failing the page."""
    from participation.dates import format_day, format_moment, iso_datetime

    with sqlite_app.test_request_context("/"):
        last = datetime(9999, 12, 31, 23, 0)  # two hours later in Riga would be past the calendar's end
        assert format_moment(last) == "9999. gada 31. decembrī plkst. 23:00"
        assert format_day(last) == "9999. gada 31. decembris"
        assert iso_datetime(last) == "9999-12-31T23:00+00:00"
        assert format_moment(datetime(1, 1, 1, 0, 0)).startswith("1. gada 1. janvārī")
