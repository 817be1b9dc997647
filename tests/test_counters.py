"""The counters pages read instead of counting rows (issue 7): supports per proposal, top-level comments per
consultation and per section. Each always equals the rows it stands for, after every action that changes them."""
from datetime import datetime

from sqlalchemy import func, select

from participation.consultations import services as consultation_services
from participation.consultations.models import Comment, Consultation, Section
from participation.extensions import db
from participation.proposals import services
from participation.proposals.models import Proposal
from tests.factories import section


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


def test_comment_counters_follow_comments_and_ignore_replies(client, open_consultation, make_user):
    consultation = open_consultation
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


def test_comment_pages_take_the_total_from_the_counters(client, open_consultation, make_user, count_queries):
    """The pager's "page 1 of 2" comes from the counter: 21 comments on a section make two pages, no row count runs."""
    consultation = open_consultation
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


def _waiting_rows(consultation_id: int) -> int:
    """What the counter stands for, counted from the rows: approved top-level comments without a position whose case
    (if any yet) was not closed as not examined."""
    from sqlalchemy import or_

    from participation.cases.models import Case, CaseState
    from participation.moderation.models import Moderation

    return db.session.scalar(
        select(func.count(Comment.id)).outerjoin(Case, Case.id == Comment.case_id).where(
            Comment.consultation_id == consultation_id, Comment.parent_id.is_(None),
            Comment.moderation == Moderation.APPROVED,
            or_(Comment.case_id.is_(None), Case.position.is_(None) & (Case.state != CaseState.NOT_EXAMINED))))


def _stored_waiting(consultation_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Consultation, consultation_id).positions_waiting


def test_positions_waiting_follows_comments_positions_and_every_way_a_case_closes(
        client, login, open_consultation, make_institution, make_staff, make_user, fixed_now):
    """The summary table's "N comments are still waiting" counter, after comments, a reply, a pre-moderated comment
    approved after the close, a position recorded on the summary page and corrected, a case closed as not examined in
    the inbox, and a case forwarded and answered by the other institution."""
    from participation.cases import services as case_services
    from participation.cases.models import Position
    from participation.moderation import services as moderation

    consultation, other = open_consultation, make_institution()
    responder, other_responder = make_staff(consultation.institution), make_staff(other)
    fixed_now(datetime(2026, 3, 20, 10, 0))
    resident = make_user()
    positioned, not_examined, forwarded = (
        consultation_services.add_comment(consultation, resident, text, section(consultation, "1."))
        for text in ("Pozīcija.", "Neizskatāms.", "Pārsūtāms."))
    consultation_services.add_comment(consultation, make_user(), "Atbilde.", parent=positioned)
    consultation.premoderation = True
    db.session.commit()
    pending = consultation_services.add_comment(consultation, make_user(), "Gaida moderatoru.")
    assert _stored_waiting(consultation.id) == _waiting_rows(consultation.id) == 3

    fixed_now(datetime(2026, 4, 10, 8, 0))
    consultation_services.process_closed(consultation)
    assert _stored_waiting(consultation.id) == _waiting_rows(consultation.id) == 3
    public = client.get(f"/consultations/{consultation.id}/summary").get_data(as_text=True)
    assert "3 komentāri vēl gaida" in public and "summary-table" not in public

    login(responder)
    for position, expected in (("accepted", 2), ("noted", 2)):  # a corrected position is still a position
        response = client.post(f"/consultations/{consultation.id}/comments/{positioned.id}/position",
                               data={f"c{positioned.id}-position": position, f"c{positioned.id}-reason": "Pamatojums."})
        assert response.status_code == 302
        assert _stored_waiting(consultation.id) == _waiting_rows(consultation.id) == expected
    client.post("/account/logout")

    case_services.mark_not_examined(db.session.get(Comment, not_examined.id).case, responder, "Nav iesniegums.")
    assert _stored_waiting(consultation.id) == _waiting_rows(consultation.id) == 1
    case = db.session.get(Comment, forwarded.id).case
    case_services.forward_case(case, responder, other, "Cita iestāde atbild.")
    assert _stored_waiting(consultation.id) == _waiting_rows(consultation.id) == 1
    case_services.answer_case(case, other_responder, Position.NOT_ACCEPTED, "Neatbalstām.")
    assert _stored_waiting(consultation.id) == _waiting_rows(consultation.id) == 0
    assert "summary-table" in client.get(f"/consultations/{consultation.id}/summary").get_data(as_text=True)
    assert client.get(f"/consultations/{consultation.id}/summary.csv").status_code == 200

    moderation.approve(db.session.get(Comment, pending.id), make_user(is_moderator=True))
    assert db.session.get(Comment, pending.id).case is not None  # approved after the close: a case like the others
    assert _stored_waiting(consultation.id) == _waiting_rows(consultation.id) == 1
    public = client.get(f"/consultations/{consultation.id}/summary").get_data(as_text=True)
    assert "1 komentārs vēl gaida" in public and "summary-table" not in public
    assert client.get(f"/consultations/{consultation.id}/summary.csv").status_code == 404


