"""Issue 14, item 4: a per-account log-in throttle (growing waits whatever the address, a clear "try again in"
message, a reset link that always logs the owner in, one notice e-mail per period), and the human check's signed
start time tied to the session with an expiry."""
import re
import time
from datetime import timedelta

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from participation.accounts import throttle
from participation.clock import utcnow
from participation.extensions import db
from participation.outbox.models import OutboxMessage

WRONG = "nepareiza parole"
RIGHT = "correct horse battery"


@pytest.fixture
def throttled(app, monkeypatch):
    """The throttle with small numbers: 3 free failures, then 1, 2, 4 ... seconds (at most 8); notice after 3."""
    for key, value in {"LOGIN_FREE_FAILURES": 3, "LOGIN_FIRST_DELAY_SECONDS": 1, "LOGIN_MAX_DELAY_SECONDS": 8,
                       "LOGIN_NOTICE_AFTER": 3, "LOGIN_FAILURE_PERIOD_SECONDS": 3600}.items():
        monkeypatch.setitem(app.config, key, value)
    with app.app_context():
        throttle._storage().reset()  # fresh counters (memory storage in the tests)
    yield


def _attempt(app, email, password, address):
    """A log-in from its own client and address (many addresses guessing at one account)."""
    return app.test_client().post("/account/login", data={"email": email, "password": password},
                                  environ_base={"REMOTE_ADDR": address})


def _mails(to):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == to)).all()


def _expire_wait(app, email):
    with app.app_context():
        throttle._storage().clear(throttle._key("wait", email))


def test_guesses_from_many_addresses_are_slowed_per_account(app, make_user, throttled):
    user = make_user(email="upuris@example.lv")
    codes = [_attempt(app, user.email, WRONG, f"10.0.0.{n}").status_code for n in range(3)]
    assert codes == [400, 400, 400]  # the free failures
    response = _attempt(app, user.email, RIGHT, "10.0.1.1")  # the 4th, from yet another address: must wait
    assert response.status_code == 429 and response.headers["Retry-After"] == "1"
    with app.app_context():
        # refused attempts are not counted, so they cannot make the wait longer
        assert throttle.failures(user.email) == 3
    # The waits grow: 1, 2, 4, then at most 8 seconds.
    waits = []
    for n in range(5):
        _expire_wait(app, user.email)
        assert _attempt(app, user.email, WRONG, f"10.0.2.{n}").status_code == 400
        waits.append(int(_attempt(app, user.email, WRONG, f"10.0.3.{n}").headers["Retry-After"]))
    assert waits == [2, 4, 8, 8, 8]


def test_the_refusal_says_when_to_try_again_and_how_to_log_in_at_once(app, make_user, throttled):
    user = make_user()
    for n in range(4):
        _attempt(app, user.email, WRONG, "10.0.0.1")
    response = _attempt(app, user.email, WRONG, "10.0.0.1")
    page = response.get_data(as_text=True)
    assert response.status_code == 429 and 'class="govuk-error-summary"' in page
    with app.test_request_context("/"), force_locale("lv"):
        minutes = gettext("Too many wrong passwords were tried for this account. You can try again in %(num)d minute, or choose a new password now through “Forgot your password?” and log in at once.", num=1)
    assert minutes in page
    assert 'href="/account/reset"' in page


def test_the_owner_can_log_in_again_after_the_wait(app, make_user, throttled):
    user = make_user()
    for n in range(3):
        _attempt(app, user.email, WRONG, "10.0.0.1")
    assert _attempt(app, user.email, RIGHT, "10.0.0.2").status_code == 429
    time.sleep(1.2)  # the first wait is one second
    client = app.test_client()
    assert client.post("/account/login", data={"email": user.email, "password": RIGHT}).status_code == 302
    with app.app_context():
        assert throttle.failures(user.email) == 0  # a right password starts the count again


def test_a_stranger_cannot_lock_the_owner_out_the_reset_link_logs_in(app, client, make_user, throttled):
    from participation.accounts.services import password_reset_token

    user = make_user()
    for n in range(10):
        _attempt(app, user.email, WRONG, f"10.0.0.{n}")
    assert _attempt(app, user.email, RIGHT, "10.0.9.9").status_code == 429
    response = client.post(f"/account/reset/{password_reset_token(user)}", data={"password": "jauna gara parole", "confirm": "jauna gara parole"})
    assert response.status_code == 302 and client.get("/account/profile").status_code == 200


