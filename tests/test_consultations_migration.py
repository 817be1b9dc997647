"""Migration 0011 on a database with data: relative links in cases.item_url, the hidden counters filled from the rows,
and a way back down."""
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from participation.extensions import db


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """An empty database of either kind (PostgreSQL takes the batched, set-based path of the migration)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'links.sqlite'}"
        return
    from tests.conftest import _fresh_postgres_database, need_postgres

    need_postgres()
    url, drop = _fresh_postgres_database()
    yield url
    drop()


def test_absolute_case_links_become_relative_and_hidden_comments_are_counted(database_url, fixed_now):
    from participation import create_app
    from participation.accounts.models import User
    from participation.consultations import services as consultations
    from participation.institutions.models import Institution, InstitutionKind, Membership, StaffRole
    from participation.moderation import services as moderation
    from participation.moderation.models import HideReason
    from tests.factories import DRAFT, FIELDS

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        upgrade()
        institution = Institution(slug="saites", name="Saišu pašvaldība", kind=InstitutionKind.MUNICIPALITY)
        staff = User(email="r@example.lv", display_name="R", email_verified_at=datetime(2026, 1, 1))
        resident = User(email="i@example.lv", display_name="I", email_verified_at=datetime(2026, 1, 1))
        moderator = User(email="m@example.lv", display_name="M", is_moderator=True)
        for user in (staff, resident, moderator):
            user.set_password("parole-parole-2026")
        db.session.add_all([institution, staff, resident, moderator])
        db.session.flush()
        db.session.add(Membership(user_id=staff.id, institution_id=institution.id, role=StaffRole.EDITOR))
        db.session.commit()
        fixed_now(datetime(2026, 3, 10, 7, 0))
        consultation = consultations.save_draft(institution, staff, FIELDS, DRAFT)
        consultations.publish(consultation, datetime(2026, 3, 10, 9, 0), date(2026, 4, 9))
        fixed_now(datetime(2026, 3, 20, 10, 0))
        section = consultation.versions[0].sections[1]
        kept = consultations.add_comment(consultation, resident, "Paliek.", section)
        hidden = consultations.add_comment(consultation, resident, "Slēpts.", section)
        moderation.hide(hidden, moderator, HideReason.ABUSE)
        fixed_now(datetime(2026, 4, 10, 8, 0))
        consultations.process_closed(consultation)
        ids = (kept.case_id, hidden.case_id, consultation.id, section.id)
        db.session.remove()

        downgrade(revision="0010")
        with db.engine.begin() as connection:  # what earlier versions stored: absolute links
            connection.execute(sa.text("UPDATE cases SET item_url = 'https://lidzdaliba.example.lv/consultations/1#comment-' || id"))
            connection.execute(sa.text("UPDATE cases SET item_url = 'http://127.0.0.1:5000/proposals/7?x=1' WHERE id = :id"),
                               {"id": ids[1]})
        upgrade()
        with db.engine.connect() as connection:
            urls = dict(connection.execute(sa.text("SELECT id, item_url FROM cases")).all())
            counters = connection.execute(sa.text("SELECT comment_count, hidden_count FROM consultations WHERE id = :id"),
                                          {"id": ids[2]}).one()
            on_section = connection.execute(sa.text("SELECT comment_count, hidden_count FROM sections WHERE id = :id"),
                                            {"id": ids[3]}).one()
        db.session.remove()
        db.engine.dispose()
    assert urls[ids[0]] == f"/consultations/1#comment-{ids[0]}"
    assert urls[ids[1]] == "/proposals/7?x=1"
    assert tuple(counters) == (2, 1) and tuple(on_section) == (2, 1)
