"""Moderation on every channel: reports, the queue, hiding with a public reason, restoring, approving
pre-moderated contributions, marks, blocked accounts, the public and the audit log."""
import itertools
from datetime import datetime, timedelta

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select, text

from participation.accounts.models import User
from participation.clock import utcnow
from participation.consultations import services as consultations
from participation.consultations.models import Comment
from participation.extensions import db
from participation.moderation import services
from participation.moderation.models import (
    HideReason,
    Moderation,
    ModerationAction,
    ModerationLogIsAppendOnly,
    Report,
    ReportReason,
)
from participation.outbox.models import OutboxMessage

SECRET = "Ezera iela 5-12, tālrunis 29999999"
_serial = itertools.count()


@pytest.fixture
def moderator(make_user):
    return make_user("Mārtiņš Moderators", is_moderator=True)


@pytest.fixture
def comment(make_consultation):
    consultation = make_consultation(with_comment=False)
    author = User(email=f"autors{next(_serial)}@example.lv", display_name="Komentāra Autors", password_hash="x",
                  email_verified_at=datetime(2026, 1, 1))
    db.session.add(author)
    db.session.commit()
    return consultations.add_comment(consultation, author, f"Mans komentārs: {SECRET}", consultation.versions[0].sections[0])


def _comments_page(client, comment):
    return client.get(f"/consultations/{comment.consultation_id}/comments").get_data(as_text=True)


# --- reporting and the queue -----------------------------------------------------------------------------


def test_reports_of_the_same_item_group_together_most_reported_first(client, login, make_user, moderator, comment, make_proposal):
    proposal = make_proposal()
    people = [make_user(f"Ziņotājs {i}") for i in range(3)]
    for person in people:
        services.report(comment, person, ReportReason.ABUSE)
    services.report(proposal, people[0], ReportReason.SPAM, "Reklāma")
    services.report(comment, people[0], ReportReason.SPAM)  # the same person again: counted once
    login(people[1])
    page = client.get(f"/moderation/report/proposal/{proposal.id}")
    assert page.status_code == 200
    sent = client.post(f"/moderation/report/proposal/{proposal.id}", data={"reason": "off_topic", "text": "Nav par tēmu"})
    assert sent.status_code == 302
    client.post("/account/logout")
    login(moderator)
    queue = client.get("/moderation/").get_data(as_text=True)
    assert queue.index(f"Komentārs {comment.number}") < queue.index(f"Priekšlikums nr. {proposal.id}")
    assert "3 ziņojumi" in queue and "2 ziņojumi" in queue
    assert "Reklāma" in queue and "Nav par tēmu" in queue
    assert db.session.scalar(select(db.func.count(Report.id)).where(Report.item_kind == "comment")) == 3


