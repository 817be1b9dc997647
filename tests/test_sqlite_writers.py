"""Two processes writing one SQLite file (the embedded default: `make run` with its job consumer) wait for each
other instead of failing with "database is locked" (participation/extensions.py begins SQLite transactions
IMMEDIATE).

With SQLite's default deferred BEGIN, a transaction that has read holds a shared lock; when another connection is
committing (it holds the pending lock and waits for the readers to go), the reader's first write would deadlock, so
SQLite fails it at once, without waiting: the request that wrote after reading got a 500."""
import threading
import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

import participation.extensions  # noqa: F401  (its engine listeners)


def test_a_writer_that_read_first_waits_for_the_other_writer_instead_of_failing(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'shared.sqlite'}")
    with engine.begin() as setup:
        setup.exec_driver_sql("CREATE TABLE note (body TEXT)")
        setup.exec_driver_sql("INSERT INTO note VALUES ('first')")

    errors = []
    other_began = threading.Event()

    def other_writer():
        try:
            with engine.connect() as other:
                with other.begin():
                    other_began.set()
                    other.execute(text("INSERT INTO note VALUES ('from the consumer')"))
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(error)

    with engine.connect() as request:
        with request.begin():
            assert request.scalar(text("SELECT count(*) FROM note")) == 1  # read first, as a request does
            thread = threading.Thread(target=other_writer)
            thread.start()
            time.sleep(0.5)  # the other writer is now waiting for this transaction (or, deferred, committing)
            request.execute(text("INSERT INTO note VALUES ('from the request')"))
        thread.join(timeout=30)

    assert errors == []
    assert other_began.is_set()
    with engine.connect() as check:
        assert sorted(check.scalars(text("SELECT body FROM note"))) == ["first", "from the consumer", "from the request"]
    engine.dispose()


def test_a_connection_that_only_reads_does_not_wait_for_a_writer(tmp_path):
    """/readyz reads the migrations' version while a request may be writing: it begins deferred
    (`sqlite_reads_only`) and answers at once, where a write transaction would wait for the writer."""
    engine = create_engine(f"sqlite:///{tmp_path / 'shared.sqlite'}")
    with engine.begin() as setup:
        setup.exec_driver_sql("CREATE TABLE note (body TEXT)")
        setup.exec_driver_sql("INSERT INTO note VALUES ('first')")
    with engine.connect() as writer, writer.begin():
        writer.execute(text("INSERT INTO note VALUES ('not yet committed')"))
        with engine.connect().execution_options(sqlite_reads_only=True) as reader:
            assert reader.scalar(text("SELECT count(*) FROM note")) == 1
        with engine.connect() as other:
            other.connection.driver_connection.execute("PRAGMA busy_timeout=200")  # wait 0.2 s here, not 30
            with pytest.raises(OperationalError):  # any other transaction waits for the writer, and gives up here
                other.scalar(text("SELECT count(*) FROM note"))
    engine.dispose()
