"""The PostgreSQL cursor whose description is built on first access (participation/pgcursor.py): it describes exactly
what psycopg's own cursor describes, keeps describing its own result after the next statement, and is the cursor the
app's connections use."""
import psycopg
import pytest
from sqlalchemy import select

from participation import pgcursor
from participation.extensions import db
from participation.proposals.models import Proposal
from tests.conftest import POSTGRES_URL, need_postgres

QUERY = "SELECT 1::int AS one, 'x'::varchar(7) AS word, 2.5::numeric(5, 2) AS amount, now() AS at, NULL::text"


@pytest.fixture
def connection():
    need_postgres()
    url = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url) as conn:
        yield conn


def _described(description):
    return [(c.name, c.type_code, c.display_size, c.internal_size, c.precision, c.scale, c.null_ok, tuple(c))
            for c in description]


def test_describes_what_psycopg_describes(connection):
    plain = connection.cursor()
    plain.execute(QUERY)
    lazy = pgcursor.Cursor(connection)
    lazy.execute(QUERY)
    assert isinstance(lazy.description, pgcursor.Description)
    assert len(lazy.description) == len(plain.description) == 5
    assert _described(lazy.description) == _described(plain.description)
    assert [c.name for c in lazy.description] == ["one", "word", "amount", "at", "text"]
    assert [tuple(c) for c in lazy.description] == [tuple(c) for c in plain.description]
    assert lazy.description[-1].name == "text" and [c.name for c in lazy.description[1:3]] == ["word", "amount"]


def test_a_description_keeps_describing_its_own_result(connection):
    cursor = pgcursor.Cursor(connection)
    cursor.execute("SELECT 1 AS first_column")
    before = cursor.description  # nothing read of it yet
    cursor.execute("SELECT 2 AS other, 3 AS another")
    assert [c.name for c in before] == ["first_column"]
    assert [c.name for c in cursor.description] == ["other", "another"]


def test_no_description_without_rows_and_an_empty_select_has_one(connection):
    cursor = pgcursor.Cursor(connection)
    cursor.execute("CREATE TEMPORARY TABLE t (a int)")
    assert cursor.description is None
    cursor.execute("INSERT INTO t VALUES (1)")
    assert cursor.description is None
    cursor.execute("SELECT a FROM t WHERE false")
    assert cursor.description is not None and [c.name for c in cursor.description] == ["a"]
    assert cursor.fetchall() == []
    cursor.execute("SELECT")  # tuples, no columns
    assert cursor.description is not None and len(cursor.description) == 0


def test_the_apps_connections_use_it(app, session, make_proposal):
    proposal = make_proposal(title="Soliņi parkā")
    session.flush()
    dbapi = db.session.connection().connection.dbapi_connection
    cursor = dbapi.cursor()
    assert isinstance(cursor, pgcursor.Cursor) == (app.config["DB_BACKEND"] == "postgresql")
    cursor.close()
    # The ORM reads through it as before: the same rows, twice (the second time from SQLAlchemy's cached metadata).
    for _ in range(2):
        assert db.session.scalars(select(Proposal.title).where(Proposal.id == proposal.id)).all() == ["Soliņi parkā"]


def test_columns_are_described_only_when_read(connection, monkeypatch):
    built = []
    real = pgcursor.Column
    monkeypatch.setattr(pgcursor, "Column", lambda result, index: built.append(index) or real(result, index))
    cursor = pgcursor.Cursor(connection)
    cursor.execute(QUERY)
    description = cursor.description
    assert description is not None and len(description) == 5 and built == []  # what SQLAlchemy asks: nothing built
    assert description[1].name == "word" and built == [0, 1, 2, 3, 4]
    assert [c.name for c in description][0] == "one" and built == [0, 1, 2, 3, 4]  # built once


def test_a_configured_cursor_class_is_left_alone(connection):
    pgcursor.use_for(connection)
    assert connection.cursor_factory is pgcursor.Cursor
    connection.cursor_factory = psycopg.ClientCursor
    pgcursor.use_for(connection)
    assert connection.cursor_factory is psycopg.ClientCursor