def test_a_report_needs_a_reason_and_keeps_the_text(client, login, make_user, comment):
    login(make_user())
    response = client.post(f"/moderation/report/comment/{comment.id}", data={"text": "Mans paskaidrojums"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Izvēlieties iemeslu." in page and "Mans paskaidrojums" in page and "error-summary" in page
    assert db.session.scalar(select(db.func.count(Report.id))) == 0


def test_anonymous_visitors_are_sent_to_log_in_to_report(client, comment):
    response = client.get(f"/moderation/report/comment/{comment.id}")
    assert response.status_code == 302 and "/account/login" in response.location


def test_nobody_reports_their_own_or_a_missing_item(client, login, comment):
    author = comment.author
    author.set_password("correct horse battery")
    db.session.commit()
    login(author)
    assert client.get(f"/moderation/report/comment/{comment.id}").status_code == 403
    assert client.get("/moderation/report/comment/999999").status_code == 404
    assert client.get("/moderation/report/nothing/1").status_code == 404
    assert client.get("/moderation/report/comment/99999999999").status_code == 404


# --- hiding and restoring ------------------------------------------------------------------------------


def test_hiding_replaces_the_text_for_everyone_but_the_author_and_tells_the_author(client, login, make_user, moderator, comment):
    services.report(comment, make_user("Ziņotājs"), ReportReason.PERSONAL_DATA)
    login(moderator)
    response = client.post(f"/moderation/item/comment/{comment.id}/hide", data={"reason": "personal_data", "note": "Adrese"})
    assert response.status_code == 302
    db.session.refresh(comment)
    assert comment.is_hidden and comment.text.endswith(SECRET)  # the words are never changed
    client.post("/account/logout")
    public = _comments_page(client, comment)
    assert SECRET not in public and "Paslēpis moderators: satur personas datus" in public
    # The author still sees the text, the reason and how to ask for review.
    author = comment.author
    author.set_password("correct horse battery")
    db.session.commit()
    login(author)
    own = _comments_page(client, comment)
    assert SECRET in own and "Lūgt pārskatīt" in own
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == author.email)
                              .order_by(OutboxMessage.id.desc())).first()
    assert "satur personas datus" in mail.body and f"/moderation/review/comment/{comment.id}" in mail.body
    # The open report left the queue with the action.
    assert db.session.scalar(select(db.func.count(Report.id)).where(Report.resolved_at.is_(None))) == 0


def test_a_review_request_goes_back_to_the_queue_and_restoring_shows_the_text(client, login, moderator, comment):
    services.hide(comment, moderator, HideReason.ABUSE)
    author = comment.author
    author.set_password("correct horse battery")
    db.session.commit()
    login(author)
    empty = client.post(f"/moderation/review/comment/{comment.id}", data={"text": ""})
    assert empty.status_code == 400
    asked = client.post(f"/moderation/review/comment/{comment.id}", data={"text": "Tas nav aizskarošs."})
    assert asked.status_code == 302
    client.post("/account/logout")
    login(moderator)
    queue = client.get("/moderation/").get_data(as_text=True)
    assert "Autors lūdz pārskatīt" in queue and "Tas nav aizskarošs." in queue
    assert client.post(f"/moderation/item/comment/{comment.id}/restore", data={}).status_code == 302
    client.post("/account/logout")
    assert SECRET in _comments_page(client, comment)


def test_the_public_log_never_shows_the_hidden_text_or_who(client, moderator, comment, make_proposal):
    proposal = make_proposal(title=f"Virsraksts ar {SECRET}")
    services.hide(comment, moderator, HideReason.PERSONAL_DATA, note="iekšēja piezīme")
    services.hide(proposal, moderator, HideReason.SPAM)
    services.restore(proposal, moderator)
    log = client.get("/moderation/log").get_data(as_text=True)
    assert "Paslēpts" in log and "Atjaunots" in log and f"Komentārs {comment.number}" in log
    assert SECRET not in log and moderator.display_name not in log and comment.author.display_name not in log
    assert "iekšēja piezīme" not in log


def test_the_audit_log_names_the_moderator_and_is_for_moderators_only(client, login, make_user, moderator, comment):
    services.hide(comment, moderator, HideReason.ABUSE, note="iekšēja piezīme")
    login(make_user("Iedzīvotājs"))
    assert client.get("/moderation/audit").status_code == 403
    client.post("/account/logout")
    login(moderator)
    audit = client.get("/moderation/audit").get_data(as_text=True)
    assert moderator.display_name in audit and "iekšēja piezīme" in audit


