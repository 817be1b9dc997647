"""Issue 13 for consultations, through the test client: comment on a point, nothing typed is lost, the human check,
links that go where the comment is, editors' drafts and the task list, hidden comments, a double click, the summary
table's one form, dates in Latvian, a group's name once, and the writing gate before every form."""
import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from participation.cases.models import Case
from participation.consultations import services
from participation.consultations.models import Comment, Consultation
from participation.extensions import db
from participation.institutions.models import StaffRole
from participation.moderation import services as moderation
from participation.moderation.models import HideReason
from participation.outbox.models import OutboxMessage
from tests.factories import DRAFT, FIELDS, section

SUBMISSION = re.compile(r'name="submission"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="submission"')


def html(response) -> str:
    return response.get_data(as_text=True)


def comments_count() -> int:
    return db.session.scalar(select(func.count(Comment.id)))


@pytest.fixture
def resident(make_user):
    return make_user(name="Anna Bērziņa")


@pytest.fixture
def during(open_consultation, fixed_now):
    fixed_now(datetime(2026, 3, 20, 10, 0))
    return open_consultation


# --- 1. comment on a point -------------------------------------------------------------------------------------


def test_every_section_has_its_own_comment_action_leading_to_its_page(client, during):
    page = html(client.get(f"/consultations/{during.id}"))
    two = section(during, "2.")
    link = re.search(rf'<a class="govuk-link" href="(/consultations/{during.id}/sections/{two.id})#comment-form"\s+'
                     rf'data-comment-here="comment-here-{two.id}" data-section="{two.id}">Komentēt 2\. punktu|'
                     rf'<a class="govuk-link" href="(/consultations/{during.id}/sections/{two.id})#comment-form"\s+'
                     rf'data-comment-here="comment-here-{two.id}" data-section="{two.id}">Comment on point 2<', page)
    assert link, "a 'Comment on point 2' link to the section's page"
    heading = next(s for s in during.versions[0].sections if s.heading)
    assert f'data-section="{heading.id}"' in page  # a section without a number has its action too (by its label)


def test_the_section_page_shows_its_text_comments_and_the_form_with_the_section_chosen(client, login, during, resident):
    two = section(during, "2.")
    services.add_comment(during, resident, "Kas ir personas?", two)
    services.add_comment(during, resident, "Par visu projektu.")
    login(resident)
    page = html(client.get(f"/consultations/{during.id}/sections/{two.id}"))
    assert "Noteikumi attiecas uz visām personām novadā." in page and "Kas ir personas?" in page
    assert "Par visu projektu." not in page
    assert re.search(rf'<option value="{two.id}" selected>2\. Noteikumi attiecas uz', page)
    assert page.index("Noteikumi attiecas uz visām personām novadā.") < page.index('id="comment-form"')
    # The choice list names each section by its number and first words, never a bare number.
    options = re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', page)
    assert options and not any(re.fullmatch(r"[0-9.]+", o.strip()) for o in options)
    # Sent from the section's page, a comment with a mistake comes back there, with what was typed.
    response = client.post(f"/consultations/{during.id}/comments?from_section={two.id}",
                           data={"section": two.id, "text": "", "on_behalf": 0, "represents": "Biedrība"})
    assert response.status_code == 400
    assert "Noteikumi attiecas uz visām personām novadā." in html(response) and 'value="Biedrība"' in html(response)


def test_a_section_of_another_consultation_is_not_found(client, during, make_consultation):
    other = make_consultation()
    assert client.get(f"/consultations/{during.id}/sections/{other.versions[0].sections[0].id}").status_code == 404


def test_a_closed_consultation_offers_no_comment_action(client, during, fixed_now):
    fixed_now(datetime(2026, 4, 10, 8, 0))
    page = html(client.get(f"/consultations/{during.id}"))
    assert "data-comment-here" not in page and 'id="comment-form"' not in page


# --- 2. nothing typed is lost ----------------------------------------------------------------------------------


