"""Public forms refuse programs: a filled honeypot, a form sent back too fast, or a missing or forged start
time gets one neutral message; people (after the minimum time) get through, and what they typed stays."""
import re
from datetime import timedelta

import pytest
from flask_babel import force_locale, gettext
from itsdangerous import URLSafeSerializer
from sqlalchemy import func, select

from participation.accounts.models import User
from participation.clock import utcnow
from participation.consultations.models import Comment
from participation.extensions import db
from participation.proposals.models import Proposal

START = re.compile(r'name="form_started" value="([^"]+)"')


@pytest.fixture
def human_check(app, monkeypatch, fixed_now):
    """The check on (3 seconds), with the clock stopped; returns a function that moves it forward."""
    monkeypatch.setitem(app.config, "FORM_MIN_FILL_SECONDS", 3)
    moment = [utcnow().replace(microsecond=0)]
    fixed_now(moment[0])

    def later(seconds):
        moment[0] += timedelta(seconds=seconds)
        fixed_now(moment[0])

    return later


def neutral_message(app, lang="lv"):
    with app.test_request_context("/"), force_locale(lang):
        return gettext("We could not accept this form. Please check it and send it again.")


def start_token(client, path):
    page = client.get(path).get_data(as_text=True)
    tokens = START.findall(page)
    assert tokens, f"no start time in {path}"
    return tokens[0]


def register_data(token, **extra):
    return {"display_name": "Ilze Ozola", "email": "ilze.ozola@example.lv", "password": "garas parole ar vārdiem",
            "confirm": "garas parole ar vārdiem", "locale": "lv", "agree": "y", "form_started": token, **extra}


def users():
    return db.session.scalar(select(func.count(User.id)))


def test_a_person_who_takes_a_few_seconds_gets_through(client, human_check):
    token = start_token(client, "/account/register")
    human_check(5)
    response = client.post("/account/register", data=register_data(token))
    assert response.status_code == 200 and users() == 1  # "check your e-mail"