def test_the_moderation_log_is_append_only(app, moderator, comment):
    services.hide(comment, moderator, HideReason.SPAM)
    entry = db.session.scalars(select(ModerationAction)).first()
    entry.note = "pārrakstīts"
    with pytest.raises(ModerationLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(Exception):  # the database refuses too (triggers on SQLite and PostgreSQL)
        db.session.execute(text("UPDATE moderation_actions SET note = 'x'"))
    db.session.rollback()
    with pytest.raises(Exception):
        db.session.execute(text("DELETE FROM moderation_actions"))
    db.session.rollback()


def test_hiding_a_proposal_hides_its_title_and_text_in_the_list_and_page(client, moderator, make_proposal):
    proposal = make_proposal(title="Slepenais virsraksts", problem=f"Problēma {SECRET}")
    services.hide(proposal, moderator, HideReason.ABUSE)
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    listing = client.get("/proposals/").get_data(as_text=True)
    for html in (page, listing):
        assert "Slepenais virsraksts" not in html and SECRET not in html
        assert "Paslēpis moderators: aizskarošs vai apvainojošs" in html
    db.session.refresh(proposal)
    assert not proposal.is_collecting  # a hidden proposal collects no supports


def test_moderators_never_edit_words_no_route_changes_the_text(client, login, moderator, comment):
    login(moderator)
    before = comment.text
    for action in ("hide", "restore", "highlight", "off-topic", "dismiss", "approve"):
        client.post(f"/moderation/item/comment/{comment.id}/{action}", data={"reason": "spam", "text": "jauns teksts", "note": ""})
    db.session.refresh(comment)
    assert comment.text == before


# --- marks --------------------------------------------------------------------------------------------------


def test_a_highlighted_comment_comes_first_and_an_off_topic_one_is_marked(client, login, moderator, comment, make_user):
    later = consultations.add_comment(comment.consultation, make_user("Cits"), "Vēlāks, bet konstruktīvs komentārs.")
    services.set_highlight(later, moderator, True)
    services.set_off_topic(comment, moderator, True)
    page = _comments_page(client, comment)
    assert page.index("Vēlāks, bet konstruktīvs") < page.index(SECRET)
    assert "Moderators to izcēlis kā konstruktīvu" in page and "Moderators atzīmējis kā nepiederīgu tēmai" in page


# --- pre-moderation -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["institution", "consultation"])
def test_premoderated_comments_are_public_only_after_approval(client, login, make_user, moderator, make_consultation, where):
    consultation = make_consultation(with_comment=False)
    if where == "institution":
        consultation.institution.premoderation = True
    else:
        consultation.premoderation = True
    db.session.commit()
    author = make_user("Gaidošais Autors")
    login(author)
    assert client.post(f"/consultations/{consultation.id}/comments", data={"section": 0, "on_behalf": 0, "text": "Gaida apstiprinājumu."}).status_code == 302
    waiting = db.session.scalars(select(Comment).where(Comment.consultation_id == consultation.id)).one()
    assert waiting.moderation == Moderation.PENDING
    own = client.get(f"/consultations/{consultation.id}/comments").get_data(as_text=True)
    with client.application.test_request_context("/"), force_locale("lv"):
        waiting_mark = gettext("Waiting for moderation")  # the mark of templates/moderation/_macros.html
    assert "Gaida apstiprinājumu." in own and waiting_mark in own
    client.post("/account/logout")
    public = client.get(f"/consultations/{consultation.id}/comments").get_data(as_text=True)
    assert "Gaida apstiprinājumu." not in public
    assert "0 komentāru" in client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    login(moderator)
    assert "Gaida apstiprinājumu." in client.get("/moderation/").get_data(as_text=True)
    assert client.post(f"/moderation/item/comment/{waiting.id}/approve", data={}).status_code == 302
    client.post("/account/logout")
    assert "Gaida apstiprinājumu." in client.get(f"/consultations/{consultation.id}/comments").get_data(as_text=True)


def test_the_editor_switches_premoderation_on_for_one_consultation(client, make_consultation):
    consultation = make_consultation(with_comment=False)
    assert not consultation.premoderation
    draft = consultations.save_draft(consultation.institution, consultation.institution.memberships[0].user,
                                     {"title": "Cits projekts", "kind": "other", "premoderation": True}, "1. Punkts.")
    assert draft.premoderation and not draft.institution.premoderation


def test_a_comment_approved_after_the_close_still_becomes_a_case(fixed_now, make_user, moderator, make_consultation):
    consultation = make_consultation(with_comment=False)
    consultation.premoderation = True
    db.session.commit()
    waiting = consultations.add_comment(consultation, make_user(), "Vēlu apstiprināts.")
    fixed_now(consultation.closes_at + timedelta(minutes=1))
    assert consultations.process_closed(consultation) == 0  # nothing public to answer yet
    services.approve(waiting, moderator)
    db.session.refresh(waiting)
    assert waiting.case is not None and waiting.case.institution_id == consultation.institution_id


def test_premoderated_proposals_wait_in_the_same_queue(client, login, moderator, make_institution, make_proposal):
    institution = make_institution()
    institution.premoderation = True
    db.session.commit()
    proposal = make_proposal(institution=institution, title="Gaidošs priekšlikums")
    assert proposal.is_pending
    login(moderator)
    assert "Gaidošs priekšlikums" in client.get("/moderation/").get_data(as_text=True)
    client.post(f"/moderation/item/proposal/{proposal.id}/approve", data={})
    db.session.refresh(proposal)
    assert proposal.is_public and not proposal.case.is_private


# --- blocked accounts -------------------------------------------------------------------------------------


def test_a_blocked_account_reads_but_cannot_write_until_the_block_ends(client, login, make_user, moderator, comment, fixed_now):
    start = utcnow()
    fixed_now(start)
    resident = make_user("Bloķētais")
    login(moderator)
    assert client.post(f"/moderation/users/{resident.id}/block", data={"days": "7", "reason": "spam"}).status_code == 302
    client.post("/account/logout")
    login(resident)
    assert client.get(f"/consultations/{comment.consultation_id}").status_code == 200  # reads
    refused = client.post(f"/consultations/{comment.consultation_id}/comments", data={"section": 0, "on_behalf": 0, "text": "Vēl reklāma"})
    assert refused.status_code == 403 and "Jūsu konts ir bloķēts" in refused.get_data(as_text=True)
    assert client.post(f"/moderation/report/comment/{comment.id}", data={"reason": "spam"}).status_code == 403
    assert db.session.scalar(select(db.func.count(Comment.id)).where(Comment.author_id == resident.id)) == 0
    fixed_now(start + timedelta(days=7, minutes=1))  # the block has ended (the window is still open)
    assert client.post(f"/consultations/{comment.consultation_id}/comments", data={"section": 0, "on_behalf": 0, "text": "Tagad par tēmu."}).status_code == 302


def test_blocking_for_good_and_unblocking_are_in_the_audit_log(make_user, moderator):
    resident = make_user()
    services.block(resident, moderator, 0, HideReason.ABUSE, "atkārtoti")
    assert resident.is_blocked(datetime(2099, 1, 1))
    services.unblock(resident, moderator)
    assert not resident.is_blocked()
    actions = [a.action for a in db.session.scalars(select(ModerationAction).order_by(ModerationAction.id))]
    assert actions == ["block", "unblock"]
    assert all(not a.is_public for a in db.session.scalars(select(ModerationAction)))


def test_moderators_cannot_block_administrators_or_themselves(client, login, make_user, moderator):
    admin = make_user(is_admin=True)
    login(moderator)
    assert client.post(f"/moderation/users/{admin.id}/block", data={"days": "1", "reason": "spam"}).status_code == 403
    assert client.post(f"/moderation/users/{moderator.id}/block", data={"days": "1", "reason": "spam"}).status_code == 403


# --- speed --------------------------------------------------------------------------------------------------


def _many_reports(consultation, n):
    people = [User(email=f"r{next(_serial)}@example.lv", display_name=f"Ziņotājs {i}", password_hash="x") for i in range(n)]
    db.session.add_all(people)
    db.session.flush()
    comments = [Comment(consultation_id=consultation.id, author=people[i], text=f"Komentārs {i}") for i in range(n)]
    db.session.add_all(comments)
    db.session.flush()
    db.session.add_all(Report(item_kind="comment", item_id=comments[i].id, reporter=people[(i + 1) % n], reason=ReportReason.SPAM)
                       for i in range(n))
    pending = [Comment(consultation_id=consultation.id, author=people[i], text=f"Gaida {i}", moderation=Moderation.PENDING)
               for i in range(n)]
    db.session.add_all(pending)
    db.session.commit()


def test_the_queue_runs_the_same_queries_for_10_and_1000_reports(client, login, count_queries, moderator, make_consultation):
    login(moderator)
    counts = []
    for n in (10, 1000):
        _many_reports(make_consultation(with_comment=False), n)
        client.get("/moderation/")
        with count_queries() as counter:
            assert client.get("/moderation/").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1] and counts[0] <= 12


