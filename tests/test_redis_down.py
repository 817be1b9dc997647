"""Issue 14, faults, "Redis down": with the rate-limit storage unreachable (RATELIMIT_STORAGE_URI at a closed port),
pages and ordinary rate-limited forms keep working (fail open) and log-in is refused with a plain 503 "try again in a
minute" (fail closed: guesses could not be counted); each with a line in participation.security."""
import pytest
from flask_babel import force_locale, gettext
from flask_migrate import upgrade

from participation import create_app
from participation.accounts import services
from participation.extensions import db, limiter

CLOSED_PORT = "redis://127.0.0.1:1/0"
PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _limiter_restored():
    """The one Limiter is shared by every app in the process: turn it back as it was afterwards."""
    enabled = limiter.enabled
    yield
    limiter.enabled = enabled


@pytest.fixture(scope="module")
def down_app(tmp_path_factory):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path_factory.mktemp('redis-down') / 'db.sqlite'}",
                     RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=CLOSED_PORT,
                     RATELIMIT_STORAGE_OPTIONS={"socket_connect_timeout": 1, "socket_timeout": 1},
                     RATELIMIT_KEY_PREFIX="test-lidzdaliba")  # the Limiter keeps the first prefix it is given
    with app.app_context():
        upgrade()
        services.register_user("redis.down@example.lv", PASSWORD, "Rasma Rēdisa")
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(down_app):
    limiter.init_app(down_app)  # the storage at the closed port, enabled, for this app
    return down_app.test_client()


def _security_lines(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "participation.security"]


def test_reading_pages_works(client):
    for path in ("/", "/consultations/", "/proposals/", "/account/login", "/account/register"):
        assert client.get(path).status_code == 200, path


def test_ordinary_limits_fail_open_with_a_log_line(client, caplog):
    with caplog.at_level("ERROR", logger="participation.security"):
        response = client.post("/account/reset", data={"email": "redis.down@example.lv"})
    assert response.status_code == 200  # "check your e-mail": the request went through
    assert any("rate-limit storage unreachable" in line and "fail open" in line for line in _security_lines(caplog))


def test_log_in_fails_closed_with_a_plain_503(down_app, client, caplog):
    with caplog.at_level("ERROR", logger="participation.security"):
        response = client.post("/account/login", data={"email": "redis.down@example.lv", "password": PASSWORD})
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"] == "60"
    with down_app.test_request_context("/"), force_locale("lv"):
        assert gettext("Log-in is paused for a moment") in page
        assert gettext("We cannot check log-in attempts just now. Please try again in a minute.") in page
    assert "Traceback" not in page
    assert client.get("/account/profile").status_code == 302  # not logged in
    assert any("rate-limit storage unreachable" in line and "fail closed" in line for line in _security_lines(caplog))


def test_log_in_works_again_when_the_storage_answers(down_app, client, monkeypatch):
    monkeypatch.setitem(down_app.config, "RATELIMIT_STORAGE_URI", "memory://")
    response = client.post("/account/login", data={"email": "redis.down@example.lv", "password": PASSWORD})
    assert response.status_code == 302