def test_every_limited_text_area_counts_characters(client, login, during, resident, editor_and_institution):
    from participation.consultations import forms
    from wtforms import TextAreaField
    from wtforms.validators import Length

    for form_class in (forms.ConsultationForm, forms.ExtendWindowForm, forms.CommentForm, forms.ReplyForm,
                       forms.PositionForm, forms.VersionForm):
        for name, unbound in vars(form_class).items():
            if getattr(unbound, "field_class", None) is TextAreaField:
                validators = unbound.kwargs.get("validators") or ()
                assert any(isinstance(v, Length) and v.max for v in validators), f"{form_class.__name__}.{name} has no limit"
    login(resident)
    page = html(client.get(f"/consultations/{during.id}"))
    assert 'data-module="govuk-character-count"' in page and 'data-maxlength="5000"' in page


def test_a_comment_over_the_limit_is_refused_with_the_text_kept(client, login, during, resident):
    login(resident)
    text = "Garš komentārs. " * 320 + "BEIGAS"
    assert len(text) > 5000
    response = client.post(f"/consultations/{during.id}/comments", data={"section": 0, "text": text, "on_behalf": 0})
    page = html(response)
    assert response.status_code == 400 and "govuk-error-summary" in page
    assert 'href="#text"' in page and "BEIGAS" in page  # never cut: the whole text comes back
    assert comments_count() == 0


def test_a_reply_over_the_limit_keeps_the_text(client, login, during, resident):
    parent = services.add_comment(during, resident, "Sākums.")
    login(resident)
    response = client.post(f"/consultations/{during.id}/comments/{parent.id}/replies", data={"text": "x" * 5001 + "BEIGAS"})
    assert response.status_code == 400 and "BEIGAS" in html(response) and f'href="#reply-{parent.id}"' in html(response)


# --- 3. the human check ----------------------------------------------------------------------------------------


def test_the_human_check_refusal_asks_to_check_and_send_again_and_keeps_the_text(app, client, login, during, resident, monkeypatch):
    from flask_babel import force_locale, gettext

    parent = services.add_comment(during, resident, "Sākums.")
    login(resident)
    with app.test_request_context("/"), force_locale("lv"):
        message = gettext("We could not accept this form. Please check it and send it again.")
    monkeypatch.setitem(app.config, "FORM_MIN_FILL_SECONDS", 3)
    two = section(during, "2.")
    refused = client.post(f"/consultations/{during.id}/comments?from_section={two.id}",
                          data={"section": two.id, "text": "Mans teksts", "on_behalf": 0, "website": "http://x"})
    assert refused.status_code == 400 and message in html(refused) and "Mans teksts" in html(refused)
    refused = client.post(f"/consultations/{during.id}/comments/{parent.id}/replies", data={"text": "Mana atbilde"})
    assert refused.status_code == 400 and message in html(refused) and "Mana atbilde" in html(refused)
    assert comments_count() == 1


# --- 4. links go where the reader is ----------------------------------------------------------------------------


def test_a_comments_link_leads_to_its_page_and_place(client, during, make_user):
    two = section(during, "2.")
    people = [make_user(name=f"Komentētājs {i}") for i in range(22)]
    made = [services.add_comment(during, person, f"Komentārs {i}.", two) for i, person in enumerate(people)]
    whole = services.add_comment(during, people[0], "Par visu.")
    reply = services.add_comment(during, people[1], "Atbilde.", parent=made[-1])
    response = client.get(f"/consultations/{during.id}/comments/{made[-1].id}")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location == f"/consultations/{during.id}/sections/{two.id}?page=2#comment-{made[-1].id}"  # relative, page 2
    assert client.get(f"/consultations/{during.id}/comments/{made[0].id}").headers["Location"].endswith(
        f"/sections/{two.id}#comment-{made[0].id}")
    assert client.get(f"/consultations/{during.id}/comments/{whole.id}").headers["Location"] == \
        f"/consultations/{during.id}/comments?whole=1#comment-{whole.id}"
    assert client.get(f"/consultations/{during.id}/comments/{reply.id}").headers["Location"] == \
        f"/consultations/{during.id}/sections/{two.id}?page=2#comment-{reply.id}"
    assert f'id="comment-{made[-1].id}"' in html(client.get(location.split("#")[0]))
    # The highlighted comment is listed first: its link follows it there.
    moderator = make_user(name="Moderators", is_moderator=True)
    moderation.set_highlight(made[-1], moderator, True)
    assert client.get(f"/consultations/{during.id}/comments/{made[-1].id}").headers["Location"].endswith(
        f"/sections/{two.id}#comment-{made[-1].id}")
    assert client.get(f"/consultations/{during.id}/comments/{made[-1].id + 10_000}").status_code == 404


