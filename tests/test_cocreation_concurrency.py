"""Supports of an idea and endorsements of an amendment stay exact under concurrent requests: 50 parallel requests
from one account leave one row and a counter of one (issue 16). PostgreSQL, in a database of its own, so that real
commits meet each other."""
import threading
from datetime import timedelta

from sqlalchemy import func, select

from participation.accounts.models import User
from participation.clock import riga_today
from participation.cocreation import services
from participation.cocreation.models import Amendment, AmendmentKind, Endorsement, Idea, IdeaSupport
from participation.extensions import db
from participation.institutions.models import Institution, InstitutionKind, Membership, StaffRole
from tests.factories import PASSWORD


def _setup(app):
    with app.app_context():
        institution = Institution(slug="koprade", name="Kopradas pašvaldība", kind=InstitutionKind.MUNICIPALITY)
        staff = User(email="staff@example.lv", display_name="Darbiniece", email_verified_at=db.func.now())
        author = User(email="autors@example.lv", display_name="Autors", email_verified_at=db.func.now())
        reader = User(email="lasitajs@example.lv", display_name="Lasītājs", email_verified_at=db.func.now())
        for user in (staff, author, reader):
            user.set_password(PASSWORD)
        db.session.add_all([institution, staff, author, reader])
        db.session.flush()
        db.session.add(Membership(user_id=staff.id, institution_id=institution.id, role=StaffRole.EDITOR))
        db.session.commit()
        today = riga_today()
        dates = (today + timedelta(days=5), today + timedelta(days=30), today + timedelta(days=60))
        ideas = services.create_process(institution, staff, "Idejas", "Problēma.", *dates)
        idea = services.post_idea(ideas, author, "Ideja", "Teksts.")
        drafting = services.create_process(institution, staff, "Projekts", "Problēma.", *dates)
        services.publish_draft(drafting, staff, "1. Pirmais punkts.\n2. Otrais punkts.")
        lineage = services.clauses_of(services.current_version(drafting.id).id)[0].lineage
        amendment = services.propose_amendment(drafting, lineage, author, AmendmentKind.DELETE, "", "Lieks.")
        ids = ideas.id, idea.id, drafting.id, amendment.id
        db.session.remove()
        return ids


def _fifty(app, url):
    login = app.test_client()
    assert login.post("/account/login", data={"email": "lasitajs@example.lv", "password": PASSWORD}).status_code == 302
    cookie = login.get_cookie("session").value
    statuses, barrier = [], threading.Barrier(50)

    def one_request():
        client = app.test_client()
        client.set_cookie("session", cookie)
        barrier.wait()
        statuses.append(client.post(url).status_code)

    threads = [threading.Thread(target=one_request) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_fifty_parallel_supports_and_endorsements_from_one_account_leave_one_row(committed_app):
    ideas_id, idea_id, drafting_id, amendment_id = _setup(committed_app)
    assert _fifty(committed_app, f"/cocreation/{ideas_id}/ideas/{idea_id}/support") == [302] * 50
    assert _fifty(committed_app, f"/cocreation/{drafting_id}/amendments/{amendment_id}/endorse") == [302] * 50
    with committed_app.app_context():
        assert db.session.scalar(select(func.count(IdeaSupport.id)).where(IdeaSupport.idea_id == idea_id)) == 1
        assert db.session.get(Idea, idea_id).support_count == 1
        assert db.session.scalar(select(func.count(Endorsement.id)).where(Endorsement.amendment_id == amendment_id)) == 1
        assert db.session.get(Amendment, amendment_id).endorsement_count == 1
        db.session.remove()
