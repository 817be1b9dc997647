"""Lists read as plain rows (consultations/rows.py, cases/rows.py) must say what the mapped objects say: each row is
compared with the `Comment` or `Response` it stands for, after the changes that alter what a row shows."""
from datetime import timedelta

from participation.cases import queries as case_queries
from participation.cases import services as cases
from participation.cases.models import Position, Response
from participation.consultations import queries
from participation.consultations import services as consultations
from participation.consultations.models import Comment
from participation.consultations.rows import answers_of
from participation.extensions import db
from participation.institutions.models import StaffRole
from participation.moderation import services as moderation
from participation.moderation.models import HideReason


def _same_comment(row, comment: Comment) -> None:
    assert (row.id, row.number, row.text, row.created_at, row.show_name, row.represents) == (
        comment.id, comment.number, comment.text, comment.created_at, comment.show_name, comment.represents)
    assert (row.author_id, row.author.display_name) == (comment.author_id, comment.author.display_name)
    assert (row.group.name if row.group else None) == (comment.group.name if comment.group else None)
    assert (row.section_id, row.section.label if row.section else None) == (
        comment.section_id, comment.section.label if comment.section else None)
    assert (row.moderation, row.is_hidden, row.is_pending, row.hidden_reason, row.highlighted, row.off_topic) == (
        comment.moderation, comment.is_hidden, comment.is_pending, comment.hidden_reason, comment.highlighted,
        comment.off_topic)
    assert (row.case.id, row.case.state, row.case.position) == (comment.case.id, comment.case.state, comment.case.position)


def test_a_listed_comment_says_what_the_comment_says_with_its_answer_in_force(
        make_consultation, make_user, make_group, make_staff, fixed_now):
    consultation = make_consultation(with_comment=False)
    leader = make_user("Laura Vadītāja")
    group = make_group(leader=leader, name="Skolēnu padome")
    sections = consultation.versions[0].sections
    on_section = consultations.add_comment(consultation, make_user("Ilze Ozola"), "Pirmais.", sections[1])
    for_group = consultations.add_comment(consultation, leader, "Otrais.", None, group, "Skola", True)
    hidden = consultations.add_comment(consultation, make_user("Pēteris"), "Trešais.", sections[0])
    reply = consultations.add_comment(consultation, make_user("Anna"), "Atbilde.", parent=on_section)
    moderation.hide(hidden, make_user("Moderators", is_moderator=True), HideReason.PERSONAL_DATA)
    fixed_now(consultation.closes_at + timedelta(days=1))
    consultations.process_closed(consultation)
    responder = make_staff(consultation.institution, role=StaffRole.RESPONDER)
    consultations.record_position(on_section, responder, Position.PARTLY_ACCEPTED, "Daļēji.")
    consultations.record_position(on_section, responder, Position.ACCEPTED, "Pilnībā.")  # a correction
    db.session.expire_all()

    page = queries.comments_page(consultation.id, total=3)
    assert [row.id for row in page.items] == [on_section.id, for_group.id, hidden.id]
    for row in page.items:
        _same_comment(row, db.session.get(Comment, row.id))
    assert [r.id for r in page.items[0].replies] == [reply.id] and page.items[0].replies[0].parent_id == on_section.id
    answers = answers_of(page.items)
    in_force = case_queries.latest_answers([on_section.case_id])[on_section.case_id]
    assert answers[on_section.case_id].text == in_force.text == "Pilnībā."  # the correction, not what it superseded
    assert for_group.case_id not in answers

    summary = queries.summary_page(consultation.id)
    # The table's order: the whole draft first, then section by section.
    assert [row.id for row in summary.items] == [for_group.id, hidden.id, on_section.id] and summary.total == 3
    assert [row.id for batch in queries.summary_batches(consultation.id, size=2) for row in batch] == [
        for_group.id, hidden.id, on_section.id]
    assert [row.id for row in queries.comments_page(consultation.id, section_id=sections[1].id).items] == [on_section.id]
    assert [row.id for row in queries.comments_page(consultation.id, whole_draft=True).items] == [for_group.id]