def test_a_filled_honeypot_is_refused_neutrally_and_nothing_is_saved(app, client, human_check):
    token = start_token(client, "/account/register")
    human_check(60)
    response = client.post("/account/register", data=register_data(token, website="https://spam.example"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and users() == 0
    assert neutral_message(app) in page and 'class="govuk-error-summary"' in page
    assert "Ilze Ozola" in page  # what the person typed stays
    assert "spam.example" not in page  # the honeypot is not filled back in
    assert "honeypot" not in page.lower() and "too fast" not in page.lower()


def test_a_form_sent_back_too_fast_is_refused(app, client, human_check):
    token = start_token(client, "/account/register")
    human_check(1)
    response = client.post("/account/register", data=register_data(token))
    assert response.status_code == 400 and users() == 0
    assert neutral_message(app) in response.get_data(as_text=True)
    # the page shown again carries a new start time; a person who sends it a little later gets through
    token = START.findall(response.get_data(as_text=True))[0]
    human_check(4)
    assert client.post("/account/register", data=register_data(token)).status_code == 200 and users() == 1


@pytest.mark.parametrize("forge", ["missing", "unsigned", "other key"])
def test_a_missing_or_forged_start_time_is_refused(app, client, human_check, forge):
    long_ago = int((utcnow() - timedelta(hours=1)).timestamp())
    token = {"missing": "", "unsigned": str(long_ago),
             "other key": URLSafeSerializer("not-the-secret", salt="participation.form-start").dumps(long_ago)}[forge]
    human_check(10)
    response = client.post("/account/register", data=register_data(token))
    assert response.status_code == 400 and users() == 0
    assert neutral_message(app) in response.get_data(as_text=True)


def test_the_refusal_is_logged_with_its_reason(client, human_check, caplog):
    token = start_token(client, "/account/login")
    human_check(10)
    with caplog.at_level("INFO", logger="participation.security"):
        client.post("/account/login", data={"email": "a@example.lv", "password": "x", "form_started": token, "website": "x"})
    assert any("form refused (honeypot)" in r.getMessage() for r in caplog.records)


def test_a_log_in_sent_at_once_gets_through(app, client, make_user, human_check):
    """Password managers fill the log-in form and send it at once: log-in has no minimum fill time."""
    user = make_user()
    token = start_token(client, "/account/login")  # the clock is stopped: sent in the same second
    response = client.post("/account/login", data={"email": user.email, "password": "correct horse battery",
                                                   "form_started": token})
    assert response.status_code == 302
    assert client.get("/account/profile").status_code == 200


def test_a_log_in_without_a_start_time_gets_through(client, make_user, human_check):
    """A log-in form filled from a saved page or by a password manager's own form sends no start time."""
    user = make_user()
    response = client.post("/account/login", data={"email": user.email, "password": "correct horse battery"})
    assert response.status_code == 302


def test_a_refused_registration_keeps_what_was_typed_but_the_password(app, client, human_check):
    token = start_token(client, "/account/register")
    human_check(1)  # too fast
    response = client.post("/account/register", data=register_data(token))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and users() == 0
    assert neutral_message(app) in page  # "please check it and send it again", in plain words
    assert 'value="Ilze Ozola"' in page and 'value="ilze.ozola@example.lv"' in page
    assert "garas parole ar vārdiem" not in page  # a password is never sent back to the browser
    with app.test_request_context("/"), force_locale("lv"):
        again = gettext("For your safety the password is not shown again: enter it again.")
    assert again in page


def test_log_in_and_reset_refuse_a_bot(app, client, make_user, human_check):
    user = make_user()
    token = start_token(client, "/account/login")
    human_check(10)
    response = client.post("/account/login", data={"email": user.email, "password": "correct horse battery",
                                                   "form_started": token, "website": "x"})
    assert response.status_code == 400 and neutral_message(app) in response.get_data(as_text=True)
    assert client.get("/account/profile").status_code == 302  # not logged in
    response = client.post("/account/reset", data={"email": user.email, "form_started": "forged"})
    assert response.status_code == 400 and neutral_message(app) in response.get_data(as_text=True)


def test_comments_replies_and_proposals_refuse_a_bot_and_keep_the_text(app, client, login, make_user,
                                                                      make_consultation, make_institution, human_check):
    consultation = make_consultation()
    with pytest.MonkeyPatch.context() as patch:  # log in past the check (the login fixture sends no start time)
        patch.setitem(app.config, "FORM_MIN_FILL_SECONDS", 0)
        login(make_user())
    human_check(10)
    comment_count = db.session.scalar(select(func.count(Comment.id)))
    page_path = f"/consultations/{consultation.id}"
    token = start_token(client, page_path)
    response = client.post(f"{page_path}/comments", data={"section": 0, "text": "Mans komentārs", "on_behalf": 0,
                                                          "form_started": token})  # sent at once
    assert response.status_code == 400 and neutral_message(app) in response.get_data(as_text=True)
    assert "Mans komentārs" in response.get_data(as_text=True)

    parent = db.session.scalars(select(Comment)).first()
    token = start_token(client, f"{page_path}/comments")
    human_check(10)
    response = client.post(f"{page_path}/comments/{parent.id}/replies", data={"text": "Mana atbilde", "form_started": token,
                                                                              "website": "http://x"})
    assert response.status_code == 400
    assert neutral_message(app) in response.get_data(as_text=True) and "Mana atbilde" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Comment.id))) == comment_count

    institution = make_institution()
    token = start_token(client, "/proposals/new")
    response = client.post("/proposals/new", data={"institution": institution.id, "on_behalf": 0, "title": "Soliņi",
                                                   "action": "save", "form_started": token})  # too fast
    assert response.status_code == 400 and neutral_message(app) in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Proposal.id))) == 0
    human_check(5)
    response = client.post("/proposals/new", data={"institution": institution.id, "on_behalf": 0, "title": "Soliņi",
                                                   "action": "save", "form_started": token})
    assert response.status_code == 302 and db.session.scalar(select(func.count(Proposal.id))) == 1


def test_the_check_renders_in_every_public_form(client, login, make_user, make_consultation):
    consultation = make_consultation()
    paths = ["/account/register", "/account/login", "/account/reset"]
    for path in paths:
        page = client.get(path).get_data(as_text=True)
        assert 'class="app-hp-field"' in page and 'name="website"' in page and 'tabindex="-1"' in page, path
        assert 'autocomplete="off"' in page and START.search(page), path
        assert '<label for="website">' in page, path
    login(make_user())
    for path in ["/proposals/new", f"/consultations/{consultation.id}", f"/consultations/{consultation.id}/comments"]:
        page = client.get(path).get_data(as_text=True)
        assert 'class="app-hp-field"' in page and START.search(page), path
    replies = client.get(f"/consultations/{consultation.id}/comments").get_data(as_text=True)
    ids = re.findall(r'id="(website[^"]*)"', replies)
    assert ids and len(ids) == len(set(ids))  # one reply form per comment, each with its own id


def test_the_honeypot_is_hidden_by_the_stylesheet(app):
    from pathlib import Path

    scss = (Path(app.root_path).parent / "assets" / "scss" / "app.scss").read_text()
    assert re.search(r"\.app-hp-field\s*\{[^}]*left:\s*-10000px", scss)


def test_with_the_check_off_only_the_honeypot_counts(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "FORM_MIN_FILL_SECONDS", 0)
    assert client.post("/account/register", data=register_data("")).status_code == 200 and users() == 1
