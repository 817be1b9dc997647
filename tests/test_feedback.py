"""Website feedback (issue 15): sites, the widget and every refusal it owes, feedback to cases and answers by e-mail,
publication after a moderator's check, figures, and constant query counts."""
import html
import re
import time
from datetime import datetime, timedelta

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, insert, select

from participation.cases import services as case_services
from participation.cases.models import Case, CaseState, Channel, Position
from participation.extensions import db
from participation.feedback import services
from participation.feedback.models import Feedback, FeedbackState, PageFigure, Publication, Site
from participation.institutions.models import StaffRole
from participation.moderation import services as moderation
from participation.moderation.models import HideReason
from participation.outbox.models import OutboxMessage

ORIGIN = "https://www.rezekne.lv"
PAGE = ORIGIN + "/pakalpojumi/atkritumi"
OWN = "http://localhost"  # the test client's own origin (the frame posts from here)


@pytest.fixture
def place(make_institution, make_staff, make_user):
    institution = make_institution()
    editor = make_staff(institution, role=StaffRole.EDITOR, name="Redaktore")
    responder = make_staff(institution, role=StaffRole.RESPONDER, name="Atbildētāja")
    site = services.register_site(institution, editor, {
        "name": "Rēzeknes novads", "key": f"site-{institution.id}", "origins": [ORIGIN, "https://rezekne.lv"],
        "path_prefixes": ["/pakalpojumi/", "/en/"], "question_helped": "", "question_text": "", "ask_email": True,
        "languages": ["lv", "en"], "premoderation": False,
    })
    moderator = make_user(name="Moderators", is_moderator=True)
    return institution, editor, responder, site, moderator


def widget_url(site, page=PAGE, lang="lv"):
    return f"/feedback/widget/{site.key}?page={page}&lang={lang}"


def token_of(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.get_data(as_text=True)).group(1)


def send(client, site, data, page=PAGE, lang="lv", origin=OWN, fetch_site="same-origin", token=None):
    if token is None:
        token = token_of(client.get(widget_url(site, page, lang)))
    headers = {}
    if origin is not None:
        headers["Origin"] = origin
    if fetch_site is not None:
        headers["Sec-Fetch-Site"] = fetch_site
    return client.post(widget_url(site, page, lang), data={"token": token, **data}, headers=headers)


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


# --- registering a site --------------------------------------------------------------------------------------------


def test_an_editor_registers_a_site_and_gets_both_snippets(client, login, make_institution, make_staff):
    institution = make_institution()
    login(make_staff(institution, role=StaffRole.EDITOR))
    response = client.post(f"/institutions/{institution.slug}/feedback/sites/new", data={
        "name": "Pašvaldības vietne", "key": "pasvaldiba", "origins": "https://www.rezekne.lv\nHTTP://Rezekne.LV:80/",
        "path_prefixes": "", "ask_email": "y", "languages": ["lv", "en"]})
    assert response.status_code == 302
    site = db.session.scalars(select(Site).where(Site.key == "pasvaldiba")).one()
    assert site.origin_list == ["https://www.rezekne.lv", "http://rezekne.lv"]  # exact origins, default port dropped
    page = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert 'static/feedback/widget.js" data-site="pasvaldiba" async></script>' in page
    assert "<iframe src=" in page and "/feedback/widget/pasvaldiba?page=https://www.rezekne.lv/PAGE-PATH&amp;lang=lv" in page


def test_a_site_address_with_a_path_is_refused_and_what_was_typed_is_kept(client, login, make_institution, make_staff):
    institution = make_institution()
    login(make_staff(institution, role=StaffRole.ADMIN))
    response = client.post(f"/institutions/{institution.slug}/feedback/sites/new", data={
        "name": "Vietne", "key": "vietne", "origins": "https://www.rezekne.lv/lapa", "languages": ["lv"]})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "govuk-error-summary" in text and "https://www.rezekne.lv/lapa" in text
    assert count(Site) == 0


