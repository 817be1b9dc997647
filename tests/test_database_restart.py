"""Faults (issue 14), "Database restart under load": when PostgreSQL drops the connections (a restart, a failover,
pg_terminate_backend), a request that was using one fails cleanly with the friendly 500 page, the error page itself
never fails and never touches the database (no user lookup, no navigation counts), and the next request is served
normally (participation/liveness.py replaces the dead connections at checkout).

Runs against a PostgreSQL database of its own with real commits; the dead connection is made by terminating the
request's own backend from a second connection, in the middle of the view."""
import logging
import time

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from participation import create_app
from participation.extensions import db
from tests.conftest import _fresh_postgres_database, need_postgres

PASSWORD = "correct horse battery"
SORRY = "Sorry, something went wrong on our side"
SORRY_LV = "Atvainojiet"


@pytest.fixture
def pg_app():
    need_postgres()
    url, drop = _fresh_postgres_database()
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)  # the configuration's engine options
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: an unhandled error gets the 500 page
    with app.app_context():
        upgrade()
    app.logger.disabled = False  # Alembic's fileConfig() in env.py turns off the loggers that existed before it
    killer = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    app.extensions["test.killer"] = killer
    yield app
    killer.dispose()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    drop()


def _make_user(app, email="anna@example.lv", **flags):
    from participation.accounts.models import User
    from participation.clock import utcnow

    with app.app_context():
        user = User(email=email, display_name="Anna Bērziņa", locale="en", email_verified_at=utcnow(), **flags)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        db.session.remove()


def _terminate(app, pid: int) -> None:
    with app.extensions["test.killer"].connect() as connection:
        assert connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()