def test_the_owner_gets_one_notice_per_period(app, make_user, throttled):
    user = make_user(email="ipasniece@example.lv")
    for n in range(2):
        _attempt(app, user.email, WRONG, "10.0.0.1")
    assert _mails(user.email) == []
    _attempt(app, user.email, WRONG, "10.0.0.1")  # the 3rd failure: the notice
    mails = _mails(user.email)
    assert len(mails) == 1 and re.search(r"/account/reset/\S+", mails[0].body)
    with app.test_request_context("/"), force_locale("lv"):
        assert mails[0].subject == gettext("Wrong passwords were tried on your account")
    for n in range(3):
        _expire_wait(app, user.email)
        _attempt(app, user.email, WRONG, "10.0.0.1")
    assert len(_mails(user.email)) == 1  # once per period


def test_an_unknown_address_is_throttled_the_same_way(app, make_user, throttled):
    """So a refusal does not tell whether an address has an account; nobody is e-mailed."""
    codes = [_attempt(app, "neviens@example.lv", WRONG, "10.0.0.1").status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]
    assert _mails("neviens@example.lv") == []


def test_failures_are_logged(app, make_user, throttled, caplog):
    user = make_user()
    with caplog.at_level("WARNING", logger="participation.security"):
        for n in range(4):
            _attempt(app, user.email, WRONG, "10.0.0.1")
    messages = [r.getMessage() for r in caplog.records]
    assert any("log-in refused, the account must wait" in m for m in messages)
    assert not any(user.email in m for m in messages)  # masked


# --- the human check's signed start time: tied to the session, with an expiry --------------------------------

START = re.compile(r'name="form_started" value="([^"]+)"')


@pytest.fixture
def human_check(app, monkeypatch, fixed_now):
    monkeypatch.setitem(app.config, "FORM_MIN_FILL_SECONDS", 3)
    moment = [utcnow().replace(microsecond=0)]
    fixed_now(moment[0])

    def later(seconds):
        moment[0] += timedelta(seconds=seconds)
        fixed_now(moment[0])

    return later


def _register(client, token):
    return client.post("/account/register", data={"display_name": "Ilze", "email": "ilze.ozola@example.lv",
                                                  "password": "garas parole ar vārdiem", "confirm": "garas parole ar vārdiem",
                                                  "locale": "lv", "agree": "y", "form_started": token})


def _refused(app, response):
    with app.test_request_context("/"), force_locale("lv"):
        message = gettext("We could not accept this form. Please check it and send it again.")
    return response.status_code == 400 and message in response.get_data(as_text=True)


def test_a_start_time_from_another_session_is_refused(app, client, human_check):
    """A bot cannot fetch one signed start time and send it from many sessions."""
    token = START.search(app.test_client().get("/account/register").get_data(as_text=True)).group(1)
    human_check(10)
    assert _refused(app, _register(client, token))
    own = START.search(client.get("/account/register").get_data(as_text=True)).group(1)
    human_check(10)
    assert _register(client, own).status_code == 200  # its own session's: accepted


def test_an_old_start_time_is_refused(app, client, human_check):
    token = START.search(client.get("/account/register").get_data(as_text=True)).group(1)
    human_check(app.config["FORM_MAX_AGE_SECONDS"] + 1)
    assert _refused(app, _register(client, token))


def test_the_throttle_lives_in_redis_when_configured(app, make_user, throttled, monkeypatch):
    """Through the real Redis storage (shared by every process): the same waits, the counters under hashed keys."""
    import redis as redis_client

    from tests.test_rate_limits import REDIS_URL, _require_redis

    _require_redis()
    redis = redis_client.Redis.from_url(REDIS_URL)
    redis.flushdb()
    monkeypatch.setitem(app.config, "RATELIMIT_STORAGE_URI", REDIS_URL)
    user = make_user(email="redis.upuris@example.lv")
    try:
        codes = [_attempt(app, user.email, WRONG, f"10.0.0.{n}").status_code for n in range(3)]
        response = _attempt(app, user.email, RIGHT, "10.0.1.1")
        assert codes == [400, 400, 400] and response.status_code == 429 and response.headers["Retry-After"] == "1"
        keys = [key.decode() for key in redis.keys("*login-*")]
        assert keys and not any("redis.upuris" in key for key in keys)  # the address is hashed
        _expire_wait(app, user.email)
        assert _attempt(app, user.email, WRONG, "10.0.2.1").status_code == 400
        assert _attempt(app, user.email, WRONG, "10.0.2.2").headers["Retry-After"] == "2"  # it grows
        _expire_wait(app, user.email)
        assert app.test_client().post("/account/login", data={"email": user.email, "password": RIGHT}).status_code == 302
    finally:
        redis.flushdb()