def test_a_responder_may_not_register_sites_but_reads_the_feedback(client, login, place):
    institution, _editor, responder, site, _moderator = place
    login(responder)
    assert client.get(f"/institutions/{institution.slug}/feedback/sites/new").status_code == 403
    assert client.get(f"/institutions/{institution.slug}/feedback/").status_code == 200
    assert client.get(f"/institutions/{institution.slug}/feedback/sites/{site.id}").status_code == 200


# --- the widget: language, headers, no cookies ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_the_widget_speaks_the_page_language_and_may_be_framed_only_by_the_site(client, place, app, lang):
    site = place[3]
    with app.test_request_context(), force_locale(lang):
        question = gettext("Did this page help you?")  # as the catalogue of that language says it
    response = client.get(widget_url(site, lang=lang))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}"' in html and question in html
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors https://www.rezekne.lv https://rezekne.lv;" in policy + ";"
    assert "unsafe-inline" not in policy and "X-Frame-Options" not in response.headers
    assert response.headers.getlist("Set-Cookie") == []
    assert response.headers["Cache-Control"] == "no-store"
    assert "Access-Control-Allow-Origin" not in response.headers  # the script frames the form; nothing posts cross-origin


def test_every_other_page_keeps_frame_ancestors_none(client, place):
    for url in ("/", f"/institutions/{place[0].slug}/feedback/", "/static/feedback/widget.js"):
        response = client.get(url)
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], url
        assert response.headers["X-Frame-Options"] == "DENY", url


def test_no_widget_response_sets_a_cookie(client, place):
    site = place[3]
    responses = [client.get(widget_url(site)), send(client, site, {"helped": "yes"}),
                 send(client, site, {"wants_answer": "y"}),  # an error page
                 send(client, site, {"helped": "no"}, origin="https://evil.example"),  # a refusal
                 client.get(widget_url(site, page="https://evil.example/")), client.get("/feedback/widget/nav-tadas")]
    assert [r.status_code for r in responses] == [200, 200, 400, 403, 403, 404]
    for response in responses:
        assert response.headers.getlist("Set-Cookie") == []


def test_a_preflight_from_another_origin_gets_no_cors_permission(client, place):
    response = client.options(widget_url(place[3]), headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in response.headers


# --- receiving ---------------------------------------------------------------------------------------------------------


def test_feedback_without_an_email_is_recorded_and_counted_without_a_case(client, place):
    site = place[3]
    response = send(client, site, {"helped": "yes"}, page=PAGE + "?personas_kods=010101-12345#sadala")
    assert response.status_code == 200 and 'role="status"' in response.get_data(as_text=True)
    feedback = db.session.scalars(select(Feedback)).one()
    assert feedback.page_url == PAGE  # no query string, no fragment
    assert feedback.helped is True and feedback.case_id is None and feedback.state == FeedbackState.RECEIVED
    assert db.session.get(PageFigure, (site.id, PAGE)).responses == 1
    assert count(Case) == 0


def test_feedback_with_an_email_opens_a_private_case_and_the_answer_reaches_the_email(client, login, place):
    institution, _editor, responder, site, _moderator = place
    response = send(client, site, {"helped": "no", "text": "Nav grafika.", "email": "apmeklētājs@example.lv"}, lang="en")
    feedback = db.session.scalars(select(Feedback)).one()
    case = feedback.case
    assert case.channel == Channel.FEEDBACK and case.is_private and case.state == CaseState.OPEN
    assert case.number in response.get_data(as_text=True)
    assert case.due_on > case.received_at.date()  # the channel's rule: the Submissions Law's time limit
    login(responder)
    assert case.title in client.get(f"/institutions/{institution.slug}/inbox").get_data(as_text=True)
    assert client.get(f"/institutions/{institution.slug}/log").get_data(as_text=True).count(case.number) == 0
    case_services.answer_case(case, responder, Position.ANSWERED, "Grafiks ir sadaļā Atkritumi.")
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == "apmeklētājs@example.lv")).one()
    assert mail.subject == f"Answer to your feedback {case.number}"  # in the language of the form
    assert "Grafiks ir sadaļā Atkritumi." in mail.body and PAGE in mail.body