def test_a_log_entry_says_what_the_response_says_with_the_answer_it_corrects(make_case, make_staff, make_institution):
    case = make_case(title="Apgaismojums parkā")
    staff = make_staff(case.institution)
    first = cases.answer_case(case, staff, Position.ACCEPTED, "Uzstādīsim laternas.")
    correction = cases.correct_response(first, staff, Position.PARTLY_ACCEPTED, "Uzstādīsim divas laternas.")
    forwarded = make_case(institution=case.institution, title="Ceļš")
    forward = cases.forward_case(forwarded, staff, make_institution("Satiksmes ministrija", slug="sam"), "Tas ir ministrijas ceļš.")
    db.session.expire_all()

    entries = case_queries.response_log(case.institution.id).items
    assert [e.id for e in entries] == [forward.id, correction.id, first.id]  # newest first
    for entry in entries:
        response = db.session.get(Response, entry.id)
        assert (entry.kind, entry.position, entry.text, entry.created_at, entry.effective_on) == (
            response.kind, response.position, response.text, response.created_at, response.effective_on)
        assert (entry.case.id, entry.case.title, entry.case.number) == (response.case.id, response.case.title, response.case.number)
        assert entry.institution.name == response.institution.name
        assert (entry.target_institution.name if entry.target_institution else None) == (
            response.target_institution.name if response.target_institution else None)
        assert entry.author.display_name == response.author.display_name
        assert (entry.superseded_by.id if entry.superseded_by else None) == (
            response.superseded_by.id if response.superseded_by else None)
        assert (entry.supersedes.id if entry.supersedes else None) == (response.supersedes.id if response.supersedes else None)
    by_id = {e.id: e for e in entries}
    assert by_id[correction.id].supersedes.text == "Uzstādīsim laternas."
    assert by_id[first.id].superseded_by.id == correction.id
    assert entries[0].target_institution.name.startswith("Satiksmes ministrija")
    assert [e.id for e in case_queries.recent_responses(case.institution.id, 2)] == [forward.id, correction.id]


def test_an_inbox_row_says_what_the_case_says(make_case, make_staff, make_institution, make_user, make_group, fixed_now):
    from datetime import date, datetime

    from participation.cases.models import Case, OfflineSource

    fixed_now(datetime(2026, 11, 2, 9, 0))
    institution = make_institution()
    staff = make_staff(institution)
    leader = make_user("Laura Vadītāja")
    by_group = make_case(institution=institution, title="Jauniešu centrs", raised_by=leader,
                         raised_by_group=make_group(leader=leader, name="Jauniešu dome"))
    hidden = make_case(institution=institution, title="Privāti", submitter_hidden=True)
    offline = cases.register_offline(institution, "Vēstule", "Lūdzam salabot ceļu.", OfflineSource.LETTER,
                                     date(2026, 10, 1), submitter="J. Bērziņš")
    extended = make_case(institution=institution, title="Pagarināts")
    cases.extend_case(extended, staff, extended.due_on + timedelta(days=7), "Vajag atzinumu.")
    elsewhere = make_case(institution=make_institution("Satiksmes ministrija", slug="sam"), title="Pārsūtīts")
    cases.forward_case(elsewhere, make_staff(elsewhere.institution), institution, "Pašvaldības ceļš.")
    cases.mark_collective(by_group, datetime(2026, 11, 2, 8, 0))
    db.session.commit()
    fixed_now(datetime(2026, 12, 20, 9, 0))  # the letter of 1 October is overdue by now
    db.session.expire_all()

    items = case_queries.inbox(institution.id).items
    assert {row.id for row in items} == {by_group.id, hidden.id, offline.id, extended.id, elsewhere.id}
    assert [row.due_on for row in items] == sorted(row.due_on for row in items)
    for row in items:
        case = db.session.get(Case, row.id)
        assert (row.number, row.title, row.channel, row.state, row.due_on, row.received_at, row.extended_once,
                row.collective_at, row.is_awaiting, row.is_overdue) == (
            case.number, case.title, case.channel, case.state, case.due_on, case.received_at, case.extended_once,
            case.collective_at, case.is_awaiting, case.is_overdue)
        assert (row.submitter_hidden, row.offline_source, row.offline_submitter) == (
            case.submitter_hidden, case.offline_source, case.offline_submitter)
        assert (row.raised_by.display_name if row.raised_by else None) == (case.raised_by.display_name if case.raised_by else None)
        assert (row.raised_by_group.name if row.raised_by_group else None) == (
            case.raised_by_group.name if case.raised_by_group else None)
        assert (row.forwarded_from.name if row.forwarded_from else None) == (
            case.forwarded_from.name if case.forwarded_from else None)
    by_id = {row.id: row for row in items}
    assert by_id[offline.id].is_overdue and by_id[extended.id].extended_once and by_id[by_group.id].collective_at
    assert by_id[elsewhere.id].forwarded_from.name.startswith("Satiksmes ministrija")
    assert by_id[by_group.id].raised_by_group.name.startswith("Jauniešu dome")
