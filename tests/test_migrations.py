"""The migrations build the whole schema from empty, and match the models exactly."""
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from participation.extensions import db
from participation.ops.schema_changes import reflectable_on_sqlite
from participation.search.models import not_full_text_table


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_upgrade_from_empty_matches_the_models(app):
    """The session fixture already upgraded this database from empty; autogenerate finds no difference."""
    with app.app_context():
        with db.engine.connect() as connection:
            opts = {"compare_type": True, "include_name": not_full_text_table}
            if connection.dialect.name == "sqlite":  # it cannot reflect an index on an expression
                opts["include_object"] = reflectable_on_sqlite
            context = MigrationContext.configure(connection, opts=opts)
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


def test_postgresql_knows_a_section_decides_the_consultation(committed_app):
    """Migration 0010 (PostgreSQL only: SQLite has no extended statistics): without them the planner expects a handful
    of a section's comments and joins them all before sorting (the benchmark's section page); the plan itself needs
    national-scale data to show."""
    with committed_app.app_context():
        with db.engine.connect() as connection:
            kinds = connection.execute(sa.text(
                "SELECT stxkind FROM pg_statistic_ext WHERE stxname = 'st_comments_section_consultation'")).scalar()
    assert kinds is not None and "f" in kinds  # f: functional dependencies


def test_the_waiting_counter_is_filled_from_the_rows_already_there(tmp_path, fixed_now):
    """Migration 0009 on a database with a closed consultation: its counter equals what the services kept."""
    from datetime import date, datetime

    from participation import create_app
    from participation.accounts.models import User
    from participation.cases import services as cases
    from participation.cases.models import Position
    from participation.consultations import services as consultations
    from participation.consultations.models import Consultation
    from participation.institutions.models import Institution, InstitutionKind, Membership, StaffRole
    from tests.factories import DRAFT, FIELDS

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'w.sqlite'}")
    with app.app_context():
        upgrade()
        institution = Institution(slug="skaititajs", name="Skaitītāja pašvaldība", kind=InstitutionKind.MUNICIPALITY)
        staff, resident = User(email="r@example.lv", display_name="R"), User(email="i@example.lv", display_name="I")
        for user in (staff, resident):
            user.set_password("parole-parole-2026")
        db.session.add_all([institution, staff, resident])
        db.session.flush()
        db.session.add(Membership(user_id=staff.id, institution_id=institution.id, role=StaffRole.EDITOR))
        db.session.commit()
        fixed_now(datetime(2026, 3, 10, 7, 0))
        consultation = consultations.save_draft(institution, staff, FIELDS, DRAFT)
        consultations.publish(consultation, datetime(2026, 3, 10, 9, 0), date(2026, 4, 9))
        fixed_now(datetime(2026, 3, 20, 10, 0))
        answered, not_examined, waiting = (consultations.add_comment(consultation, resident, t) for t in "ABC")
        consultations.add_comment(consultation, resident, "Atbilde.", parent=waiting)
        fixed_now(datetime(2026, 4, 10, 8, 0))
        consultations.process_closed(consultation)
        cases.answer_case(answered.case, staff, Position.NOTED, "Ņemts vērā.")
        cases.mark_not_examined(not_examined.case, staff, "Nav iesniegums.")
        kept = db.session.get(Consultation, consultation.id).positions_waiting
        db.session.remove()  # the migration's connection writes next

        downgrade(revision="0008")
        upgrade()
        filled = db.session.execute(sa.text("SELECT positions_waiting FROM consultations")).scalar()
        db.session.remove()
        db.engine.dispose()
    assert kept == filled == 1