def test_i_want_an_answer_without_an_email_is_refused_and_the_text_kept(client, place):
    response = send(client, place[3], {"text": "Kur ir grafiks?", "wants_answer": "y"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "govuk-error-summary" in html and "Kur ir grafiks?" in html
    assert count(Feedback) == 0


def test_an_empty_form_is_refused(client, place):
    assert send(client, place[3], {}).status_code == 400
    assert count(Feedback) == 0


def test_the_text_goes_through_the_sanitiser_and_emails_are_masked_in_public(client, login, place):
    institution, _editor, responder, site, moderator = place
    send(client, site, {"helped": "no", "text": "<script>alert(1)</script> Rakstiet uz janis.berzins@example.lv"})
    feedback = db.session.scalars(select(Feedback)).one()
    assert "janis.berzins@example.lv" not in case_body_or_empty(feedback)
    login(responder)
    staff_page = client.get(f"/feedback/{feedback.id}").get_data(as_text=True)
    assert "<script>alert" not in staff_page and "&lt;script&gt;" in staff_page
    assert "janis.berzins@example.lv" in staff_page  # the institution reads what was written
    client.post(f"/feedback/{feedback.id}/publish")
    moderation.approve(db.session.get(Feedback, feedback.id), moderator)
    client.post("/account/logout")
    public = client.get(f"/feedback/{feedback.id}").get_data(as_text=True)
    assert "janis.berzins@example.lv" not in public and "[…@…]" in public and "&lt;script&gt;" in public


def test_an_email_in_the_page_address_is_masked_in_public_too(client, login, place):
    institution, _editor, responder, site, moderator = place
    page = ORIGIN + "/pakalpojumi/profils/anna@example.lv"
    send(client, site, {"helped": "no", "text": "Teksts."}, page=page)
    feedback = db.session.scalars(select(Feedback)).one()
    case = services.turn_into_case(feedback)
    assert "anna@example.lv" not in case.title
    services.request_publication(feedback, responder)
    moderation.approve(db.session.get(Feedback, feedback.id), moderator)
    public = client.get(f"/feedback/{feedback.id}").get_data(as_text=True)
    assert "anna@example.lv" not in public and "/pakalpojumi/profils/" in public


def case_body_or_empty(feedback):
    services.turn_into_case(feedback)
    return feedback.case.body


def test_the_honeypot_is_refused(client, place):
    response = send(client, place[3], {"helped": "yes", "website": "http://spam.example"})
    assert response.status_code == 400 and count(Feedback) == 0


# --- refusals --------------------------------------------------------------------------------------------------------


def test_an_unregistered_origin_is_refused_and_may_not_frame_the_refusal(client, place):
    response = client.get(widget_url(place[3], page="https://evil.example/pakalpojumi/"))
    assert response.status_code == 403
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert 'name="token"' not in response.get_data(as_text=True)


def test_a_covered_sites_uncovered_page_is_refused(client, place):
    site = place[3]
    assert client.get(widget_url(site, page=ORIGIN + "/par-mums/")).status_code == 403
    assert client.get(widget_url(site, page=ORIGIN + "/en/services")).status_code == 200
    token = token_of(client.get(widget_url(site)))  # a token for a covered page, sent for another page
    response = send(client, site, {"helped": "yes"}, page=ORIGIN + "/en/services", token=token)
    assert response.status_code == 403 and count(Feedback) == 0


def test_a_replayed_token_is_refused(client, place):
    site = place[3]
    token = token_of(client.get(widget_url(site)))
    assert send(client, site, {"helped": "yes"}, token=token).status_code == 200
    again = send(client, site, {"helped": "no"}, token=token)
    assert again.status_code == 403 and count(Feedback) == 1


def test_an_expired_token_is_refused(client, place, app, monkeypatch):
    site = place[3]
    token = token_of(client.get(widget_url(site)))
    monkeypatch.setitem(app.config, "FEEDBACK_TOKEN_SECONDS", 0)  # valid for the second it was issued in
    time.sleep(1.1)
    response = send(client, site, {"helped": "yes"}, token=token)
    assert response.status_code == 403 and count(Feedback) == 0
    assert "expired" in response.get_data(as_text=True) or "derīgum" in response.get_data(as_text=True)
    monkeypatch.setitem(app.config, "FEEDBACK_TOKEN_SECONDS", 7200)
    assert send(client, site, {"helped": "yes"}, token=token).status_code == 200  # within the real limit it is fine


def test_a_forged_token_is_refused(client, place):
    site = place[3]
    token = token_of(client.get(widget_url(site)))
    assert send(client, site, {"helped": "yes"}, token=token[:-3] + "AAA").status_code == 403
    assert send(client, site, {"helped": "yes"}, token="").status_code == 403
    assert count(Feedback) == 0


def test_a_token_of_another_site_is_refused(client, place, make_user):
    institution, editor, _responder, site, _moderator = place
    other = services.register_site(institution, editor, {
        "name": "Cita", "key": f"cita-{site.id}", "origins": [ORIGIN], "path_prefixes": [], "ask_email": False,
        "languages": ["lv"], "premoderation": False})
    token = token_of(client.get(widget_url(other)))
    assert send(client, site, {"helped": "yes"}, token=token).status_code == 403


@pytest.mark.parametrize("origin, fetch_site", [
    ("https://evil.example", "cross-site"),  # a forged Origin
    ("https://evil.example", None),
    (None, "same-origin"),  # no Origin at all
    ("null", "cross-site"),
    (OWN, "cross-site"),  # our own origin claimed by a cross-site request
    (OWN, "none"),  # typed into the address bar / a bookmark, never a form in a page
    ("https://rezekne.lv", "cross-site"),  # registered, but not the origin the token was issued for
])
def test_a_forged_or_missing_origin_is_refused(client, place, origin, fetch_site):
    response = send(client, place[3], {"helped": "yes"}, origin=origin, fetch_site=fetch_site)
    assert response.status_code == 403 and count(Feedback) == 0


def test_a_page_of_the_registered_origin_may_post_directly(client, place):
    """The same form posted by the institution's page itself (no frame): its origin is the token's."""
    assert send(client, place[3], {"helped": "yes"}, origin=ORIGIN, fetch_site="cross-site").status_code == 200


def test_a_paused_site_refuses_feedback_and_keeps_what_it_received(client, login, place):
    institution, editor, _responder, site, _moderator = place
    token = token_of(client.get(widget_url(site)))
    send(client, site, {"helped": "yes"})
    login(editor)
    client.post(f"/institutions/{institution.slug}/feedback/sites/{site.id}/pause")
    assert db.session.get(Site, site.id).is_paused
    assert client.get(widget_url(site)).status_code == 403
    assert send(client, site, {"helped": "yes"}, token=token).status_code == 403
    assert count(Feedback) == 1
    client.post(f"/institutions/{institution.slug}/feedback/sites/{site.id}/pause")  # on again
    assert client.get(widget_url(site)).status_code == 200


def test_a_removed_site_is_gone_but_its_feedback_stays(client, login, place):
    institution, editor, _responder, site, _moderator = place
    send(client, site, {"helped": "no", "text": "Paliek."})
    login(editor)
    client.post(f"/institutions/{institution.slug}/feedback/sites/{site.id}/remove")
    assert client.get(widget_url(site)).status_code == 404
    assert site.name not in client.get(f"/institutions/{institution.slug}/feedback/").get_data(as_text=True).split("Feedback received")[0]
    assert "Paliek." in client.get(f"/institutions/{institution.slug}/feedback/").get_data(as_text=True)


def test_rate_limits_per_address_and_per_origin(tmp_path):
    """An app of its own with the limiter on (as tests/test_rate_limits.py): 2 a minute per address, 3 per origin."""
    from flask_migrate import upgrade

    from participation import create_app
    from participation.accounts.models import User
    from participation.extensions import limiter
    from participation.institutions.models import Institution, InstitutionKind

    enabled = limiter.enabled
    limited = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'limits.sqlite'}", RATELIMIT_ENABLED=True,
                         RATELIMIT_STORAGE_URI="memory://", RATELIMIT_FEEDBACK_ADDRESS="2 per minute",
                         RATELIMIT_FEEDBACK_ORIGIN="3 per minute")
    try:
        with limited.app_context():
            upgrade()
            institution = Institution(slug="rl", name="Iestāde", kind=InstitutionKind.MUNICIPALITY)
            user = User(email="r@example.lv", display_name="R", locale="lv")
            user.set_password("correct horse battery")
            db.session.add_all([institution, user])
            db.session.commit()
            site = services.register_site(institution, user, {
                "name": "V", "key": "rl", "origins": [ORIGIN], "path_prefixes": [], "ask_email": True, "languages": ["lv"],
                "premoderation": False})
            client = limited.test_client()
            assert [send(client, site, {"helped": "yes"}).status_code for _ in range(3)] == [200, 200, 429]  # this address
            other = {"REMOTE_ADDR": "10.0.0.9"}
            token = token_of(client.get(widget_url(site), environ_base=other))
            third = client.post(widget_url(site), data={"token": token, "helped": "yes"}, environ_base=other,
                                headers={"Origin": OWN, "Sec-Fetch-Site": "same-origin"})
            assert third.status_code == 200  # another address: the site's third of 3
            token = token_of(client.get(widget_url(site), environ_base={"REMOTE_ADDR": "10.0.0.10"}))
            fourth = client.post(widget_url(site), data={"token": token, "helped": "yes"}, environ_base={"REMOTE_ADDR": "10.0.0.10"},
                                 headers={"Origin": OWN, "Sec-Fetch-Site": "same-origin"})
            assert fourth.status_code == 429  # the site's origin: 3 a minute, whatever the address
            assert client.get(widget_url(site)).status_code == 200  # showing the form is never limited
            assert db.session.scalar(select(func.count(Feedback.id))) == 3
            db.session.remove()
            db.engine.dispose()
    finally:
        limiter.enabled = enabled


