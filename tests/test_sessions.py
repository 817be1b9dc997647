"""Issue 14, item 3: log-out ends the session on the server, "log out on every other device" on the profile, and a
log-in lasts a stated, bounded time."""
import re
from datetime import timedelta

from participation.accounts.models import User
from participation.clock import utcnow
from participation.extensions import db

PASSWORD = "correct horse battery"


def _log_in(client, user):
    response = client.post("/account/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.data
    return response


def _session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def test_a_cookie_copied_before_log_out_no_longer_opens_the_profile(app, client, make_user):
    user = make_user()
    _log_in(client, user)
    assert client.get("/account/profile").status_code == 200
    copied = _session_cookie(client)
    assert client.post("/account/logout").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", copied)
    response = thief.get("/account/profile")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    assert db.session.get(User, user.id).session_version == 2  # ended on the server


def test_log_out_on_every_other_device_keeps_this_one(app, client, make_user):
    user = make_user()
    other_device = app.test_client()
    _log_in(other_device, user)
    _log_in(client, user)
    assert other_device.get("/account/profile").status_code == 200
    page = client.get("/account/profile").get_data(as_text=True)
    form = re.search(r'<form method="post" action="/account/logout-everywhere"[^>]*>(.*?)</form>', page, re.S)
    assert form and 'name="csrf_token"' in form.group(1)  # a button form with its CSRF token
    assert client.get("/account/logout-everywhere").status_code == 405  # never a link
    response = client.post("/account/logout-everywhere")
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/profile")
    assert other_device.get("/account/profile").status_code == 302  # logged out there
    assert client.get("/account/profile").status_code == 200  # still here


def test_log_out_everywhere_needs_a_log_in(client):
    response = client.post("/account/logout-everywhere")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_logging_out_everywhere_needs_the_csrf_token(app, make_user, monkeypatch, session):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    user = make_user()
    client = app.test_client()
    page = client.get("/account/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', page)
    token = token.group(1) or token.group(2)
    assert client.post("/account/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}).status_code == 302
    assert client.post("/account/logout-everywhere").status_code == 400  # no token: refused
    assert db.session.get(User, user.id).session_version == 1


def test_a_log_in_ends_after_the_stated_lifetime(app, client, make_user, monkeypatch):
    """Counted in real time (the wall clock), not by the app's clock that judges deadlines."""
    hours = app.config["SESSION_HOURS"]
    assert 1 <= hours <= 12 and app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=hours)
    start = [1_800_000_000.0]
    monkeypatch.setattr("participation.accounts.views._now_seconds", lambda: start[0])
    _log_in(client, make_user())
    start[0] += hours * 3600 - 60
    assert client.get("/account/profile").status_code == 200
    start[0] += 120
    assert client.get("/account/profile").status_code == 302  # log in again


def test_moving_the_apps_clock_does_not_end_a_log_in(client, make_user, fixed_now):
    _log_in(client, make_user())
    fixed_now(utcnow() + timedelta(days=30))  # a deadline judged a month later
    assert client.get("/account/profile").status_code == 200


def test_the_lifetime_is_stated_on_the_log_in_page_and_the_profile(app, client, make_user):
    hours = app.config["SESSION_HOURS"]
    client.get("/language/en")
    login_page = client.get("/account/login").get_data(as_text=True)
    assert f"You stay logged in for at most {hours} hours" in login_page
    _log_in(client, make_user())
    assert f"A log-in lasts at most {hours} hours" in client.get("/account/profile").get_data(as_text=True)


def test_the_session_cookie_is_not_kept_after_the_browser_closes(client, make_user):
    response = _log_in(client, make_user())
    cookie = response.headers["Set-Cookie"]
    assert "Expires=" not in cookie and "Max-Age=" not in cookie
