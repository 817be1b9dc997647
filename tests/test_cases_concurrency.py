"""One final answer per case under concurrent requests: two members of staff answering the same comment's case at once
(or a double click) leave one answer, and the summary's counter of comments waiting for a position drops once.
Runs on PostgreSQL (in CI always), in a database of its own so that real commits meet each other."""
import threading
from datetime import date, datetime

from sqlalchemy import func, select

from participation.accounts.models import User
from participation.cases import services as cases
from participation.cases.models import Case, Position, Response
from participation.cases.services import CaseActionRefused
from participation.consultations import services as consultations
from participation.consultations.models import Comment, Consultation
from participation.extensions import db
from participation.institutions.models import Institution, InstitutionKind, Membership, StaffRole
from tests.factories import DRAFT, FIELDS, PASSWORD


def _closed_consultation_with_a_comment(app) -> tuple[int, int, list[int]]:
    with app.app_context():
        institution = Institution(slug="vienlaicigi", name="Vienlaicīgā pašvaldība", kind=InstitutionKind.MUNICIPALITY)
        people = [User(email=f"{name}@example.lv", display_name=name, email_verified_at=db.func.now())
                  for name in ("redaktore", "atbildetajs", "otra", "iedzivotajs")]
        for person in people:
            person.set_password(PASSWORD)
        db.session.add_all([institution, *people])
        db.session.flush()
        db.session.add_all([Membership(user_id=people[0].id, institution_id=institution.id, role=StaffRole.EDITOR),
                            *(Membership(user_id=p.id, institution_id=institution.id, role=StaffRole.RESPONDER)
                              for p in people[1:3])])
        db.session.commit()
        consultation = consultations.save_draft(institution, people[0], FIELDS, DRAFT)
        consultations.publish(consultation, datetime(2026, 3, 10, 9, 0), date(2026, 4, 9))
        from participation import clock

        clock.set_fixed_now(datetime(2026, 3, 20, 10, 0))
        comment = consultations.add_comment(consultation, people[3], "Vienā reizē.")
        clock.set_fixed_now(datetime(2026, 4, 10, 8, 0))
        consultations.process_closed(consultation)
        ids = consultation.id, comment.id, [people[1].id, people[2].id]
        db.session.remove()
        return ids


def _together(app, comment_id: int, actions) -> list[str]:
    """Each action in its own thread and session; all read the case before any of them acts."""
    barrier, outcomes = threading.Barrier(len(actions)), []

    def run(action, staff_id):
        with app.app_context():
            case = db.session.get(Comment, comment_id).case
            staff = db.session.get(User, staff_id)
            assert case.is_awaiting  # read as awaiting by every thread
            barrier.wait()
            try:
                action(case, staff)
                outcomes.append("done")
            except CaseActionRefused:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=pair) for pair in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_two_answers_at_once_leave_one_answer_and_count_once(committed_app, fixed_now):
    fixed_now(datetime(2026, 3, 10, 7, 0))
    consultation_id, comment_id, staff = _closed_consultation_with_a_comment(committed_app)
    with committed_app.app_context():
        assert db.session.get(Consultation, consultation_id).positions_waiting == 1
        db.session.remove()

    outcomes = _together(committed_app, comment_id, [
        (lambda case, who: cases.answer_case(case, who, Position.ACCEPTED, "Atbalstām."), staff[0]),
        (lambda case, who: cases.mark_not_examined(case, who, "Nav iesniegums."), staff[1]),
    ])

    assert outcomes == ["done", "refused"]
    with committed_app.app_context():
        case_id = db.session.get(Comment, comment_id).case_id
        assert db.session.scalar(select(func.count(Response.id)).where(Response.case_id == case_id)) == 1
        assert not db.session.get(Case, case_id).is_awaiting
        assert db.session.get(Consultation, consultation_id).positions_waiting == 0
        db.session.remove()