# --- staff: noted, case, publication, moderation -------------------------------------------------------------------


def test_staff_mark_feedback_noted_or_turn_it_into_a_case(client, login, place):
    institution, _editor, responder, site, _moderator = place
    send(client, site, {"helped": "no", "text": "Pirmā."})
    send(client, site, {"helped": "no", "text": "Otrā."})
    first, second = db.session.scalars(select(Feedback).order_by(Feedback.id)).all()
    login(responder)
    client.post(f"/feedback/{first.id}/noted")
    client.post(f"/feedback/{second.id}/case")
    db.session.expire_all()
    assert first.state == FeedbackState.NOTED and first.case_id is None
    assert second.state == FeedbackState.CASE and second.case.channel == Channel.FEEDBACK and second.case.is_private
    assert client.get(f"/institutions/{institution.slug}/feedback/?state=noted").get_data(as_text=True).count("Pirmā.") == 1


def test_private_feedback_is_the_institutions_alone(client, login, place, make_user, make_institution, make_staff):
    site = place[3]
    send(client, site, {"helped": "no", "text": "Privāts teksts."})
    feedback = db.session.scalars(select(Feedback)).one()
    assert client.get(f"/feedback/{feedback.id}").status_code == 404
    login(make_staff(make_institution()))
    assert client.get(f"/feedback/{feedback.id}").status_code == 404
    assert client.get(f"/institutions/{place[0].slug}/feedback/").status_code == 403
    assert client.post(f"/feedback/{feedback.id}/noted").status_code == 404
    client.post("/account/logout")
    login(make_user())
    assert client.get(f"/moderation/report/feedback/{feedback.id}").status_code == 404


