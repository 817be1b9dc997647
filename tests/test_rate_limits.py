"""What can be abused is rate limited (memory by default, Redis when REDIS_URL is set)."""
import os

import pytest
import redis as redis_client

from participation import create_app

REDIS_URL = "redis://127.0.0.1:6379/15"


def _app(storage):
    return create_app("testing", RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=storage, RATELIMIT_KEY_PREFIX="test-lidzdaliba")


def _hammer_reset(app, times):
    client = app.test_client()
    return [client.post("/account/reset", data={"email": "not-an-address"}).status_code for _ in range(times)]


def _require_redis() -> None:
    """Skip outside CI when Redis does not answer; in CI (LIDZDALIBA_REQUIRE_REDIS=1) fail instead."""
    try:
        redis_client.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis_client.exceptions.ConnectionError:
        if os.environ.get("LIDZDALIBA_REQUIRE_REDIS") == "1":
            pytest.fail("Redis is required here but does not answer at 127.0.0.1:6379")
        pytest.skip("Redis is not running here (required in CI)")


def test_password_reset_requests_are_limited():
    codes = _hammer_reset(_app("memory://"), 7)
    assert codes[:5] == [400] * 5 and codes[5:] == [429, 429]


def test_limits_are_shared_through_redis():
    _require_redis()
    redis_client.Redis.from_url(REDIS_URL).flushdb()
    first, second = _app(REDIS_URL), _app(REDIS_URL)
    assert _hammer_reset(first, 3) == [400] * 3
    assert _hammer_reset(second, 3) == [400, 400, 429]  # the second process sees the first one's attempts


# --- each limited route, through the real views, with memory storage (and one through Redis) ------------------
# These tests use an app of their own (rate limits on, SQLite) as `app`, so the conftest fixtures
# (session, client, login, factories) run against it. The one Limiter is shared by every app in the process,
# so each test re-initialises it for this app and the autouse fixture turns it back off afterwards.

from flask_babel import force_locale, gettext, ngettext  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from participation.consultations.models import Comment  # noqa: E402
from participation.extensions import db, limiter  # noqa: E402
from participation.proposals.models import Proposal  # noqa: E402
from tests.conftest import FreshRequestClient  # noqa: E402


@pytest.fixture(autouse=True)
def _limiter_restored():
    enabled = limiter.enabled
    yield
    limiter.enabled = enabled


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    limited = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path_factory.mktemp('limits') / 'limits.sqlite'}",
                         RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://", RATELIMIT_KEY_PREFIX="test-lidzdaliba")
    limited.test_client_class = FreshRequestClient
    with limited.app_context():
        upgrade()
    yield limited
    with limited.app_context():
        db.engine.dispose()


@pytest.fixture
def limits(app, monkeypatch):
    """limits(storage="memory://", **config): fresh counters in that storage, with the given limits."""

    def _limits(storage="memory://", **config):
        for key, value in config.items():
            monkeypatch.setitem(app.config, key, value)
        monkeypatch.setitem(app.config, "RATELIMIT_STORAGE_URI", storage)
        limiter.init_app(app)  # new storage (fresh counters), enabled for this app
        limiter.reset()

    return _limits


def _comment(client, consultation, text="Vairāk soliņu parkā."):
    return client.post(f"/consultations/{consultation.id}/comments", data={"section": 0, "text": text, "on_behalf": 0})


def test_comments_and_replies_share_one_limit(client, login, limits, make_consultation, make_user):
    limits(RATELIMIT_COMMENTS="3 per minute")
    consultation = make_consultation(with_comment=False)
    login(make_user())
    assert [_comment(client, consultation, f"Komentārs {n}").status_code for n in range(2)] == [302, 302]
    first = db.session.scalars(select(Comment).order_by(Comment.id)).first()
    reply = client.post(f"/consultations/{consultation.id}/comments/{first.id}/replies", data={"text": "Piekrītu."})
    assert reply.status_code == 302
    assert _comment(client, consultation, "Par daudz").status_code == 429
    assert client.post(f"/consultations/{consultation.id}/comments/{first.id}/replies", data={"text": "Vēl"}).status_code == 429
    assert db.session.scalar(select(func.count(Comment.id))) == 3
    assert client.get(f"/consultations/{consultation.id}").status_code == 200  # reading is never limited