def test_the_receipt_the_case_and_the_report_link_to_the_comment(app, client, login, during, resident, make_user, fixed_now):
    comment = services.add_comment(during, resident, "Kur ir soliņi?", section(during, "1."))
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == resident.email)).all()[-1]
    assert f"/consultations/{during.id}/comments/{comment.id}" in mail.body  # the permalink, absolute in mail
    assert app.config["PUBLIC_BASE_URL"] in mail.body
    # Reporting it returns the reader to the comment where it is listed (a relative address).
    reader = login(make_user(name="Lasītājs"))
    assert reader
    response = client.post(f"/moderation/report/comment/{comment.id}", data={"reason": "spam", "text": "Reklāma"})
    assert response.status_code == 302 and response.headers["Location"] == f"/consultations/{during.id}/comments/{comment.id}"
    fixed_now(datetime(2026, 4, 10, 8, 0))
    services.process_closed(during)
    case = db.session.get(Case, comment.case_id)
    assert case.item_url == f"/consultations/{during.id}/comments/{comment.id}"  # relative: no PUBLIC_BASE_URL


def test_redirects_after_consultation_actions_are_relative(app, client, login, during, resident, editor_and_institution):
    app.config["PUBLIC_BASE_URL"] = "https://elsewhere.example"
    try:
        login(resident)
        response = client.post(f"/consultations/{during.id}/comments", data={"section": 0, "text": "Teksts.", "on_behalf": 0})
        assert response.status_code == 302 and response.headers["Location"].startswith(f"/consultations/{during.id}/")
        client.post("/account/logout")
        login(editor_and_institution[0])
        response = client.post(f"/consultations/{during.id}/extend", data={"new_closes_on": "2026-04-30", "reason": "Vajag"})
        assert response.headers["Location"] == f"/consultations/{during.id}"
    finally:
        app.config["PUBLIC_BASE_URL"] = "http://127.0.0.1:5000"


# --- 5. editors find their drafts -------------------------------------------------------------------------------


def test_editors_find_their_drafts_with_what_is_done_and_what_is_missing(client, login, editor_and_institution, during, make_institution):
    editor, institution = editor_and_institution
    draft = services.save_draft(institution, editor, {**FIELDS, "title": "Bez kopsavilkuma", "summary": ""}, DRAFT)
    ready = services.save_draft(institution, editor, {**FIELDS, "title": "Gatavs publicēšanai"}, DRAFT)
    elsewhere = services.save_draft(make_institution(), editor, {**FIELDS, "title": "Citas iestādes"}, DRAFT)
    login(editor)
    assert f'href="/consultations/drafts"' in html(client.get("/consultations/"))
    page = html(client.get("/consultations/drafts"))
    assert "Bez kopsavilkuma" in page and "Gatavs publicēšanai" in page
    assert "Citas iestādes" not in page and during.title not in page  # another institution's; a published one
    assert elsewhere.id
    tasks = html(client.get(f"/consultations/{draft.id}/prepare"))
    assert 'class="govuk-task-list' in tasks
    assert f'href="/consultations/{draft.id}/edit#summary"' in tasks and f'href="/consultations/{draft.id}/edit#source"' in tasks
    assert "govuk-task-list__status--cannot-start-yet" in tasks  # the window and publishing wait for the summary
    assert f'href="/consultations/{ready.id}/publish' not in tasks
    assert f'href="/consultations/{ready.id}/publish' in html(client.get(f"/consultations/{ready.id}/prepare"))