def test_publication_waits_for_a_moderator_then_shows_page_text_and_answer_in_the_log(client, login, place):
    institution, _editor, responder, site, moderator = place
    send(client, site, {"helped": "no", "text": "Trūkst grafika.", "email": "v@example.lv"})
    feedback = db.session.scalars(select(Feedback)).one()
    case_services.answer_case(feedback.case, responder, Position.ACCEPTED, "Grafiks pievienots.")
    login(responder)
    client.post(f"/feedback/{feedback.id}/publish")
    db.session.expire_all()
    assert feedback.publication == Publication.REQUESTED and feedback.is_pending and feedback.case.is_private
    client.post("/account/logout")
    assert client.get(f"/feedback/{feedback.id}").status_code == 404
    login(moderator)
    assert f"/feedback/{feedback.id}" in client.get("/moderation/").get_data(as_text=True)
    assert client.post(f"/moderation/item/feedback/{feedback.id}/approve", data={"note": ""}).status_code == 302
    db.session.expire_all()
    assert feedback.publication == Publication.PUBLISHED, "approved through the moderators' page"
    client.post("/account/logout")
    public = client.get(f"/feedback/{feedback.id}").get_data(as_text=True)
    assert PAGE in public and "Trūkst grafika." in public and "Grafiks pievienots." in public and "v@example.lv" not in public
    log = client.get(f"/institutions/{institution.slug}/log").get_data(as_text=True)
    assert "Grafiks pievienots." in log and feedback.case.number in log
    moderation.hide(db.session.get(Feedback, feedback.id), moderator, HideReason.PERSONAL_DATA)
    assert "Grafiks pievienots." not in client.get(f"/institutions/{institution.slug}/log").get_data(as_text=True)
    assert client.get(f"/feedback/{feedback.id}").status_code == 404