def test_the_public_log_runs_the_same_queries_for_10_and_200_entries(client, count_queries, moderator, make_consultation):
    counts = []
    for n in (10, 200):
        consultation = make_consultation(with_comment=False)
        comments = [Comment(consultation_id=consultation.id, author=moderator, text=f"K {i}") for i in range(n)]
        db.session.add_all(comments)
        db.session.flush()
        db.session.add_all(ModerationAction(action="hide", item_kind="comment", item_id=c.id, reason="spam", is_public=True,
                                            moderator=moderator) for c in comments)
        db.session.commit()
        client.get("/moderation/log")
        with count_queries() as counter:
            assert client.get("/moderation/log").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]


def test_a_hidden_comment_s_case_leaves_the_public_log_and_page(client, fixed_now, moderator, comment):
    consultation = comment.consultation
    fixed_now(consultation.closes_at + timedelta(minutes=1))
    consultations.process_closed(consultation)
    db.session.refresh(comment)
    case_url = f"/cases/{comment.case_id}"
    assert SECRET in client.get(case_url).get_data(as_text=True)
    services.hide(comment, moderator, HideReason.PERSONAL_DATA)
    assert SECRET not in client.get(case_url).get_data(as_text=True)
    assert SECRET not in client.get(f"/institutions/{consultation.institution.slug}/log").get_data(as_text=True)
    services.restore(comment, moderator)
    assert SECRET in client.get(case_url).get_data(as_text=True)


