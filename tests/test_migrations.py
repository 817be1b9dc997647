"""The migrations build the whole schema from empty, and match the models exactly."""
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from participation.extensions import db


def test_upgrade_from_empty_matches_the_models(app):
    """The session fixture already upgraded this database from empty; autogenerate finds no difference."""
    with app.app_context():
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_deadline_rules_are_loaded_by_the_migration(app):
    with app.app_context():
        with db.engine.connect() as connection:
            codes = set(connection.execute(sa.text("SELECT code FROM deadline_rules")).scalars())
    assert {"submission_answer", "submission_forward", "consultation_window", "consultation_summary"} <= codes


def test_downgrade_and_upgrade_again(tmp_path):
    from participation import create_app

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'm.sqlite'}")
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert sa.inspect(db.engine).get_table_names() == ["alembic_version"]
        upgrade()
        assert "responses" in sa.inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_postgresql_knows_a_section_decides_the_consultation(app):
    """Migration 0010: without these statistics the planner expects a handful of a section's comments and joins them
    all before sorting (the benchmark's section page); the plan itself needs national-scale data to show."""
    import pytest

    if app.config["DB_BACKEND"] != "postgresql":
        pytest.skip("extended statistics exist only in PostgreSQL")
    with app.app_context():
        with db.engine.connect() as connection:
            kinds = connection.execute(sa.text(
                "SELECT stxkind FROM pg_statistic_ext WHERE stxname = 'st_comments_section_consultation'")).scalar()
    assert kinds is not None and "f" in kinds  # f: functional dependencies