def test_a_resident_has_no_drafts_page(client, login, resident):
    login(resident)
    assert client.get("/consultations/drafts").status_code == 403
    assert 'href="/consultations/drafts"' not in html(client.get("/consultations/"))


def test_each_publishing_error_links_to_the_step_that_fixes_it(client, login, editor_and_institution, fixed_now):
    editor, institution = editor_and_institution
    fixed_now(datetime(2026, 3, 10, 7, 0))
    draft = services.save_draft(institution, editor, {**FIELDS, "summary": ""}, DRAFT)
    login(editor)
    response = client.post(f"/consultations/{draft.id}/publish", data={"opens_on": "2026-03-10", "opens_time": "09:00"})
    assert response.status_code == 400
    assert re.search(rf'<a href="/consultations/{draft.id}/edit#summary">[^<]*(plain-language summary|kopsavilkumu)', html(response))
    services.save_draft(institution, editor, FIELDS, DRAFT, draft)
    response = client.post(f"/consultations/{draft.id}/publish", data={"opens_on": "2026-03-10", "opens_time": "09:00", "closes_on": "2026-03-12"})
    assert response.status_code == 400 and 'href="#closes_on-day"' in html(response)
    assert "2026-03-24" not in html(response) and "2026. gada 24. marts" in html(response)  # never an ISO date


# --- 6. labels, hidden comments, a double click, positions, closing dates -----------------------------------------


def test_hidden_comments_are_not_counted_publicly_and_take_no_replies(client, login, during, resident, make_user):
    two = section(during, "2.")
    kept = services.add_comment(during, resident, "Paliek.", two)
    hidden = services.add_comment(during, resident, "Rupjš.", two)
    services.add_comment(during, resident, "Par visu.")
    moderation.hide(hidden, make_user(name="Moderators", is_moderator=True), HideReason.ABUSE)
    page = html(client.get(f"/consultations/{during.id}"))
    assert re.search(rf'href="/consultations/{during.id}/sections/{two.id}">1 komentārs<', page)
    assert re.search(r">1 komentārs par visu projektu<|>1 comment on the whole draft<", page)
    section_page = html(client.get(f"/consultations/{during.id}/sections/{two.id}"))
    assert ">1 komentārs<" in section_page and kept.text in section_page
    login(make_user(name="Atbildētājs"))
    section_page = html(client.get(f"/consultations/{during.id}/sections/{two.id}"))
    assert f'/comments/{kept.id}/replies"' in section_page and f'/comments/{hidden.id}/replies"' not in section_page
    refused = client.post(f"/consultations/{during.id}/comments/{hidden.id}/replies", data={"text": "Tomēr atbildu."})
    assert refused.status_code == 400 and ("nav publisks" in html(refused) or "not public" in html(refused))
    assert db.session.scalar(select(func.count(Comment.id)).where(Comment.parent_id == hidden.id)) == 0
    assert services.recount_counters() == 0  # the hidden counters agree with the rows


def test_a_comment_sent_twice_by_a_double_click_is_stored_once(client, login, during, resident):
    login(resident)
    page = html(client.get(f"/consultations/{during.id}"))
    key = next(a or b for a, b in SUBMISSION.findall(page))
    data = {"section": 0, "text": "Tikai vienreiz.", "on_behalf": 0, "submission": key}
    first = client.post(f"/consultations/{during.id}/comments", data=data)
    second = client.post(f"/consultations/{during.id}/comments", data=data)
    stored = db.session.scalars(select(Comment).where(Comment.text == "Tikai vienreiz.")).all()
    assert len(stored) == 1
    assert first.headers["Location"] == second.headers["Location"] and second.headers["Location"].endswith(f"#comment-{stored[0].id}")
    again = html(client.get(f"/consultations/{during.id}"))
    assert key not in again  # a new form, a new key
    assert services.add_comment(during, resident, "Cits.", submission_key=key).id == stored[0].id  # the service agrees


