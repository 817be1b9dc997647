"""Supports stay exact under concurrent requests: 50 parallel supports from one account leave one row.
Runs on PostgreSQL (in CI always), in a database of its own so that real commits meet each other."""
import threading

from sqlalchemy import func, select

from participation.accounts.models import User
from participation.extensions import db
from participation.proposals import services
from participation.proposals.models import Support
from tests.factories import PASSWORD


def _setup(app):
    from participation.institutions.models import Institution, InstitutionKind

    with app.app_context():
        institution = Institution(slug="paralele", name="Paralēlā pašvaldība", kind=InstitutionKind.MUNICIPALITY)
        author = User(email="autors@example.lv", display_name="Autors", email_verified_at=db.func.now())
        supporter = User(email="atbalstitajs@example.lv", display_name="Atbalstītājs", email_verified_at=db.func.now())
        for user in (author, supporter):
            user.set_password(PASSWORD)
        db.session.add_all([institution, author, supporter])
        db.session.commit()
        proposal = services.save_draft(author, institution, None, {"title": "Vienreiz", "problem": "p", "solution": "s", "territory": "Rīga"})
        services.submit(proposal, author)
        ids = proposal.id, supporter.id
        db.session.remove()
        return ids


def test_fifty_parallel_supports_from_one_account_leave_one_row(committed_app):
    proposal_id, supporter_id = _setup(committed_app)
    login = committed_app.test_client()
    assert login.post("/account/login", data={"email": "atbalstitajs@example.lv", "password": PASSWORD}).status_code == 302
    cookie = login.get_cookie("session").value
    statuses, barrier = [], threading.Barrier(50)

    def one_request():
        client = committed_app.test_client()
        client.set_cookie("session", cookie)
        barrier.wait()
        statuses.append(client.post(f"/proposals/{proposal_id}/support").status_code)  # each request its own session

    threads = [threading.Thread(target=one_request) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * 50  # every request got an answer, none a 500
    with committed_app.app_context():
        rows = db.session.scalar(select(func.count(Support.id)).where(Support.proposal_id == proposal_id, Support.user_id == supporter_id))
        assert rows == 1
        assert services.support_count(proposal_id) == 1
        db.session.remove()


def _parallel(n, action):
    barrier = threading.Barrier(n)
    results = []

    def run(i):
        barrier.wait()
        results.append(action(i))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_the_threshold_is_reached_when_the_last_supports_arrive_together(committed_app):
    from participation.institutions.models import Institution

    proposal_id, _ = _setup(committed_app)
    with committed_app.app_context():
        institution = db.session.scalars(select(Institution)).one()
        services.save_settings(institution, premoderation=False, threshold=10, days=None)
        from participation.proposals.models import Proposal

        db.session.get(Proposal, proposal_id).support_threshold = 10
        people = [User(email=f"p{i}@example.lv", display_name=f"P {i}", email_verified_at=db.func.now()) for i in range(10)]
        for person in people:
            person.set_password(PASSWORD)
        db.session.add_all(people)
        db.session.commit()
        db.session.remove()
    cookies = []
    for i in range(10):
        client = committed_app.test_client()
        client.post("/account/login", data={"email": f"p{i}@example.lv", "password": PASSWORD})
        cookies.append(client.get_cookie("session").value)

    def support(i):
        client = committed_app.test_client()
        client.set_cookie("session", cookies[i])
        return client.post(f"/proposals/{proposal_id}/support").status_code

    assert _parallel(10, support) == [302] * 10
    with committed_app.app_context():
        from participation.proposals.models import Proposal

        proposal = db.session.get(Proposal, proposal_id)
        assert services.support_count(proposal_id) == 10 and proposal.case.collective_at is not None
        db.session.remove()


def test_concurrent_visits_to_a_closed_consultation_open_each_case_once(committed_app):
    from datetime import date, datetime

    from participation import clock
    from participation.cases.models import Case, Channel
    from participation.consultations import services as consultations
    from participation.consultations.models import Consultation
    from participation.institutions.models import Institution, InstitutionKind

    try:
        clock.set_fixed_now(datetime(2026, 3, 10, 7, 0))
        with committed_app.app_context():
            institution = Institution(slug="slegta", name="Slēgtā", kind=InstitutionKind.MUNICIPALITY)
            person = User(email="k@example.lv", display_name="K", email_verified_at=db.func.now(), password_hash="x")
            db.session.add_all([institution, person])
            db.session.commit()
            fields = {"title": "T", "kind": "other", "summary": "S", "official_name": "O", "official_contact": "o"}
            consultation = consultations.save_draft(institution, person, fields, "1. A\n2. B")
            consultations.publish(consultation, datetime(2026, 3, 10, 9, 0), date(2026, 4, 9))
            clock.set_fixed_now(datetime(2026, 3, 20, 10, 0))
            for n in range(5):
                consultations.add_comment(consultation, person, f"Komentārs {n}")
            consultation_id = consultation.id
            db.session.remove()
        clock.set_fixed_now(datetime(2026, 4, 10, 8, 0))
        statuses = _parallel(8, lambda i: committed_app.test_client().get(f"/consultations/{consultation_id}").status_code)
        assert statuses == [200] * 8
        with committed_app.app_context():
            assert db.session.scalar(select(func.count(Case.id)).where(Case.channel == Channel.CONSULTATION)) == 5
            assert db.session.get(Consultation, consultation_id).cases_opened_at is not None
            db.session.remove()
    finally:
        clock.set_fixed_now(None)