def test_the_limit_is_per_account_not_per_shared_address(client, login, limits, make_consultation, make_user):
    limits(RATELIMIT_COMMENTS="1 per minute")
    consultation = make_consultation(with_comment=False)
    login(make_user())
    assert [_comment(client, consultation).status_code for _ in range(2)] == [302, 429]
    client.post("/account/logout")
    login(make_user(name="Otra skolniece"))  # the same school network, another person
    assert _comment(client, consultation).status_code == 302


def test_proposal_drafts_edits_and_submissions_share_one_limit(client, login, limits, make_user, make_institution):
    limits(RATELIMIT_PROPOSALS="2 per minute")
    institution = make_institution()
    login(make_user())
    draft = {"institution": institution.id, "on_behalf": 0, "title": "Soliņi", "action": "save"}
    assert client.post("/proposals/new", data=draft).status_code == 302
    proposal = db.session.scalars(select(Proposal)).one()
    assert client.post(f"/proposals/{proposal.id}/edit", data=draft).status_code == 302
    assert client.post("/proposals/new", data=draft).status_code == 429
    assert client.post(f"/proposals/{proposal.id}/submit").status_code == 429
    assert client.get("/proposals/new").status_code == 200  # only sending is limited
    assert db.session.scalar(select(func.count(Proposal.id))) == 1


def test_supports_are_limited(client, login, limits, make_user, make_proposal):
    limits(RATELIMIT_SUPPORTS="2 per minute")
    proposals = [make_proposal(title=f"Priekšlikums {n}") for n in range(3)]
    login(make_user(name="Atbalstītāja"))
    codes = [client.post(f"/proposals/{p.id}/support").status_code for p in proposals]
    assert codes == [302, 302, 429]


def test_log_in_and_registration_are_limited(client, limits):
    limits()
    assert {client.post("/account/login", data={}).status_code for _ in range(20)} == {400}
    assert client.post("/account/login", data={}).status_code == 429
    assert client.get("/account/login").status_code == 200
    assert {client.post("/account/register", data={}).status_code for _ in range(10)} == {400}
    assert client.post("/account/register", data={}).status_code == 429


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_the_429_page_is_a_readable_page_with_retry_after(app, client, login, limits, make_consultation, make_user, lang):
    limits(RATELIMIT_COMMENTS="1 per minute")
    consultation = make_consultation(with_comment=False)
    login(make_user())
    client.get(f"/language/{lang}")
    _comment(client, consultation)
    response = _comment(client, consultation, "Atkal")
    page = response.get_data(as_text=True)
    assert response.status_code == 429 and response.mimetype == "text/html"
    assert 0 < int(response.headers["Retry-After"]) <= 60
    with app.test_request_context("/"), force_locale(lang):
        title = gettext("Too many attempts")
        wait = ngettext("You have sent this too many times in a short while. You can try again in %(num)d minute.",
                        "You have sent this too many times in a short while. You can try again in %(num)d minutes.", 1)
    assert f"<html lang=\"{lang}\" class=\"govuk-template\">" in page and title in page and wait in page
    assert "Traceback" not in page and "429 Too Many Requests" not in page
    assert (title == "Too many attempts") is (lang == "en")  # Latvian is really translated


def test_limit_hits_are_logged(client, limits, caplog):
    limits()
    with caplog.at_level("WARNING", logger="participation.security"):
        for _ in range(21):
            client.post("/account/login", data={})
    assert any("rate limit hit" in r.getMessage() and "accounts.login" in r.getMessage() for r in caplog.records)


def test_a_route_through_redis(client, login, limits, make_consultation, make_user):
    _require_redis()
    redis = redis_client.Redis.from_url(REDIS_URL)
    redis.flushdb()
    limits(REDIS_URL, RATELIMIT_COMMENTS="2 per minute")
    consultation = make_consultation(with_comment=False)
    login(make_user())
    assert [_comment(client, consultation, f"Teksts {n}").status_code for n in range(3)] == [302, 302, 429]
    assert any(b"comments" in key for key in redis.keys("*"))  # the counter lives in Redis (this test's database, flushed above)
    redis.flushdb()


def test_every_limit_in_the_configuration_can_be_read():
    from limits import parse_many

    app = create_app("testing")
    for key in ("RATELIMIT_COMMENTS", "RATELIMIT_PROPOSALS", "RATELIMIT_SUPPORTS", "RATELIMIT_REPORTS"):
        assert parse_many(app.config[key]), key