def test_a_reply_sent_twice_is_stored_once(client, login, during, resident):
    parent = services.add_comment(during, resident, "Sākums.")
    login(resident)
    data = {"text": "Viena atbilde.", "submission": "atslega-123"}
    client.post(f"/consultations/{during.id}/comments/{parent.id}/replies", data=data)
    client.post(f"/consultations/{during.id}/comments/{parent.id}/replies", data=data)
    assert db.session.scalar(select(func.count(Comment.id)).where(Comment.parent_id == parent.id)) == 1


def test_the_closing_date_shows_on_the_list_and_the_page(client, during, fixed_now):
    fixed_now(datetime(2026, 4, 10, 8, 0))
    listing = html(client.get("/consultations/?state=closed"))
    page = html(client.get(f"/consultations/{during.id}"))
    for text in (listing, page):
        assert re.search(r"(Noslēdzās|Closed on) 2026\. gada 9\. aprīlī", text)  # locative, after "closed on"
        assert "2026-04-09" not in re.sub(r'datetime="[^"]*"', "", text)


# --- 2 (summary table) and 6: one form, no position chosen before the responder does ----------------------------


@pytest.fixture
def closed_with_comments(during, make_user, fixed_now):
    comments = [services.add_comment(during, make_user(name=f"Iedzīvotājs {i}"), f"Komentārs {i}.") for i in range(3)]
    fixed_now(datetime(2026, 4, 10, 8, 0))
    services.process_closed(during)
    return during, comments


def test_the_summary_table_saves_every_filled_row_at_once(client, login, closed_with_comments, make_staff):
    consultation, (first, second, third) = closed_with_comments
    login(make_staff(consultation.institution, role=StaffRole.RESPONDER))
    page = html(client.get(f"/consultations/{consultation.id}/summary"))
    assert page.count(f'action="/consultations/{consultation.id}/positions"') == 1  # one form for the page
    assert "/position\"" not in page
    # Nothing is chosen before the responder chooses: an empty first option, selected.
    choice = re.search(rf'<select class="govuk-select[^"]*" id="c{first.id}-position" name="c{first.id}-position"[^>]*>(.*?)</select>', page, re.S)
    assert choice and re.match(r'\s*<option value="">', choice.group(1)) and "selected" not in choice.group(1)
    response = client.post(f"/consultations/{consultation.id}/positions", data={
        f"c{first.id}-position": "accepted", f"c{first.id}-reason": "Ņemts vērā pirmais.",
        f"c{second.id}-position": "noted", f"c{second.id}-reason": "Ņemts vērā otrais.",
        f"c{third.id}-position": "", f"c{third.id}-reason": "",
    })
    assert response.status_code == 302
    db.session.expire_all()
    assert [c.case.position for c in (first, second, third)] == ["accepted", "noted", None]


def test_a_row_with_a_mistake_keeps_what_was_typed_and_the_others_are_saved(client, login, closed_with_comments, make_staff):
    consultation, (first, second, third) = closed_with_comments
    login(make_staff(consultation.institution, role=StaffRole.RESPONDER))
    response = client.post(f"/consultations/{consultation.id}/positions", data={
        f"c{first.id}-position": "accepted", f"c{first.id}-reason": "Saglabājas.",
        f"c{second.id}-position": "", f"c{second.id}-reason": "Iemesls bez pozīcijas, ko nedrīkst pazaudēt.",
        f"c{third.id}-position": "partly_accepted", f"c{third.id}-reason": "x" * 5001,
    })
    page = html(response)
    assert response.status_code == 400 and "govuk-error-summary" in page
    assert "Iemesls bez pozīcijas, ko nedrīkst pazaudēt." in page and "x" * 5001 in page  # never cut
    assert f'href="#c{second.id}-position"' in page and f'href="#c{third.id}-reason"' in page
    assert re.search(rf'<option value="partly_accepted" selected>', page)
    assert first.number in page and "govuk-tag--green" in page  # the saved row is confirmed
    db.session.expire_all()
    assert first.case.position == "accepted" and second.case.position is None and third.case.position is None


