"""The proposal pages on GOV.UK Frontend: the check-your-answers page, the confirmation panel with the receipt number,
the writing gate before the form and the support button, the human check and the length limit keeping what was
typed, a forwarded proposal naming where it is now, relative links, and dates in the Latvian case they need."""
import re
from datetime import date, datetime, timedelta

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from participation.cases import services as case_services
from participation.cases.models import Position
from participation.clock import utcnow
from participation.extensions import db
from participation.proposals import services
from participation.proposals.models import Proposal

FORM = {"title": "Velo novietnes pie skolas", "problem": "Velosipēdus nav kur atstāt.",
        "solution": "Uzstādīt novietnes.", "benefit": "Vairāk bērnu brauks ar velo.",
        "territory": "Valmieras novads", "topics": ["transport", "youth"], "on_behalf": 0}


@pytest.fixture
def lv(app):
    """lv(msgid, **values): the text as a Latvian page shows it (from the catalogue, whatever it says)."""
    def _lv(message, **values):
        with app.test_request_context("/"), force_locale("lv"):
            return gettext(message, **values)
    return _lv


def test_check_your_answers_then_a_panel_with_the_receipt_number(client, login, make_user, make_institution, fixed_now):
    fixed_now(datetime(2026, 11, 16, 9, 0))
    institution = make_institution()
    author = login(make_user())
    client.post("/proposals/new", data={"institution": institution.id, **FORM, "action": "check"})
    proposal = db.session.scalars(select(Proposal)).one()
    check = client.get(f"/proposals/{proposal.id}/check").get_data(as_text=True)
    assert "govuk-summary-list" in check
    for anchor in ("institution", "title", "problem", "solution", "benefit", "territory", "topics"):
        assert f'href="/proposals/{proposal.id}/edit#{anchor}"' in check, anchor  # a change link for every answer
    assert "Velosipēdus nav kur atstāt." in check and "govuk-inset-text" in check  # what will be public

    submitted = client.post(f"/proposals/{proposal.id}/submit")
    assert submitted.status_code == 302 and submitted.headers["Location"] == f"/proposals/{proposal.id}/submitted"
    panel = client.get(submitted.headers["Location"]).get_data(as_text=True)
    assert 'class="govuk-panel govuk-panel--confirmation' in panel
    assert f'<strong class="app-receipt-number">{proposal.case.number}</strong>' in panel
    assert "2026. gada 1. decembrim" in panel  # "must answer by" (lv "līdz"): dative
    assert proposal.case.item_url == f"/proposals/{proposal.id}"  # relative: the site's own link
    client.post("/account/logout")
    login(make_user(name="Cits"))
    assert client.get(f"/proposals/{proposal.id}/submitted").status_code == 403  # the author's alone
    assert author.id == proposal.author_id


def test_the_human_check_refuses_a_bot_and_keeps_everything_typed(app, client, login, make_user, make_institution,
                                                                   monkeypatch, fixed_now, lv):
    monkeypatch.setitem(app.config, "FORM_MIN_FILL_SECONDS", 0)
    login(make_user())
    monkeypatch.setitem(app.config, "FORM_MIN_FILL_SECONDS", 3)
    fixed_now(utcnow().replace(microsecond=0))
    institution = make_institution()
    page = client.get("/proposals/new").get_data(as_text=True)
    token = re.search(r'name="form_started" value="([^"]+)"', page).group(1)
    response = client.post("/proposals/new", data={"institution": institution.id, **FORM, "action": "check",
                                                   "form_started": token})  # sent at once
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert lv("We could not accept this form. Please check it and send it again.") in html
    assert 'value="Velo novietnes pie skolas"' in html
    for text in ("Velosipēdus nav kur atstāt.", "Uzstādīt novietnes.", "Vairāk bērnu brauks ar velo."):
        assert text in html
    assert re.search(r'<option value="Valmieras novads" selected', html)
    assert re.search(rf'<option value="{institution.id}" selected', html)
    for topic in ("transport", "youth"):
        assert re.search(rf'value="{topic}" checked', html), topic
    assert db.session.scalar(select(func.count(Proposal.id))) == 0


