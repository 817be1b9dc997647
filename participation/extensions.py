"""Every Flask extension is created once, here, and bound to the app in create_app()."""
from flask import session
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
import sqlite3

from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# One naming convention so Alembic names constraints the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# A connection the database dropped (a restart, a failover) is replaced before a request uses it: participation/
# liveness.py checks every PostgreSQL connection taken from any pool, whatever SQLALCHEMY_ENGINE_OPTIONS says.
db = SQLAlchemy(model_class=Base)
from participation import liveness  # noqa: E402,F401  (registers the pools' checkout check)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)


def select_locale() -> str:
    """Language: the switcher's choice, then the user's profile, then Latvian."""
    from flask import current_app, has_request_context

    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


babel = Babel()


def enum_type(enum_class, length: int = 20):
    """Store a StrEnum by its value as a plain VARCHAR (portable across SQLite and PostgreSQL)."""
    from sqlalchemy import Enum

    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
    )


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, connection_record):
    """SQLite: enforce foreign keys, and let SQLAlchemy run transactions so savepoints work."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        # Every transaction takes the write lock at BEGIN (below), so a second one waits: for up to 30 s, not the
        # driver's 5 (the job consumer's e-mail round holds it while the mail server answers).
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()


@event.listens_for(Engine, "connect")
def _psycopg_on_connect(dbapi_connection, connection_record):
    """PostgreSQL: cursors that describe their columns only when asked (participation/pgcursor.py)."""
    from participation import pgcursor

    pgcursor.use_for(dbapi_connection)


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(connection):
    """SQLite: take the write lock at BEGIN. A deferred transaction that read and then writes while another process
    commits would deadlock, and SQLite fails it at once ("database is locked") instead of waiting; begun IMMEDIATE,
    the second writer waits (up to the driver's busy timeout) for the first (tests/test_sqlite_writers.py)."""
    if connection.dialect.name == "sqlite":
        # A connection that only reads may say so (`execution_options(sqlite_reads_only=True)`, e.g. /readyz): it
        # begins deferred and does not wait behind a writer.
        deferred = connection.get_execution_options().get("sqlite_reads_only")
        connection.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")
