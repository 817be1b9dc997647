"""The home page serves residents: what is open now (closing soonest first, with days left), proposals gathering
supports, the latest answers and the platform's figures, only public things, one call to action, and a fixed
number of SQL queries whatever the data size."""
import re
from datetime import datetime, time, timedelta

import pytest
from flask_babel import force_locale, gettext, ngettext

from participation import clock
from participation.cases import services as case_services
from participation.cases.models import Case, CaseState, Channel, Position
from participation.clock import riga_to_utc, riga_today, utcnow
from participation.consultations.models import Consultation
from participation.extensions import db
from participation.moderation import services as moderation_services
from participation.moderation.models import HideReason, Moderation

NOW = datetime(2026, 11, 20, 10)  # a Friday morning, UTC


@pytest.fixture
def now(fixed_now):
    fixed_now(NOW)
    return NOW


def _text(app, message, **values):
    with app.test_request_context("/"), force_locale("lv"):
        return gettext(message, **values)


def _plural(app, singular, plural, num):
    with app.test_request_context("/"), force_locale("lv"):
        return ngettext(singular, plural, num)


def _closing_on(consultation, days_from_today):
    """The window's last day `days_from_today` after today (closing at 23:59 Riga time)."""
    consultation.closes_at = riga_to_utc(datetime.combine(riga_today() + timedelta(days=days_from_today), time(23, 59)))
    db.session.commit()


def _main(page: str) -> str:
    return page[page.index("<main"):page.index("</main>")]


def test_open_consultations_closing_soonest_first_with_days_left(app, client, now, make_consultation, make_institution):
    later, today, soon = make_consultation(), make_consultation(), make_consultation()
    for consultation, title in ((later, "Vēlākā"), (today, "Šodienas"), (soon, "Drīzā")):
        consultation.title = f"{title} apspriešana"
    _closing_on(later, 12)
    _closing_on(today, 0)
    _closing_on(soon, 3)
    closed = make_consultation()
    closed.title = "Slēgtā apspriešana"
    closed.closes_at = utcnow() - timedelta(days=1)
    scheduled = make_consultation()
    scheduled.title = "Plānotā apspriešana"
    scheduled.opens_at = utcnow() + timedelta(days=2)
    db.session.commit()

    page = _main(client.get("/").get_data(as_text=True))
    assert page.index("Šodienas apspriešana") < page.index("Drīzā apspriešana") < page.index("Vēlākā apspriešana")
    assert _text(app, "Comments close today") in page
    assert _plural(app, "%(num)d day left", "%(num)d days left", 3) in page
    assert _plural(app, "%(num)d day left", "%(num)d days left", 12) in page
    assert "Slēgtā apspriešana" not in page and "Plānotā apspriešana" not in page
    assert today.institution.name in page
    # the date reads as Latvian after "līdz" (dative), never as an ISO date
    assert "2026. gada 20. novembrim plkst. 23:59" in page
    assert not re.search(r">\s*\d{4}-\d{2}-\d{2}", page)


def test_an_unpublished_draft_is_not_shown(client, now, make_institution, make_staff):
    from participation.consultations import services as consultation_services
    from participation.institutions.models import StaffRole

    institution = make_institution()
    editor = make_staff(institution, role=StaffRole.EDITOR)
    consultation_services.save_draft(institution, editor, {"title": "Slepens melnraksts", "kind": "municipal_regulation",
                                                           "summary": "x"}, "1. Teksts.")
    assert "Slepens melnraksts" not in client.get("/").get_data(as_text=True)


def test_proposals_gathering_support_show_count_and_threshold_only_when_public(app, client, now, make_proposal, make_user):
    institution_proposal = make_proposal(title="Soliņi pie bibliotēkas")
    institution_proposal.support_threshold = 5
    db.session.commit()
    hidden = make_proposal(title="Paslēptais priekšlikums")
    moderation_services.hide(hidden, make_user(name="Moderatore", is_moderator=True), HideReason.SPAM)
    pending = make_proposal(title="Gaidošais priekšlikums")
    pending.moderation = Moderation.PENDING
    make_proposal(title="Melnraksta priekšlikums", submit=False)
    answered = make_proposal(title="Atbildētais priekšlikums")
    case_services.answer_case(answered.case, make_user(), Position.ACCEPTED, "Darīsim.")
    db.session.commit()

    page = _main(client.get("/").get_data(as_text=True))
    assert "Soliņi pie bibliotēkas" in page
    assert _plural(app, "%(num)d supporter", "%(num)d supporters", 0) in page
    assert _text(app, "of the %(n)s needed for a collective submission", n=5) in page
    for title in ("Paslēptais priekšlikums", "Gaidošais priekšlikums", "Melnraksta priekšlikums"):
        assert title not in page
    # an answered proposal no longer gathers supports, but its answer is among the latest answers
    answers = page[page.index('id="answers-title"'):]
    gathering = page[page.index('id="proposals-title"'):page.index('id="answers-title"')]
    assert "Atbildētais priekšlikums" not in gathering and "Atbildētais priekšlikums" in answers