def test_over_long_text_is_refused_with_the_text_kept_and_the_limit_shown(client, login, make_user, make_institution, lv):
    login(make_user())
    form = client.get("/proposals/new").get_data(as_text=True)
    assert form.count('data-module="govuk-character-count"') == 3 and 'data-maxlength="5000"' in form
    assert 'class="govuk-details"' in form and lv("One proposal for one problem.") in form  # optional help
    problem = "Garš apraksts. " * 400  # 6,000 characters
    response = client.post("/proposals/new", data={"institution": make_institution().id, **FORM, "problem": problem,
                                                   "action": "check"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and lv("Use at most %(max)d characters.", max=5000) in html
    assert problem.strip() in html  # never cut
    assert 'href="#problem"' in html  # the error summary links to the field


def test_the_form_and_the_support_button_are_behind_the_writing_gate(client, login, make_user, make_proposal, lv):
    proposal = make_proposal()
    login(make_user(verified=False))
    page = client.get("/proposals/new")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'name="problem"' not in html  # told before any form
    assert lv("Confirm your e-mail address before you %(what)s: open the link we sent you.",
              what=lv("write a proposal")) in html
    assert 'action="/account/verify/resend"' in html
    assert client.post("/proposals/new", data=FORM).status_code == 403
    shown = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert lv("Support this proposal") not in shown and "govuk-warning-text" in shown
    client.post("/account/logout")

    blocked = make_user(blocked_at=utcnow(), blocked_until=utcnow() + timedelta(days=7))
    login(blocked)
    html = client.get("/proposals/new").get_data(as_text=True)
    assert 'name="problem"' not in html and "govuk-warning-text" in html and "2026" in html
    client.post("/account/logout")

    anonymous = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert f'href="/account/login?next=/proposals/{proposal.id}"' in anonymous
    login(make_user())
    html = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert lv("Support this proposal") in html and 'name="notify"' in html


def test_a_forwarded_proposal_names_the_institution_it_is_with_now(client, make_proposal, make_staff, make_institution):
    proposal = make_proposal(title="Ceļš uz skolu")
    before = client.get("/proposals/").get_data(as_text=True)  # the card is cached now
    competent = make_institution(name="Kompetentā iestāde")
    assert competent.name not in before
    case_services.forward_case(proposal.case, make_staff(proposal.institution), competent, "Tas ir viņu pārziņā.")
    listing = client.get("/proposals/").get_data(as_text=True)
    card = listing[listing.index("Ceļš uz skolu"):]
    assert competent.name in card[:card.index("</li>")]  # a new card, not the cached one
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert f'href="/institutions/{competent.slug}"' in page and "govuk-tag--purple" in page


def test_reporting_a_proposal_redirects_to_its_relative_path(client, login, make_user, make_proposal):
    proposal = make_proposal()
    login(make_user())
    response = client.post(f"/moderation/report/proposal/{proposal.id}", data={"reason": "spam"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/proposals/{proposal.id}"
    from participation.moderation import services as moderation
    assert moderation.describe(proposal).url == f"/proposals/{proposal.id}"


def test_actions_redirect_to_relative_paths(client, login, make_user, make_proposal, make_staff):
    proposal = make_proposal()
    login(make_user())
    assert client.post(f"/proposals/{proposal.id}/support").headers["Location"] == f"/proposals/{proposal.id}"
    assert client.post(f"/proposals/{proposal.id}/withdraw").headers["Location"] == f"/proposals/{proposal.id}"
    client.post("/account/logout")
    login(make_staff(proposal.institution))
    response = client.post(f"/cases/{proposal.case.id}/answer", data={"position": "accepted", "text": "Jā."})
    assert response.headers["Location"] == f"/cases/{proposal.case.id}"


def test_proposal_pages_are_gov_uk_with_breadcrumbs_tags_and_latvian_dates(client, make_institution, make_proposal,
                                                                           make_staff, make_user, fixed_now):
    fixed_now(datetime(2026, 11, 16, 9, 0))
    institution = make_institution()
    services.save_settings(institution, premoderation=False, threshold=5, days=30)
    proposal = make_proposal(institution=institution)
    listing = client.get("/proposals/").get_data(as_text=True)
    assert 'class="app-card-list"' in listing and "app-proposal-card" in listing and "govuk-breadcrumbs" not in listing
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "govuk-breadcrumbs" in page and "govuk-summary-list" in page
    assert "2026. gada 16. decembrim" in page  # "atbalstu vāc līdz …": dative
    assert "2026. gada 1. decembrim" in page  # "Atbilde jāsniedz līdz …": dative
    responder = make_staff(institution)
    case_services.answer_case(proposal.case, responder, Position.ACCEPTED, "Darīsim.")
    case_services.record_implementation(proposal.case, responder, "Uzstādīts.", date(2026, 11, 16))
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "2026. gada 16. novembrī" in page  # "īstenots …": locative
    assert "govuk-tag--green" in page and 'class="app-entries app-log"' in page
    fixed_now(datetime(2026, 12, 10, 9, 0))
    overdue = make_proposal(institution=institution, title="Nokavēts")
    fixed_now(datetime(2026, 12, 30, 9, 0))
    assert "govuk-tag--red" in client.get(f"/proposals/{overdue.id}").get_data(as_text=True)
    assert not re.search(r">\s*\d{4}-\d\d-\d\d", client.get(f"/proposals/{overdue.id}").get_data(as_text=True))


def test_an_incomplete_draft_is_checked_without_a_submit_button(client, login, make_user, make_institution, lv):
    author = login(make_user())
    client.post("/proposals/new", data={"institution": make_institution().id, "on_behalf": 0, "title": "Tikai virsraksts",
                                        "action": "save"})
    proposal = db.session.scalars(select(Proposal).where(Proposal.author_id == author.id)).one()
    check = client.get(f"/proposals/{proposal.id}/check").get_data(as_text=True)
    assert check.count(lv("Not filled in yet")) == 3  # the problem, the solution, the place
    assert f'action="/proposals/{proposal.id}/submit"' not in check and "govuk-warning-text" in check