def test_premoderated_feedback_reaches_the_institution_after_approval(client, login, place):
    institution, _editor, responder, site, moderator = place
    site.premoderation = True
    db.session.commit()
    send(client, site, {"helped": "no", "text": "Gaida moderatoru.", "email": "g@example.lv"})
    feedback = db.session.scalars(select(Feedback)).one()
    assert feedback.is_pending and feedback.case_id is None and db.session.get(PageFigure, (site.id, "")) is None
    login(responder)
    assert "Gaida moderatoru." not in client.get(f"/institutions/{institution.slug}/feedback/").get_data(as_text=True)
    assert client.get(f"/feedback/{feedback.id}").status_code == 404
    moderation.approve(db.session.get(Feedback, feedback.id), moderator)
    db.session.expire_all()
    assert feedback.case is not None and feedback.case.is_private and feedback.counted
    assert "Gaida moderatoru." in client.get(f"/institutions/{institution.slug}/feedback/").get_data(as_text=True)


# --- figures --------------------------------------------------------------------------------------------------------------


def test_figures_share_pages_lowest_first_weeks_words_and_csv(client, login, place, fixed_now):
    institution, _editor, responder, site, _moderator = place
    good, bad = ORIGIN + "/pakalpojumi/laba", ORIGIN + "/pakalpojumi/slikta"
    fixed_now(datetime(2026, 11, 16, 10))
    send(client, site, {"helped": "yes"}, page=good)
    send(client, site, {"helped": "no", "text": "Trūkst atkritumu grafika un cenas."}, page=bad)
    fixed_now(datetime(2026, 11, 24, 10))
    send(client, site, {"helped": "yes"}, page=good)
    send(client, site, {"helped": "yes", "text": "Grafika nav, bet cenas ir."}, page=bad)
    login(responder)
    html = client.get(f"/institutions/{institution.slug}/feedback/sites/{site.id}").get_data(as_text=True)
    assert html.index(bad) < html.index(good)  # the lowest share of "helped" first
    assert "75%" in html.replace("\xa0", "")  # the site: 3 of 4
    words = re.findall(r"<li>(\w+) <span", html.split("app-feedback-words")[1])
    assert words[:2] == ["cenas", "grafika"] and "un" not in words and "bet" not in words and "nav" not in words
    weeks = client.get(f"/institutions/{institution.slug}/feedback/sites/{site.id}?url={bad}").get_data(as_text=True)
    assert "16" in weeks and "23" in weeks  # the weeks from Monday 16 and Monday 23 November
    csv = client.get(f"/institutions/{institution.slug}/feedback/sites/{site.id}/figures.csv").get_data(as_text=True)
    assert csv.splitlines()[1:] == [f"{bad},2,1,2,50.0", f"{good},2,2,2,100.0"]


