"""A request that only read ends with COMMIT (psycopg keeps its prepared statements); one that wrote and did not
commit is still rolled back (participation/transactions.py)."""
from sqlalchemy import event, select, text, update

from participation import transactions
from participation.accounts.models import User
from participation.extensions import db


def _ended(app, work) -> list[str]:
    """Run `work` in an app context of its own (as a request does) and say how its transaction ended. The suite's
    database is one connection in one long transaction, where a request would start a transaction of its own: what
    the factories wrote before is forgotten first, as a commit would forget it."""
    db.session.connection().info.pop(transactions.WROTE, None)
    ended = []
    with app.app_context():
        session = db.session()
        event.listen(session, "after_commit", lambda s: ended.append("commit"))
        event.listen(session, "after_rollback", lambda s: ended.append("rollback"))
        work()
    return ended


def test_reading_commits_and_writing_without_a_commit_rolls_back(app, session, make_user):
    user = make_user("Ilze Ozola")

    assert _ended(app, lambda: db.session.get(User, user.id)) == ["commit"]
    assert _ended(app, lambda: db.session.scalars(select(User)).all()) == ["commit"]

    def flushed():
        db.session.get(User, user.id).display_name = "Pa pusei saglabāts"
        db.session.flush()

    def executed():
        db.session.execute(update(User).where(User.id == user.id).values(display_name="Pa pusei saglabāts"))

    def changed_only():
        db.session.get(User, user.id).display_name = "Pa pusei saglabāts"

    def raw():
        db.session.execute(text("SELECT 1"))

    def on_the_connection():
        db.session.connection().execute(update(User).where(User.id == user.id).values(display_name="Pa pusei saglabāts"))

    def driver_sql():
        db.session.connection().exec_driver_sql(f"UPDATE users SET display_name = 'Pa pusei saglabāts' WHERE id = {user.id}")

    def bulk():
        db.session.bulk_update_mappings(User, [{"id": user.id, "display_name": "Pa pusei saglabāts"}])

    for work in (flushed, executed, changed_only, raw, on_the_connection, driver_sql, bulk):
        assert "commit" not in _ended(app, work), work.__name__
    db.session.expire_all()
    assert db.session.get(User, user.id).display_name == "Ilze Ozola"


def test_a_view_that_fails_is_never_committed(app, session, make_user):
    user = make_user("Ilze Ozola")
    ended = []
    try:
        with app.app_context():
            event.listen(db.session(), "after_commit", lambda s: ended.append("commit"))
            db.session.get(User, user.id)
            raise RuntimeError("the view failed")
    except RuntimeError:
        pass
    assert ended == []


def test_a_commit_or_rollback_clears_the_marks_for_the_next_transaction(tmp_path):
    """With real commits (an app and database of its own: the suite's other tests run inside one transaction)."""
    from datetime import datetime

    from flask_migrate import upgrade

    from participation import create_app

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'marks.sqlite'}")
    try:
        with app.app_context():
            upgrade()
            user = User(email="ilze@example.lv", display_name="Ilze Ozola", email_verified_at=datetime(2026, 1, 1))
            user.set_password("x" * 12)
            db.session.add(user)
            assert not transactions.read_only(db.session())
            db.session.commit()
            assert transactions.read_only(db.session())
            db.session.get(User, user.id)
            assert transactions.read_only(db.session())
            db.session.connection().execute(update(User).where(User.id == user.id).values(display_name="Ilze Kalniņa"))
            assert not transactions.read_only(db.session())
            db.session.rollback()
            db.session.get(User, user.id)
            assert transactions.read_only(db.session())
    finally:
        with app.app_context():
            db.engine.dispose()


def test_a_streamed_export_still_reads_its_objects_after_the_view_returned(tmp_path):
    """Here each request has an app context of its own, as in production (the suite's other tests share one)."""
    from datetime import datetime, timedelta

    from flask_migrate import upgrade

    from participation import clock, create_app
    from participation.cases.models import Position
    from participation.consultations import services as consultations
    from participation.institutions.models import Institution, InstitutionKind, Membership, StaffRole

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'stream.sqlite'}")
    try:
        with app.app_context():
            upgrade()
            clock.set_fixed_now(datetime(2026, 3, 10, 7, 0))
            institution = Institution(slug="iestade", name="Iestāde", kind=InstitutionKind.MUNICIPALITY)
            staff = User(email="darbinieks@example.lv", display_name="Darbinieks", email_verified_at=datetime(2026, 1, 1))
            resident = User(email="iedzivotajs@example.lv", display_name="Iedzīvotājs", email_verified_at=datetime(2026, 1, 1))
            staff.set_password("x" * 12)
            resident.set_password("x" * 12)
            db.session.add_all([institution, staff, resident])
            db.session.flush()
            for role in (StaffRole.EDITOR, StaffRole.RESPONDER):
                db.session.add(Membership(institution_id=institution.id, user_id=staff.id, role=role))
            db.session.commit()
            fields = {"title": "Noteikumi", "kind": "municipal_regulation", "policy_area": "governance", "territory": "Novads",
                      "official_name": "Ilze", "official_contact": "ilze@example.lv", "problem": "P.", "goal": "M.", "summary": "K."}
            consultation = consultations.save_draft(institution, staff, fields, "1. Soliņi.\n2. Parki.")
            consultations.publish(consultation, datetime(2026, 3, 10, 9, 0), datetime(2026, 4, 9).date())
            comment = consultations.add_comment(consultation, resident, "Vairāk soliņu pie skolas.")
            clock.set_fixed_now(consultation.closes_at + timedelta(days=1))
            consultations.process_closed(consultation)
            consultations.record_position(comment, staff, Position.ACCEPTED, "Būs.")
            consultation_id = consultation.id
        response = app.test_client().get(f"/consultations/{consultation_id}/summary.csv")
        assert response.status_code == 200 and "Vairāk soliņu pie skolas." in response.get_data(as_text=True)
    finally:
        clock.set_fixed_now(None)
        with app.app_context():
            db.engine.dispose()
