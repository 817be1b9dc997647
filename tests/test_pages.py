"""Error pages in both languages, the layout's landmarks, the language switcher, the demo seed."""
import pytest
from sqlalchemy import func, select

from participation.cases.models import AWAITING_STATES, Case, CaseState, Response
from participation.extensions import db


@pytest.mark.parametrize("lang, text", [("lv", 'lang="lv"'), ("en", 'lang="en"')])
def test_404_page_in_both_languages(client, lang, text):
    client.get(f"/language/{lang}")
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert text in response.get_data(as_text=True)


def test_403_page(client, login, make_user, make_institution):
    institution = make_institution()
    login(make_user())
    response = client.get(f"/institutions/{institution.slug}/inbox")
    assert response.status_code == 403 and '<h1 class="govuk-heading-l">' in response.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_500_page_is_friendly(lang):
    from participation import create_app

    app = create_app("testing", PROPAGATE_EXCEPTIONS=False)

    @app.route("/__boom")
    def boom():
        raise RuntimeError("boom")

    client = app.test_client()
    client.get(f"/language/{lang}")
    response = client.get("/__boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert f'<html lang="{lang}" class="govuk-template">' in page and '<h1 class="govuk-heading-l">' in page
    assert "Traceback" not in page
    assert response.headers["X-Request-ID"] in page  # the reference a person can quote, found in the logs


def test_layout_has_skip_link_landmarks_and_switcher(client):
    page = client.get("/").get_data(as_text=True)
    assert 'href="#main-content" class="govuk-skip-link"' in page and '<main class="govuk-main-wrapper" id="main-content"' in page
    assert "<header" in page and "<footer" in page and 'aria-label=' in page
    assert '/language/en' in page


def test_language_switch_defaults_to_latvian_and_returns_to_the_page(client):
    assert '<html lang="lv" class="govuk-template">' in client.get("/").get_data(as_text=True)
    response = client.get("/language/en?next=/groups/")
    assert response.headers["Location"] == "/groups/"
    assert '<html lang="en" class="govuk-template">' in client.get("/groups/").get_data(as_text=True)
    client.get("/language/xx")
    assert '<html lang="en" class="govuk-template">' in client.get("/").get_data(as_text=True)


def test_seed_demo_creates_every_state_once(app, session):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo"])
    assert "admin@example.lv" in result.output and "demo-parole-2026" in result.output
    states = set(db.session.scalars(select(Case.state)))
    assert {CaseState.OPEN, CaseState.ANSWERED, CaseState.EXTENDED, CaseState.FORWARDED, CaseState.NOT_EXAMINED} <= states
    overdue = [c for c in db.session.scalars(select(Case).where(Case.state.in_(AWAITING_STATES))) if c.is_overdue]
    assert len(overdue) >= 1
    assert db.session.scalar(select(func.count()).where(Response.supersedes_id.isnot(None))) >= 1
    from participation.consultations.models import Consultation
    from tests.test_counters import _waiting_rows

    consultations = db.session.scalars(select(Consultation)).all()
    assert [c.positions_waiting for c in consultations] == [_waiting_rows(c.id) for c in consultations]
    assert any(c.positions_waiting for c in consultations)  # the open consultation's comments wait
    again = runner.invoke(args=["seed-demo"])
    assert "already" in again.output
