"""Issue 14, item 7: while a comment is hidden, its institution's answer (position and reason) is withheld from every
public view and export with the same "hidden by a moderator" note; replies and reports on hidden or pending
contributions are refused."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from participation.cases import services as case_services
from participation.cases.models import Position
from participation.consultations import services as consultations
from participation.consultations.models import Comment
from participation.extensions import db
from participation.institutions.models import StaffRole
from participation.moderation import services as moderation
from participation.moderation.models import HideReason, Moderation, Report, ReportReason

SECRET = "29999777"
NOTICE = "Paslēpis moderators"


@pytest.fixture
def answered(fixed_now, make_consultation, make_institution, make_staff, make_user):
    """A closed consultation whose one comment got an answer that quotes it; returns (comment, moderator)."""
    start = datetime(2026, 3, 2, 9, 0)
    fixed_now(start)
    institution = make_institution()
    staff = make_staff(institution, role=StaffRole.ADMIN, name="Atbildētāja")
    consultation = make_consultation(institution=institution, with_comment=False)
    comment = consultations.add_comment(consultation, make_user(name="Autors"), f"Zvaniet kaimiņam: {SECRET}.",
                                        consultation.versions[0].sections[0])
    fixed_now(start + timedelta(days=25))
    assert consultations.process_closed(consultation) == 1
    case_services.answer_case(comment.case, staff, Position.NOTED, f"Par kaimiņu ar tālruni {SECRET} ņemts vērā.")
    return comment, make_user(name="Moderatore", is_moderator=True)


def _public_views(client, comment) -> dict[str, str]:
    consultation_id = comment.consultation_id
    pages = {
        "comments": f"/consultations/{consultation_id}/comments",
        "section": f"/consultations/{consultation_id}/sections/{comment.section_id}",
        "summary": f"/consultations/{consultation_id}/summary",
        "summary.csv": f"/consultations/{consultation_id}/summary.csv",
        "printable": f"/consultations/{consultation_id}/summary?all=1",
        "log": f"/institutions/{comment.consultation.institution.slug}/log",
    }
    out = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        out[name] = response.get_data(as_text=True)
    return out


def test_the_answer_is_public_while_the_comment_is_shown(client, answered):
    comment, _moderator = answered
    views = _public_views(client, comment)
    for name in ("comments", "section", "summary", "summary.csv", "printable"):
        assert f"tālruni {SECRET}" in views[name], name  # the test can fail: the answer is there to be withheld


@pytest.mark.parametrize("reader", ["anonymous", "resident"])
def test_a_hidden_comments_answer_is_withheld_everywhere(client, login, make_user, answered, reader):
    comment, moderator = answered
    moderation.hide(comment, moderator, HideReason.PERSONAL_DATA)
    if reader == "resident":
        login(make_user(name="Lasītāja"))
    views = _public_views(client, comment)
    for name, page in views.items():
        assert SECRET not in page, name
        assert "Pieņemts zināšanai" not in page, name  # nor the position
    for name in ("comments", "section", "summary", "summary.csv", "printable"):
        assert NOTICE in views[name], name
    csv_row = next(line for line in views["summary.csv"].splitlines() if line.startswith(comment.number))
    assert csv_row.count(NOTICE) == 3  # the comment, the position and the reason


def test_a_moderator_still_reads_the_answer(client, login, answered):
    comment, moderator = answered
    moderation.hide(comment, moderator, HideReason.PERSONAL_DATA)
    login(moderator)
    assert f"tālruni {SECRET}" in client.get(f"/consultations/{comment.consultation_id}/comments").get_data(as_text=True)


def test_restoring_the_comment_shows_the_answer_again(client, answered):
    comment, moderator = answered
    moderation.hide(comment, moderator, HideReason.PERSONAL_DATA)
    assert SECRET not in client.get(f"/consultations/{comment.consultation_id}/comments").get_data(as_text=True)
    moderation.restore(comment, moderator)
    assert f"tālruni {SECRET}" in client.get(f"/consultations/{comment.consultation_id}/comments").get_data(as_text=True)


# --- replies and reports on hidden or pending contributions --------------------------------------------------


@pytest.fixture
def open_comments(make_consultation, make_user):
    consultation = make_consultation(with_comment=False)
    author = make_user(name="Autore")
    shown = consultations.add_comment(consultation, author, "Redzams komentārs.")
    hidden = consultations.add_comment(consultation, author, f"Paslēpts {SECRET}.")
    moderation.hide(hidden, make_user(name="Moderators", is_moderator=True), HideReason.ABUSE)
    consultation.premoderation = True
    db.session.commit()
    pending = consultations.add_comment(consultation, author, "Gaida moderatoru.")
    assert pending.is_pending
    return consultation, {"shown": shown, "hidden": hidden, "pending": pending}


@pytest.mark.parametrize("which", ["hidden", "pending"])
def test_replies_to_hidden_or_pending_comments_are_refused(client, login, make_user, open_comments, which):
    consultation, comments = open_comments
    consultation.premoderation = False
    db.session.commit()
    login(make_user(name="Atbildētājs"))
    parent = comments[which]
    response = client.post(f"/consultations/{consultation.id}/comments/{parent.id}/replies", data={"text": "Atbilde."})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Comment.id)).where(Comment.parent_id == parent.id)) == 0
    with pytest.raises(consultations.ConsultationRefused):
        consultations.add_comment(consultation, make_user(name="Cits"), "Atbilde.", parent=parent)
    shown = comments["shown"]  # the same reply to a shown comment is taken: the refusal is about the state
    assert client.post(f"/consultations/{consultation.id}/comments/{shown.id}/replies", data={"text": "Atbilde."}).status_code == 302


@pytest.mark.parametrize("which", ["hidden", "pending"])
def test_reports_on_hidden_or_pending_items_are_refused(client, login, make_user, open_comments, make_proposal, which):
    _consultation, comments = open_comments
    reporter = make_user(name="Ziņotāja")
    proposal = make_proposal(title="Priekšlikums")
    if which == "hidden":
        moderation.hide(proposal, make_user(name="Cits moderators", is_moderator=True), HideReason.SPAM)
    else:
        proposal.moderation = Moderation.PENDING
        db.session.commit()
    login(reporter)
    for kind, item in (("comment", comments[which]), ("proposal", proposal)):
        assert client.post(f"/moderation/report/{kind}/{item.id}", data={"reason": "spam"}).status_code == 403, kind
        with pytest.raises(moderation.ModerationRefused):  # the service refuses too, whoever calls it
            moderation.report(item, reporter, ReportReason.SPAM)
    assert db.session.scalar(select(func.count(Report.id)).where(Report.reporter_id == reporter.id)) == 0
    assert client.post(f"/moderation/report/comment/{comments['shown'].id}", data={"reason": "spam"}).status_code == 302