def test_recount_counters_repairs_every_counter_from_the_rows(app, client, open_consultation, make_user, make_proposal):
    """`flask recount-counters` after counters were changed by hand: each equals its rows again, and a second run has
    nothing left to correct."""
    from sqlalchemy import update

    consultation = open_consultation
    first = section(consultation, "1.")
    for text in ("Viens.", "Divi."):
        consultation_services.add_comment(consultation, make_user(), text, first)
    proposal = make_proposal(institution=consultation.institution)
    services.support(proposal, make_user())
    db.session.execute(update(Consultation).values(comment_count=7, positions_waiting=-1, hidden_count=3))
    db.session.execute(update(Section).where(Section.id == first.id).values(comment_count=0, hidden_count=1))
    db.session.execute(update(Proposal).where(Proposal.id == proposal.id).values(support_count=99))
    db.session.commit()
    consultation_id, section_id, proposal_id = consultation.id, first.id, proposal.id  # the command ends the session

    result = app.test_cli_runner().invoke(args=["recount-counters"])
    assert "Corrected 2 comment counters and 1 support counters." in result.output, result.output
    assert _stored_waiting(consultation_id) == _waiting_rows(consultation_id) == 2
    assert db.session.get(Consultation, consultation_id).comment_count == 2
    assert db.session.get(Section, section_id).comment_count == 2
    assert db.session.get(Consultation, consultation_id).hidden_count == db.session.get(Section, section_id).hidden_count == 0
    assert _stored_support_count(proposal_id) == services.support_count(proposal_id) == 1
    again = app.test_cli_runner().invoke(args=["recount-counters"])
    assert "Corrected 0 comment counters and 0 support counters." in again.output


def test_the_hidden_counters_follow_hiding_restoring_and_approval(open_consultation, make_user):
    """Public totals leave hidden comments out: the hidden counters of the consultation and the section follow a
    moderator's hide and restore, and a comment hidden while it waited is counted hidden when approved."""
    from participation.moderation import services as moderation
    from participation.moderation.models import HideReason

    consultation, first = open_consultation, section(open_consultation, "1.")
    moderator = make_user(name="Moderators", is_moderator=True)
    comment = consultation_services.add_comment(consultation, make_user(), "Rupjš.", first)
    hidden = lambda: (db.session.get(Consultation, consultation.id).hidden_count,  # noqa: E731
                      db.session.get(Section, first.id).hidden_count)
    moderation.hide(comment, moderator, HideReason.ABUSE)
    assert hidden() == (1, 1)
    moderation.restore(comment, moderator)
    assert hidden() == (0, 0)
    consultation.premoderation = True
    db.session.commit()
    waiting = consultation_services.add_comment(consultation, make_user(), "Gaida.", first)
    moderation.hide(waiting, moderator, HideReason.SPAM)
    assert hidden() == (0, 0)  # not counted at all while it waits
    moderation.approve(waiting, moderator)
    assert hidden() == (1, 1)
    assert consultation_services.recount_counters() == 0


def test_a_counter_read_counts_a_change_not_yet_flushed(make_proposal, make_institution):
    """The list's total is read with a plain SELECT (built once): the session flushes before it, as before an ORM query."""
    from participation import counters
    from participation.moderation.models import Moderation

    proposal = make_proposal(institution=make_institution())
    listed = counters.value(counters.PROPOSALS_LISTED)
    proposal.moderation = Moderation.PENDING  # unlisted, not flushed yet
    assert proposal in db.session.dirty
    assert counters.value(counters.PROPOSALS_LISTED) == listed - 1
    db.session.rollback()