def test_saving_with_no_row_filled_says_so(client, login, closed_with_comments, make_staff):
    consultation, _comments = closed_with_comments
    login(make_staff(consultation.institution, role=StaffRole.RESPONDER))
    response = client.post(f"/consultations/{consultation.id}/positions", data={})
    assert response.status_code == 400 and "govuk-error-summary" in html(response)


# --- 7. dates, 8. a name once, 9. the writing gate --------------------------------------------------------------


def test_refusals_give_latvian_dates_without_seconds(client, login, during, resident, fixed_now):
    login(resident)
    fixed_now(datetime(2026, 4, 10, 8, 0))
    response = client.post(f"/consultations/{during.id}/comments", data={"section": 0, "text": "Vēlu.", "on_behalf": 0})
    assert "2026. gada 9. aprīlī plkst. 23:59" in html(response) and "23:59:59" not in html(response)


def test_a_group_named_as_what_it_represents_is_named_once(client, during, make_group, resident):
    group = make_group(leader=resident)
    services.add_comment(during, resident, "Grupas vārdā.", group=group, represents=f"  {group.name.upper()} ")
    services.add_comment(during, resident, "Biedrības vārdā.", represents="Biedrība Zaļš")
    page = html(client.get(f"/consultations/{during.id}/comments"))
    assert f"{group.name} (" not in page and group.name in page
    assert "Anna Bērziņa (Biedrība Zaļš)" in page


def test_a_blocked_or_unconfirmed_resident_is_told_before_any_form(client, login, during, make_user):
    blocked = make_user(name="Bloķēts", blocked_at=datetime(2026, 3, 19, 10, 0), blocked_until=datetime(2026, 3, 27, 10, 0),
                        block_reason="spam")
    parent = services.add_comment(during, make_user(name="Cits"), "Komentārs, uz ko atbildēt.")
    login(blocked)
    page = html(client.get(f"/consultations/{during.id}"))
    assert "govuk-warning-text" in page and 'id="comment-form"' not in page
    assert "līdz 2026. gada 27. martam" in page  # Latvian (the default), the dative after "līdz"
    replies = html(client.get(f"/consultations/{during.id}/comments"))
    assert "govuk-warning-text" in replies and f"/comments/{parent.id}/replies" not in replies  # told, and no reply form
    client.post("/account/logout")
    login(make_user(name="Neapstiprināts", verified=False))
    two = section(during, "2.")
    for path in (f"/consultations/{during.id}", f"/consultations/{during.id}/sections/{two.id}"):
        page = html(client.get(path))
        assert "govuk-warning-text" in page and 'id="comment-form"' not in page
        assert 'action="/account/verify/resend"' in page  # "send a new confirmation link", before any form


def test_a_page_shown_again_with_errors_says_so_in_its_title(client, login, during, resident):
    login(resident)
    response = client.post(f"/consultations/{during.id}/comments", data={"section": 0, "text": "", "on_behalf": 0})
    title = re.search(r"<title>(.*?)</title>", html(response), re.S).group(1).strip()
    assert re.match(r"(Kļūda|Error):", title) and during.title in title
    assert not re.search(r"<title>\s*(Kļūda|Error):", html(client.get(f"/consultations/{during.id}")))


def test_a_reply_to_a_reply_is_not_found(client, login, during, resident):
    parent = services.add_comment(during, resident, "Sākums.")
    reply = services.add_comment(during, resident, "Atbilde.", parent=parent)
    login(resident)
    assert client.post(f"/consultations/{during.id}/comments/{reply.id}/replies", data={"text": "Vēl."}).status_code == 404
