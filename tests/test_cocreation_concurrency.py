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


def test_parallel_decisions_give_consecutive_versions_and_one_decision_each(committed_app):
    """The working group accepts ten amendments at once (and each one twice): every acceptance is one version, numbered
    without a gap, and an amendment is decided once; nobody gets an error page."""
    with committed_app.app_context():
        institution = Institution(slug="lemumi", name="Lēmumu pašvaldība", kind=InstitutionKind.MUNICIPALITY)
        staff = User(email="lemej@example.lv", display_name="Lēmēja", email_verified_at=db.func.now())
        author = User(email="ierosina@example.lv", display_name="Ierosinātājs", email_verified_at=db.func.now())
        for user in (staff, author):
            user.set_password(PASSWORD)
        db.session.add_all([institution, staff, author])
        db.session.flush()
        db.session.add(Membership(user_id=staff.id, institution_id=institution.id, role=StaffRole.EDITOR))
        db.session.commit()
        today = riga_today()
        process = services.create_process(institution, staff, "Projekts", "Problēma.", today + timedelta(days=5),
                                          today + timedelta(days=30), today + timedelta(days=60))
        services.publish_draft(process, staff, "\n".join(f"{n}. Punkts numur {n}." for n in range(1, 11)))
        clauses = services.clauses_of(services.current_version(process.id).id)
        amendment_ids = [services.propose_amendment(process, c.lineage, author, AmendmentKind.REPLACE, f"Jauns teksts {c.number}",
                                                    "Labāk.").id for c in clauses]
        process_id = process.id
        db.session.remove()
    login = committed_app.test_client()
    assert login.post("/account/login", data={"email": "lemej@example.lv", "password": PASSWORD}).status_code == 302
    cookie = login.get_cookie("session").value
    urls = [f"/cocreation/{process_id}/amendments/{a}/decide" for a in amendment_ids] * 2
    statuses, barrier = [], threading.Barrier(len(urls))

    def one_request(url):
        client = committed_app.test_client()
        client.set_cookie("session", cookie)
        barrier.wait()
        statuses.append(client.post(url, data={"position": "accepted", "text": "Pieņemts."}).status_code)

    threads = [threading.Thread(target=one_request, args=(url,)) for url in urls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(status in (302, 400) for status in statuses), statuses
    assert statuses.count(302) == len(amendment_ids)
    with committed_app.app_context():
        from participation.cases.models import Response
        from participation.cocreation.models import AmendmentState, RegulationVersion

        numbers = sorted(db.session.scalars(select(RegulationVersion.number).where(RegulationVersion.process_id == process_id)))
        assert numbers == list(range(1, len(amendment_ids) + 2))
        assert all(db.session.get(Amendment, a).state == AmendmentState.ACCEPTED for a in amendment_ids)
        answers = db.session.scalar(select(func.count(Response.id)).join(Amendment, Amendment.case_id == Response.case_id)
                                    .where(Amendment.id.in_(amendment_ids)))
        assert answers == len(amendment_ids)
        final = services.clauses_of(services.current_version(process_id).id)
        assert [c.text for c in final] == [f"Jauns teksts {n}." for n in range(1, 11)]
        db.session.remove()