def test_latest_answers_are_public_answers_in_force_with_institution_and_date(app, client, now, make_case, make_user):
    responder = make_user(name="Atbildētāja")
    shown = make_case(title="Publiska lieta")
    first = case_services.answer_case(shown, responder, Position.NOTED, "Pirmā atbilde.")
    case_services.correct_response(first, responder, Position.ACCEPTED, "Labotā atbilde.")
    private = make_case(title="Privāta lieta")
    private.is_private = True
    db.session.commit()
    case_services.answer_case(private, responder, Position.NOTED, "Slepena atbilde.")
    make_case(title="Neatbildēta lieta")

    page = _main(client.get("/").get_data(as_text=True))
    answers = page[page.index('id="answers-title"'):page.index('id="figures-title"')]
    assert "Publiska lieta" in answers and shown.institution.name in answers
    assert answers.count("Publiska lieta") == 1  # the correction, not the superseded answer as well
    assert "Labotā atbilde." in answers and "Pirmā atbilde." not in answers and "Slepena atbilde." not in answers
    with app.test_request_context("/"), force_locale("lv"):
        from participation.cases.views import POSITION_LABELS

        assert str(POSITION_LABELS[Position.ACCEPTED]) in answers
    assert "Privāta lieta" not in page and "Neatbildēta lieta" not in answers
    assert "2026. gada 20. novembrī" in answers  # locative after "answered on" (atbildēts …)
    assert f'href="/cases/{shown.id}"' in answers or f"/cases/{shown.id}" in answers


def test_figures_count_only_public_things(app, client, now, make_consultation, make_proposal, make_case, make_user):
    make_consultation()
    make_consultation().closes_at = utcnow() - timedelta(days=1)
    make_proposal()
    make_proposal(submit=False)
    responder = make_user()
    case = make_case()
    case_services.answer_case(case, responder, Position.ACCEPTED, "Jā.")
    db.session.commit()

    page = _main(client.get("/").get_data(as_text=True))
    figures = page[page.index('id="figures-title"'):]
    values = dict((label.strip(), value) for value, label in
                  re.findall(r'<span class="app-stat__value">([^<]*)</span>\s*([^<]+)</li>', figures))
    assert values[_text(app, "consultations open now")] == "1"
    assert values[_text(app, "comments received")] == "2"  # one comment on each consultation
    assert values[_text(app, "public proposals")] == "1"
    assert values[_text(app, "answers given")] == "1"
    assert values[_text(app, "answered within the deadline")].startswith("100")


def test_one_call_to_action(app, client, now):
    page = _main(client.get("/").get_data(as_text=True))
    assert page.count("govuk-button--start") == 1
    start = re.search(r'<a href="([^"]+)"[^>]*class="govuk-button govuk-button--start"', page)
    assert start and start.group(1).startswith("/consultations/")
    assert _text(app, "Have your say") in page


def _fill(make_consultation, make_proposal, make_case, make_user, n):
    responder = make_user(name="Atbildētājs")
    for i in range(n):
        make_consultation()
        proposal = make_proposal(title=f"Priekšlikums {i}")
        proposal.support_threshold = 10
        case = make_case(title=f"Lieta {i}")
        case_services.answer_case(case, responder, Position.NOTED, f"Atbilde {i}")
    db.session.commit()


def test_the_home_page_runs_the_same_queries_for_little_and_more_data(client, now, count_queries, make_consultation,
                                                                      make_proposal, make_case, make_user):
    client.get("/")
    with count_queries() as empty:
        assert client.get("/").status_code == 200
    _fill(make_consultation, make_proposal, make_case, make_user, 2)
    with count_queries() as small:
        assert client.get("/").status_code == 200
    _fill(make_consultation, make_proposal, make_case, make_user, 12)
    with count_queries() as large:
        page = client.get("/").get_data(as_text=True)
    assert empty.count == small.count == large.count
    assert small.count <= 6
    assert page.count('class="app-card"') == 12  # six consultations and six proposals: the lists are short
