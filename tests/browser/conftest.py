"""Browser fixtures: one live server on a seeded demo database, one Debian chromium, a fresh context per test.

The live app is separate from the `app`/`session` fixtures of tests/conftest.py (those are parametrized over
sqlite/postgresql and roll back every test); here real requests go through a real server with CSRF on.
Without chromium the tests are skipped, except in CI (LIDZDALIBA_REQUIRE_BROWSER=1), where that is a failure.
"""
import os
import re
import threading
from contextlib import contextmanager

import pytest
from flask_babel import force_locale
from flask_babel import format_date
from flask_babel import format_datetime
from flask_babel import gettext as _gettext
from flask_babel import ngettext as _ngettext
from flask_migrate import upgrade
from sqlalchemy import select
from werkzeug.serving import make_server

from participation import create_app
from participation.clock import set_fixed_now
from participation.demo import DEMO_PASSWORD, seed_demo
from participation.extensions import db
from participation.outbox.models import OutboxMessage

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
REQUIRE_BROWSER = os.environ.get("LIDZDALIBA_REQUIRE_BROWSER") == "1"
DEFAULT_TIMEOUT_MS = 10_000


def _browser_unavailable(reason: str):
    """In CI a missing browser fails the run; on a developer's machine the browser tests are skipped."""
    if REQUIRE_BROWSER:
        pytest.fail(f"LIDZDALIBA_REQUIRE_BROWSER=1 but the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(f"browser tests need chromium at {CHROMIUM}: {reason}")


# --- the live server ---------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The development app on its own SQLite file, migrated and seeded with the demo, served on 127.0.0.1 and a
    free port in a daemon thread. CSRF stays on. The port is bound first so every e-mailed link points here."""
    tmp = tmp_path_factory.mktemp("browser")
    app = create_app(
        "development",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp}/browser.sqlite",
        RATELIMIT_ENABLED=False,
        FORM_MIN_FILL_SECONDS=0,  # the browser fills forms faster than a person; the human check has its own tests
        JOBS_QUEUE=f"sqlite:///{tmp}/jobs.sqlite3",  # a queue of its own (test_mail_journey runs a consumer on it)
        TESTING=False,
    )
    assert app.config.get("WTF_CSRF_ENABLED", True), "the browser suite submits real forms with CSRF tokens"
    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_BASE_URL"] = url
    with app.app_context():
        upgrade()
        assert seed_demo() is not None, "the browser database should start empty"
        db.session.remove()
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield app, url
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_app(live_server):
    return live_server[0]


@pytest.fixture(scope="session")
def live_url(live_server):
    return live_server[1]


@contextmanager
def app_db(app):
    """Read the live database from the test (a separate session from the server's threads)."""
    with app.app_context():
        try:
            yield db.session
        finally:
            db.session.remove()


@pytest.fixture
def live_db(live_app):
    return lambda: app_db(live_app)


@pytest.fixture(scope="session")
def tr(live_app):
    """tr(lang, msgid, **values): the UI text as the app renders it in that language (from the catalogues),
    so assertions follow the translations instead of copying them."""

    def _tr(lang: str, message: str, **values) -> str:
        with live_app.test_request_context("/"), force_locale(lang):
            return _gettext(message, **values)

    return _tr


@pytest.fixture(scope="session")
def trn(live_app):
    """trn(lang, singular, plural, n, **values): a plural UI text as rendered in that language (ngettext)."""

    def _trn(lang: str, singular: str, plural: str, n: int, **values) -> str:
        with live_app.test_request_context("/"), force_locale(lang):
            return _ngettext(singular, plural, n, **values)

    return _trn


@pytest.fixture(scope="session")
def day(live_app):
    """day(lang, date): a date as the pages show it (the `date` filter: the long format of that language)."""

    def _day(lang: str, value) -> str:
        with live_app.test_request_context("/"), force_locale(lang):
            return format_date(value, "long")

    return _day


@pytest.fixture(scope="session")
def moment(live_app):
    """moment(lang, naive_utc, width="long"): a time as the app formats it (flask_babel, shown in Riga time)."""

    def _moment(lang: str, value, width: str = "long") -> str:
        with live_app.test_request_context("/"), force_locale(lang):
            return format_datetime(value, width)

    return _moment


@pytest.fixture
def app_clock():
    """app_clock(naive_utc or None): stop the app's clock (the live server runs in this process); the real clock
    always comes back when the test ends, whatever happened."""
    try:
        yield set_fixed_now
    finally:
        set_fixed_now(None)


@pytest.fixture
def outbox(live_app):
    """outbox(recipient) -> the messages queued for that address, oldest first."""

    def _outbox(recipient: str) -> list[OutboxMessage]:
        with app_db(live_app) as s:
            messages = s.scalars(
                select(OutboxMessage).where(OutboxMessage.recipient == recipient).order_by(OutboxMessage.id)
            ).all()
            s.expunge_all()
            return list(messages)

    return _outbox


def link_in(body: str, base_url: str) -> str:
    match = re.search(re.escape(base_url) + r"/\S+", body)
    assert match, f"no link to {base_url} in the e-mail:\n{body}"
    return match.group(0)


# Journeys that move the app's clock leave records dated in the future in the shared live database (answers at
# the top of a response log, ...); they run after every other browser test.
RUN_LAST = {"test_consultations_journey.py"}


def pytest_collection_modifyitems(session, config, items):
    items[:] = [i for i in items if i.path.name not in RUN_LAST] + [i for i in items if i.path.name in RUN_LAST]


# --- the browser -------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        _browser_unavailable("the file does not exist (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        _browser_unavailable(f"playwright is not installed ({error})")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    except Exception as error:  # noqa: BLE001  (any launch failure means no browser)
        playwright.stop()
        _browser_unavailable(f"launching it failed: {error}")
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def new_context(browser, live_url):
    """new_context(user_email=None, **options): a fresh browser context (own cookies), optionally logged in."""
    contexts = []

    def _new(user_email: str | None = None, **options):
        if user_email is not None:
            options["storage_state"] = _logged_in_state(browser, live_url, user_email)
        context = browser.new_context(base_url=live_url, **options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        return context

    yield _new
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A fresh page in a fresh context, logged out."""
    return new_context().new_page()


@pytest.fixture
def page_as(new_context):
    """page_as(email, **context_options): a fresh page already logged in as that demo account."""
    return lambda email, **options: new_context(email, **options).new_page()


_STATES: dict[tuple[str, str], dict] = {}


def log_in(page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the real form (CSRF token and all), whatever the UI language."""
    page.goto("/account/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main form button[type=submit]").click()
    try:
        page.wait_for_url(lambda url: "/account/login" not in url)
    except Exception as error:  # noqa: BLE001
        raise AssertionError(f"logging in as {email} failed: still at {page.url}") from error


def _logged_in_state(browser, live_url: str, email: str) -> dict:
    """Log each demo account in once per session and reuse its cookies (the session is in a signed cookie)."""
    key = (live_url, email)
    if key not in _STATES:
        context = browser.new_context(base_url=live_url)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        try:
            log_in(context.new_page(), email)
            _STATES[key] = context.storage_state()
        finally:
            context.close()
    return _STATES[key]


def html_lang(page) -> str:
    return page.evaluate("document.documentElement.lang")