def _terminate_all(app) -> int:
    """Every other connection to the app's database, as a restart of the server would: each backend has ended (and
    told its client so) when this returns, as a restart has ended before the next request."""
    with app.extensions["test.killer"].connect() as connection:
        return len(connection.execute(sa.text(
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()")).all())


class Statements:
    """The SQL statements that reach the database once `armed`."""

    def __init__(self):
        self.armed = False
        self.seen: list[str] = []

    def __call__(self, _conn, _cursor, statement, *_args):
        if self.armed:
            self.seen.append(statement)


@pytest.fixture
def broken_home(pg_app):
    """Replace the home page's view with one that reads the signed-in user (as most pages do), then loses its
    connection (terminated from outside) and queries again; yields the statements sent after the connection died."""
    original = pg_app.view_functions["main.home"]
    statements = Statements()

    def home():
        from flask_login import current_user

        _ = current_user.is_authenticated and current_user.display_name
        pid = db.session.execute(sa.text("SELECT pg_backend_pid()")).scalar()
        _terminate(pg_app, pid)
        statements.armed = True
        db.session.execute(sa.text("SELECT count(*) FROM users"))  # fails: the server closed the connection
        raise AssertionError("the query on a terminated connection should have failed")

    with pg_app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", statements)
    pg_app.view_functions["main.home"] = home
    statements.restore = lambda: pg_app.view_functions.__setitem__("main.home", original)
    yield statements
    pg_app.view_functions["main.home"] = original
    with pg_app.app_context():
        sa.event.remove(db.engine, "before_cursor_execute", statements)


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_a_connection_killed_mid_request_gives_a_clean_500_and_the_app_recovers(pg_app, broken_home, caplog, signed_in):
    client = pg_app.test_client()
    client.get("/language/en")
    if signed_in:
        _make_user(pg_app, is_admin=True)  # an administrator's navigation reads counts: none may be read now
        assert client.post("/account/login", data={"email": "anna@example.lv", "password": PASSWORD}).status_code == 302
    with caplog.at_level(logging.WARNING):
        response = client.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert f'<h1 class="govuk-heading-l">{SORRY}</h1>' in page and "</html>" in page
    assert response.headers["Cache-Control"] == "no-store"
    # the failing query was the last statement: the error page read nothing (no user, no counts, no fragments)
    assert broken_home.seen == ["SELECT count(*) FROM users"]
    # the error itself is logged once, and nothing failed while handling it
    assert "Exception on / [GET]" in caplog.text
    for message in ("PendingRollbackError", "while handling an error", "Request finalizing failed"):
        assert message not in caplog.text

    broken_home.armed = False
    broken_home.restore()
    again = client.get("/")
    assert again.status_code == 200
    if signed_in:
        assert client.get("/account/profile").status_code == 200  # still signed in: the session was not lost


def test_after_every_connection_is_dropped_the_next_requests_are_served(pg_app):
    """A restart of PostgreSQL between requests: the pool's connections are all dead, the checkout replaces them."""
    _make_user(pg_app)
    client = pg_app.test_client()
    assert client.post("/account/login", data={"email": "anna@example.lv", "password": PASSWORD}).status_code == 302
    assert client.get("/institutions/").status_code == 200
    assert _terminate_all(pg_app) >= 1
    for path in ("/", "/institutions/", "/account/profile", "/consultations/"):
        assert client.get(path).status_code == 200, path


def test_with_its_own_engine_options_a_configuration_still_replaces_dropped_connections(pg_app):
    """The check is on every pool (participation/liveness.py), not an engine option a configuration could drop."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=pg_app.config["SQLALCHEMY_DATABASE_URI"],
                     SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 5})
    client = app.test_client()
    try:
        assert client.get("/institutions/").status_code == 200
        assert _terminate_all(pg_app) >= 1
        for path in ("/", "/institutions/", "/consultations/"):
            assert client.get(path).status_code == 200, path
    finally:
        with app.app_context():
            db.engine.dispose()


def test_a_connection_in_use_is_taken_without_a_round_trip_and_a_dropped_one_is_asked(pg_app, monkeypatch):
    from participation import liveness

    pings = []
    real_ping = liveness.ping
    monkeypatch.setattr(liveness, "ping", lambda connection: pings.append(1) or real_ping(connection))
    client = pg_app.test_client()
    for _ in range(5):
        assert client.get("/institutions/").status_code == 200
    assert pings == []  # nothing came from the server between requests: no SELECT 1
    assert _terminate_all(pg_app) >= 1
    assert client.get("/institutions/").status_code == 200
    assert pings  # the server's termination made the socket readable: asked, failed, replaced


def test_a_connection_idle_for_long_is_asked_before_use(pg_app, monkeypatch):
    """A dead connection may show nothing until a packet is sent (a NAT that forgot it, an address taken over by a
    new primary): one idle longer than IDLE_SECONDS is asked, one just returned is not."""
    import psycopg

    from participation import liveness

    pings = []
    real_ping = liveness.ping
    monkeypatch.setattr(liveness, "ping", lambda connection: pings.append(1) or real_ping(connection))
    url = sa.engine.make_url(pg_app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False)) as connection:
        assert liveness.alive(connection, idle_seconds=1.0) and pings == []
        assert liveness.alive(connection, idle_seconds=liveness.IDLE_SECONDS + 1) and pings == [1]
    monkeypatch.setattr(liveness, "IDLE_SECONDS", 0.0)  # every connection counts as idle for long: asked each time
    client = pg_app.test_client()
    assert client.get("/institutions/").status_code == 200
    assert client.get("/institutions/").status_code == 200
    assert len(pings) >= 2


def test_a_ping_raises_what_is_not_a_lost_connection(pg_app):
    """A bug (here: a connection left in a transaction) must not pass for a dropped connection."""
    import psycopg

    from participation import liveness

    url = sa.engine.make_url(pg_app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False)) as connection:
        connection.execute("SELECT 1")  # a transaction is open
        with pytest.raises(psycopg.ProgrammingError):
            liveness.ping(connection)


def test_alive_tells_a_terminated_connection_from_one_with_a_harmless_message(pg_app):
    import psycopg

    from participation import liveness

    url = sa.engine.make_url(pg_app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    listening = psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)
    other = psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)
    try:
        assert liveness.alive(listening)
        listening.execute("LISTEN lidzdaliba_test")
        other.execute("NOTIFY lidzdaliba_test, 'hello'")
        deadline = time.time() + 5
        while not liveness._has_input(listening.pgconn.socket) and time.time() < deadline:
            time.sleep(0.01)
        assert liveness._has_input(listening.pgconn.socket)  # a message is waiting …
        assert liveness.alive(listening)  # … a harmless one: the round trip answers
        _terminate(pg_app, listening.info.backend_pid)
        deadline = time.time() + 5
        while not liveness._has_input(listening.pgconn.socket) and time.time() < deadline:
            time.sleep(0.01)
        assert not liveness.alive(listening)
        in_transactions = psycopg.connect(url.render_as_string(hide_password=False))
        assert liveness.ping(in_transactions)
        assert in_transactions.autocommit is False  # as it was, and no transaction left open by the ping
        assert in_transactions.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        in_transactions.close()
    finally:
        listening.close()
        other.close()


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_under_gunicorn_connections_dropped_under_load_never_fail_the_error_page(pg_app, tmp_path):
    """The production configuration under gunicorn (2 workers, 4 threads), pages read by 8 clients while every
    connection to the database is terminated again and again: each request is served or gets the 500 page, gunicorn
    never logs "Error handling request" (an error page that failed), and afterwards every page is served again."""
    import subprocess
    import sys
    import threading
    import urllib.error
    import urllib.request
    from pathlib import Path

    url = pg_app.config["SQLALCHEMY_DATABASE_URI"]
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    env = dict(__import__("os").environ, FLASK_CONFIG="production", SECRET_KEY="a-secret-for-this-test-only",
               PUBLIC_BASE_URL="https://lidzdaliba.example.lv", DATABASE_URL=url, LOG_FORMAT="text",
               REDIS_URL="memory://", RATELIMIT_STORAGE_URI="memory://")
    root = Path(__file__).resolve().parents[1]
    with open(log, "wb") as output:
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                                   "--threads", "4", "--log-level", "warning", "wsgi:app"],
                                  cwd=root, env=env, stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"

    def get(path: str) -> int:
        try:
            with urllib.request.urlopen(base + path, timeout=20) as response:
                return response.status
        except urllib.error.HTTPError as error:
            body = error.read().decode(errors="replace")
            return error.code if error.code != 500 or SORRY_LV in body or SORRY in body else -500

    try:
        for _ in range(150):
            try:
                if get("/healthz") in (200, 503):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not start:\n" + log.read_text(errors="replace"))
        statuses: list[int] = []
        stop = threading.Event()

        def reader():
            while not stop.is_set():
                for path in ("/institutions/", "/consultations/", "/proposals/", "/"):
                    try:
                        statuses.append(get(path))
                    except OSError as error:  # a connection reset by the server would be a failure too
                        statuses.append(-1)
                        print(error)

        readers = [threading.Thread(target=reader) for _ in range(8)]
        for thread in readers:
            thread.start()
        dropped = 0
        for _ in range(25):
            time.sleep(0.1)
            dropped += _terminate_all(pg_app)
        stop.set()
        for thread in readers:
            thread.join(timeout=60)
        assert dropped >= 10 and len(statuses) >= 50, (dropped, len(statuses))
        assert set(statuses) <= {200, 500}, sorted(set(statuses))  # served, or the friendly 500 page: nothing else
        for path in ("/institutions/", "/consultations/", "/proposals/", "/"):
            assert get(path) == 200, path
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = log.read_text(errors="replace")
    assert "Error handling request" not in text and "PendingRollbackError" not in text, text[-3000:]
