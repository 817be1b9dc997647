"""The counters pages read instead of counting rows (issue 7): supports per proposal, top-level comments per
consultation and per section. Each always equals the rows it stands for, after every action that changes them."""
from datetime import datetime

from sqlalchemy import func, select

from participation.consultations import services as consultation_services
from participation.consultations.models import Comment, Consultation, Section
from participation.extensions import db
from participation.proposals import services
from participation.proposals.models import Proposal
from tests.test_consultations import DRAFT, FIELDS, section


def _stored_support_count(proposal_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Proposal, proposal_id).support_count


def test_support_count_follows_support_withdraw_and_merge(client, login, make_proposal, make_user, make_institution):
    institution = make_institution()
    target = make_proposal(institution=institution, title="Soliņi parkā")
    duplicate = make_proposal(institution=institution, title="Soliņi parkā (atkārtoti)")
    people = [make_user() for _ in range(4)]
    for person in people[:3]:
        assert services.support(target, person)
    assert not services.support(target, people[0])  # a second support of the same person is not counted
    assert _stored_support_count(target.id) == services.support_count(target.id) == 3
    services.withdraw(target, people[1])
    services.withdraw(target, people[1])  # withdrawing twice takes one away
    assert _stored_support_count(target.id) == services.support_count(target.id) == 2
    for person in (people[0], people[3]):
        services.support(duplicate, person)
    services.merge(duplicate, target, make_user(is_moderator=True))
    assert _stored_support_count(target.id) == services.support_count(target.id) == 3
    assert _stored_support_count(duplicate.id) == services.support_count(duplicate.id) == 0


def test_the_most_supported_list_is_ordered_by_the_counter(client, make_proposal, make_user, make_institution):
    institution = make_institution()
    quiet, popular = make_proposal(institution=institution, title="Klusais"), make_proposal(institution=institution, title="Populārais")
    for _ in range(2):
        services.support(popular, make_user())
    services.support(quiet, make_user())
    page = client.get(f"/proposals/?sort=supported&institution={institution.id}").get_data(as_text=True)
    assert page.index("Populārais") < page.index("Klusais")


def test_comment_counters_follow_comments_and_ignore_replies(client, make_institution, make_staff, make_user, fixed_now):
    from participation.institutions.models import StaffRole

    institution = make_institution()
    editor = make_staff(institution, role=StaffRole.EDITOR)
    fixed_now(datetime(2026, 3, 10, 7, 0))
    consultation = consultation_services.save_draft(institution, editor, FIELDS, DRAFT)
    consultation_services.publish(consultation, datetime(2026, 3, 10, 9, 0), None)
    first, second = section(consultation, "1."), section(consultation, "2.")
    resident = make_user()
    on_first = consultation_services.add_comment(consultation, resident, "Par pirmo punktu.", first)
    consultation_services.add_comment(consultation, resident, "Vēl par pirmo.", first)
    consultation_services.add_comment(consultation, resident, "Par otro punktu.", second)
    consultation_services.add_comment(consultation, resident, "Par visu projektu.")
    consultation_services.add_comment(consultation, make_user(), "Atbilde.", parent=on_first)

    db.session.expire_all()
    rows = lambda **where: db.session.scalar(  # noqa: E731
        select(func.count(Comment.id)).filter_by(parent_id=None, **where))
    assert db.session.get(Consultation, consultation.id).comment_count == rows(consultation_id=consultation.id) == 4
    assert db.session.get(Section, first.id).comment_count == rows(section_id=first.id) == 2
    assert db.session.get(Section, second.id).comment_count == rows(section_id=second.id) == 1

    page = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "1 komentārs par visu projektu" in page and "2 komentāri" in page
    listed = client.get(f"/consultations/{consultation.id}/comments?section={first.id}").get_data(as_text=True)
    assert "Par pirmo punktu." in listed and "Par otro punktu." not in listed
    whole = client.get(f"/consultations/{consultation.id}/comments?whole=1").get_data(as_text=True)
    assert "Par visu projektu." in whole and "Par pirmo punktu." not in whole


def test_comment_pages_take_the_total_from_the_counters(client, make_institution, make_staff, make_user, fixed_now, count_queries):
    """The pager's "page 1 of 2" comes from the counter: 21 comments on a section make two pages, no row count runs."""
    from participation.institutions.models import StaffRole

    institution = make_institution()
    editor = make_staff(institution, role=StaffRole.EDITOR)
    fixed_now(datetime(2026, 3, 10, 7, 0))
    consultation = consultation_services.save_draft(institution, editor, FIELDS, DRAFT)
    consultation_services.publish(consultation, datetime(2026, 3, 10, 9, 0), None)
    first = section(consultation, "1.")
    resident = make_user()
    for n in range(21):
        consultation_services.add_comment(consultation, resident, f"Komentārs {n}.", first)
    client.get(f"/consultations/{consultation.id}/comments?section={first.id}")
    with count_queries() as counter:
        response = client.get(f"/consultations/{consultation.id}/comments?section={first.id}")
    assert response.status_code == 200
    assert 'rel="next"' in response.get_data(as_text=True)
    assert not any("count(" in statement.lower() for statement in counter.statements)