def test_a_draft_proposal_is_not_moderated_or_reported(client, login, make_user, moderator, make_proposal):
    draft = make_proposal(submit=False, title="Mans melnraksts")
    login(moderator)
    assert client.get(f"/moderation/item/proposal/{draft.id}").status_code == 404
    assert client.get(f"/moderation/report/proposal/{draft.id}").status_code == 404


def test_a_reply_waiting_for_approval_is_seen_by_its_author_and_moderators_only(client, login, make_user, moderator, comment):
    comment.consultation.premoderation = True
    db.session.commit()
    author = make_user("Atbildes Autors")
    consultations.add_comment(comment.consultation, author, "Gaidoša atbilde.", parent=comment)
    assert "Gaidoša atbilde." not in _comments_page(client, comment)
    login(author)
    assert "Gaidoša atbilde." in _comments_page(client, comment)
    client.post("/account/logout")
    login(make_user("Cits Lasītājs"))
    assert "Gaidoša atbilde." not in _comments_page(client, comment)
    client.post("/account/logout")
    login(moderator)
    assert "Gaidoša atbilde." in _comments_page(client, comment)


def test_a_block_form_with_an_error_is_shown_again_with_what_was_typed(client, login, moderator, comment):
    login(moderator)
    note = "Paskaidrojums. " * 80  # longer than the 1,000 characters a note may have
    response = client.post(f"/moderation/users/{comment.author_id}/block",
                           data={"days": "7", "reason": "spam", "note": note, "back_kind": "comment", "back_id": comment.id})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "error-summary" in page and note.strip() in page
    db.session.refresh(comment.author)
    assert not comment.author.is_blocked()
