"""`flask backup` and `flask restore`: the demo, dumped and restored into a fresh, empty database, comes back whole —
every row of every table, the response log's entries in the same order, and the uploaded files."""
from flask_migrate import upgrade
from sqlalchemy import func, select

from participation import create_app
from participation.cases.models import Response
from participation.demo import seed_demo
from participation.extensions import db
from tests.conftest import _fresh_postgres_database, need_postgres


def _snapshot(app) -> dict:
    with app.app_context():
        counts = {table.name: db.session.scalar(select(func.count()).select_from(table)) for table in db.metadata.sorted_tables}
        log = db.session.execute(select(Response.id, Response.text).order_by(Response.created_at, Response.id)).all()
        db.session.remove()
    return {"counts": counts, "log": [tuple(row) for row in log]}


def _app(url, uploads):
    return create_app("testing", SQLALCHEMY_DATABASE_URI=url, UPLOAD_FOLDER=str(uploads))


def _round_trip(source_url, target_url, tmp_path):
    source = _app(source_url, tmp_path / "uploads-before")
    with source.app_context():
        upgrade()
        seed_demo()
        db.session.remove()
    (tmp_path / "uploads-before" / "ab").mkdir(parents=True, exist_ok=True)
    (tmp_path / "uploads-before" / "ab" / "abc123.pdf").write_bytes(b"%PDF-1.4 the draft's annex")
    before = _snapshot(source)
    assert before["counts"]["responses"] > 0 and before["counts"]["comments"] > 0

    result = source.test_cli_runner().invoke(args=["backup", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output

    target = _app(target_url, tmp_path / "uploads-after")
    result = target.test_cli_runner().invoke(args=["restore", "--yes", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    after = _snapshot(target)
    assert after["counts"] == before["counts"]
    assert after["log"] == before["log"]
    assert (tmp_path / "uploads-after" / "ab" / "abc123.pdf").read_bytes() == b"%PDF-1.4 the draft's annex"
    for app in (source, target):
        with app.app_context():
            db.engine.dispose()


def test_postgresql_backup_restores_into_a_fresh_database(tmp_path):
    need_postgres()
    source_url, drop_source = _fresh_postgres_database()
    target_url, drop_target = _fresh_postgres_database()  # empty: no tables until the restore
    try:
        _round_trip(source_url, target_url, tmp_path)
    finally:
        drop_source()
        drop_target()


def test_sqlite_backup_restores_into_a_fresh_file(tmp_path):
    _round_trip(f"sqlite:///{tmp_path / 'source.sqlite'}", f"sqlite:///{tmp_path / 'target.sqlite'}", tmp_path)


def test_restore_asks_before_replacing_everything(tmp_path):
    app = _app(f"sqlite:///{tmp_path / 'x.sqlite'}", tmp_path / "uploads")
    (tmp_path / "backup").mkdir()
    result = app.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")], input="n\n")
    assert result.exit_code != 0 and "Aborted" in result.output
