"""Fixtures: the app on SQLite and on PostgreSQL, a rolled-back database per test, a client, factories,
and a query counter. In CI (LIDZDALIBA_REQUIRE_POSTGRES=1) a missing PostgreSQL is a failure."""
import os
import uuid
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
import sqlalchemy.orm
from flask import g
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import _app_ctx_id

from participation import create_app
from participation.extensions import db

pytest_plugins = ["tests.factories"]

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REQUIRE_POSTGRES = os.environ.get("LIDZDALIBA_REQUIRE_POSTGRES") == "1"


def postgres_available() -> bool:
    try:
        engine = sa.create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


def need_postgres() -> None:
    """For a test that needs PostgreSQL: skipped where none answers, a failure where it is required (CI)."""
    if not postgres_available():
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL is required here but does not answer at {POSTGRES_URL}")
        pytest.skip("PostgreSQL is not running (required in CI)")


def _fresh_postgres_database() -> tuple[str, callable]:
    """A database of this run's own (so parallel runs never meet), dropped afterwards.
    Where the account may not create databases, the given one's public schema is rebuilt instead."""
    server = sa.engine.make_url(POSTGRES_URL)
    name = f"lidzdaliba_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.DBAPIError:
        with admin.connect() as connection:
            connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
        admin.dispose()
        return str(server.render_as_string(hide_password=False)), lambda: None

    def drop():
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    return server.set(database=name).render_as_string(hide_password=False), drop


class FreshRequestClient(FlaskClient):
    """Each request starts with an empty `g` (as in production) and the test then reads fresh data."""

    def open(self, *args, **kwargs):
        for key in list(vars(g._get_current_object())):
            delattr(g, key)
        try:
            return super().open(*args, **kwargs)
        finally:
            db.session.rollback()


def _make_app(backend: str, tmp_path_factory):
    if backend == "postgresql":
        need_postgres()
        url, cleanup = _fresh_postgres_database()
    else:
        url, cleanup = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}", (lambda: None)
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    app.test_client_class = FreshRequestClient
    with app.app_context():
        upgrade()
    app.config["DB_BACKEND"] = backend
    app.config["TEST_DATABASE_CLEANUP"] = cleanup
    return app


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def app(request, tmp_path_factory):
    app = _make_app(request.param, tmp_path_factory)
    yield app
    with app.app_context():
        db.engine.dispose()
    app.config["TEST_DATABASE_CLEANUP"]()


@pytest.fixture(scope="session")
def sqlite_app(tmp_path_factory):
    """For tests where the database does not matter (rendering, calendars, forms)."""
    app = _make_app("sqlite", tmp_path_factory)
    yield app


@contextmanager
def _rolled_back(app):
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        original = db.session
        # A plain Session bound to the connection (Flask-SQLAlchemy's own Session would pick the engine and
        # escape the outer transaction); commits inside the test release savepoints only.
        factory = sa.orm.sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
        db.session = sa.orm.scoped_session(factory, scopefunc=_app_ctx_id)
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            transaction.rollback()
            connection.close()


@pytest.fixture
def session(app):
    """A database session whose every change is rolled back after the test."""
    with _rolled_back(app) as s:
        yield s


@pytest.fixture
def client(app, session):
    return app.test_client()


@pytest.fixture
def login(client):
    """Log a user in through the real login form."""

    def _login(user, password="correct horse battery"):
        response = client.post("/account/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.data
        return user

    return _login


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app, session):
    """`with count_queries() as counter:` counts the SQL statements run inside the block."""

    @contextmanager
    def _count():
        counter = QueryCounter()
        engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            sa.event.remove(engine, "before_cursor_execute", counter)

    return _count


@pytest.fixture
def fixed_now():
    """`fixed_now(datetime(2026, 11, 20, 10))` stops the clock (naive UTC) for the rest of the test."""
    from participation import clock

    yield clock.set_fixed_now
    clock.set_fixed_now(None)


@pytest.fixture
def committed_app():
    """An app on a PostgreSQL database of its own, for tests whose threads must see each other's commits."""
    need_postgres()
    url, drop = _fresh_postgres_database()
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 20, "max_overflow": 40})
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    drop()


@pytest.fixture
def rate_limited_app(tmp_path):
    """rate_limited_app(**config): an app of its own (SQLite) with rate limits on, fresh counters in memory, and the
    given limits. The one Limiter is shared by every app in the process: it is turned back as it was afterwards."""
    from participation.extensions import limiter

    enabled = limiter.enabled
    apps = []

    def _make(**config):
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / f'limited{len(apps)}.sqlite'}",
                         RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://", RATELIMIT_KEY_PREFIX="test-lidzdaliba",
                         **config)
        with app.app_context():
            upgrade()
            limiter.init_app(app)
            limiter.reset()
        apps.append(app)
        return app

    yield _make
    limiter.enabled = enabled
    for app in apps:
        with app.app_context():
            db.engine.dispose()