# --- query counts -------------------------------------------------------------------------------------------------------


def _seed_rows(site, n: int):
    """n feedback rows on 50 pages, set-based, with their counters."""
    rows = [{"site_id": site.id, "institution_id": site.institution_id, "page_url": f"{ORIGIN}/pakalpojumi/{i % 50}",
             "helped": i % 3 == 0, "text": f"Teksts {i}", "email": "", "wants_answer": False, "lang": "lv",
             "state": "received", "publication": "private", "author_id": site.created_by_id, "nonce": f"{site.id}-{i}",
             "counted": True, "moderation": "approved", "hidden_reason": "", "highlighted": False, "off_topic": False,
             "created_at": datetime(2026, 11, 1) + timedelta(minutes=i)} for i in range(n)]
    db.session.execute(insert(Feedback), rows)
    pages = {}
    for row in rows:
        figure = pages.setdefault(row["page_url"], [0, 0])
        figure[0] += 1
        figure[1] += row["helped"]
    db.session.execute(insert(PageFigure), [
        {"site_id": site.id, "page_url": url, "responses": r, "helped": h, "answered_question": r, "share": h * 1000 // r}
        for url, (r, h) in pages.items()])
    db.session.commit()


@pytest.mark.parametrize("url", ["/institutions/{slug}/feedback/", "/institutions/{slug}/feedback/sites/{site}",
                                 "/institutions/{slug}/feedback/sites/{site}?url=" + ORIGIN + "/pakalpojumi/3"])
def test_query_counts_do_not_grow_with_the_feedback(client, login, place, count_queries, make_institution, make_staff, url):
    counts = []
    for n in (10, 10_000):
        institution = make_institution()
        editor = make_staff(institution, role=StaffRole.EDITOR)
        site = services.register_site(institution, editor, {
            "name": "Vietne", "key": f"q-{institution.id}", "origins": [ORIGIN], "path_prefixes": [], "ask_email": True,
            "languages": ["lv"], "premoderation": False})
        _seed_rows(site, n)
        client.post("/account/logout")
        login(editor)
        page = url.format(slug=institution.slug, site=site.id)
        assert client.get(page).status_code == 200
        with count_queries() as counter:
            assert client.get(page).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_the_inbox_runs_the_same_queries_for_10_and_10000_feedback_cases(client, login, count_queries, make_institution,
                                                                        make_staff):
    """Feedback that asks for an answer is a case: the inbox of an institution with 10,000 of them reads a page of them
    with as many statements as with 10."""
    counts = []
    for n in (10, 10_000):
        institution = make_institution()
        responder = make_staff(institution, role=StaffRole.RESPONDER)
        site = services.register_site(institution, responder, {
            "name": "Vietne", "key": f"i-{institution.id}", "origins": [ORIGIN], "path_prefixes": [], "ask_email": True,
            "languages": ["lv"], "premoderation": False})
        received = datetime(2026, 11, 2, 9)
        db.session.execute(insert(Case), [
            {"institution_id": institution.id, "channel": "feedback", "title": f"Atsauksme par lapu {ORIGIN}/{i}", "body": "",
             "item_url": "", "received_at": received, "rule_code": services.FEEDBACK_RULE, "due_on": datetime(2026, 11, 16).date(),
             "state": "open", "is_private": True, "submitter_hidden": False, "extended_once": False, "created_at": received,
             "offline_submitter": ""} for i in range(n)])
        case_ids = db.session.scalars(select(Case.id).where(Case.institution_id == institution.id)).all()
        db.session.execute(insert(Feedback), [
            {"site_id": site.id, "institution_id": institution.id, "page_url": f"{ORIGIN}/{i}", "helped": False, "text": "Teksts",
             "email": "v@example.lv", "wants_answer": True, "lang": "lv", "state": "case", "publication": "private",
             "author_id": responder.id, "nonce": f"i{institution.id}-{i}", "counted": True, "moderation": "approved",
             "hidden_reason": "", "highlighted": False, "off_topic": False, "created_at": received, "case_id": case_id}
            for i, case_id in enumerate(case_ids)])
        db.session.commit()
        client.post("/account/logout")
        login(responder)
        for url in (f"/institutions/{institution.slug}/inbox", f"/institutions/{institution.slug}/feedback/?state=case"):
            assert client.get(url).status_code == 200
        with count_queries() as counter:
            for url in (f"/institutions/{institution.slug}/inbox", f"/institutions/{institution.slug}/feedback/?state=case"):
                assert client.get(url).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_a_site_that_offers_no_email_records_no_email_and_opens_no_case(client, place):
    site = place[3]
    site.ask_email = False
    db.session.commit()
    form = client.get(widget_url(site)).get_data(as_text=True)
    assert 'name="email"' not in form and 'name="wants_answer"' not in form
    response = send(client, site, {"helped": "no", "text": "Bez e-pasta.", "email": "x@example.lv", "wants_answer": "y"})
    assert response.status_code == 200
    feedback = db.session.scalars(select(Feedback)).one()
    assert feedback.email == "" and not feedback.wants_answer and feedback.case_id is None


def test_the_demo_holds_feedback_in_every_state(make_institution, make_staff, make_user):
    from participation.feedback.demo import DEMO_SITE_ORIGIN, seed_feedback

    institution = make_institution(slug="demo-rezekne")
    editor = make_staff(institution, role=StaffRole.EDITOR)
    responder = make_staff(institution, role=StaffRole.RESPONDER)
    seed_feedback(institution, editor, responder, make_user(is_moderator=True))
    site = db.session.scalars(select(Site).where(Site.key == "rezeknes-novads")).one()
    assert site.origin_list == [DEMO_SITE_ORIGIN] and site.prefix_list == [] and site.accepts_feedback
    rows = db.session.scalars(select(Feedback).where(Feedback.site_id == site.id)).all()
    assert any(f.helped and not f.text for f in rows)  # helped
    assert any(f.helped is False and f.text and f.case_id is None for f in rows)  # not helped, with text
    assert any(f.case and f.case.state == CaseState.OPEN for f in rows)  # waiting for an answer
    assert any(f.case and f.case.state == CaseState.ANSWERED and f.publication == Publication.PRIVATE for f in rows)  # answered
    assert any(f.is_published for f in rows)  # published
    assert any(f.publication == Publication.REQUESTED and f.is_pending for f in rows)  # waiting for a moderator's check
    assert any(f.is_hidden for f in rows)  # hidden by a moderator
    assert count(OutboxMessage, OutboxMessage.recipient == "nodoklis@example.lv") == 1  # the answer reached the e-mail
