"""Issue 13 in moderation: no preselected hide reason, hidden and waiting items are not open to reports (a clear
refusal, never a 500), the redirect after a report is a relative path back to the item, the report page tells a
blocked account why before any form, and the pages link relatively."""
import itertools
import re
from datetime import datetime, timedelta

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from participation.accounts.models import User
from participation.clock import utcnow
from participation.consultations import services as consultations
from participation.extensions import db
from participation.moderation import permissions, services
from participation.moderation.models import HideReason, Moderation, ModerationAction, Report, ReportReason

_serial = itertools.count()


@pytest.fixture
def moderator(make_user):
    return make_user("Mārtiņš Moderators", is_moderator=True)


@pytest.fixture
def comment(make_consultation):
    consultation = make_consultation(with_comment=False)
    author = User(email=f"p-autors{next(_serial)}@example.lv", display_name="Komentāra Autors", password_hash="x",
                  email_verified_at=datetime(2026, 1, 1))
    db.session.add(author)
    db.session.commit()
    return consultations.add_comment(consultation, author, "Komentārs par soliņiem.", consultation.versions[0].sections[0])


def _text(app, message, **values):
    with app.test_request_context("/"), force_locale("lv"):
        return gettext(message, **values)


def _reports():
    return db.session.scalar(select(func.count(Report.id)))


# --- the hide form: radios, none chosen beforehand ---------------------------------------------------------


def test_the_hide_form_preselects_no_reason(client, login, moderator, comment):
    login(moderator)
    page = client.get(f"/moderation/item/comment/{comment.id}").get_data(as_text=True)
    hide = page[page.index(f'action="/moderation/item/comment/{comment.id}/hide"'):]
    hide = hide[:hide.index("</form>")]
    radios = re.findall(r'<input[^>]*type="radio"[^>]*>', hide)
    assert len(radios) == len(HideReason) and all('name="reason"' in radio for radio in radios)
    assert not any("checked" in radio for radio in radios)
    assert 'id="hide-reason"' in page  # the error summary's link target
    assert len(re.findall(r'id="([^"]+)"', page)) == len(set(re.findall(r'id="([^"]+)"', page)))  # ids unique


def test_hiding_without_a_reason_is_refused_with_the_note_kept(app, client, login, moderator, comment):
    login(moderator)
    response = client.post(f"/moderation/item/comment/{comment.id}/hide", data={"note": "Adrese tekstā"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "govuk-error-summary" in page and 'href="#hide-reason"' in page
    assert _text(app, "Choose a reason.") in page and "Adrese tekstā" in page
    db.session.refresh(comment)
    assert not comment.is_hidden
    assert db.session.scalar(select(func.count(ModerationAction.id))) == 0
    # with a reason chosen, it is hidden
    assert client.post(f"/moderation/item/comment/{comment.id}/hide", data={"reason": "spam"}).status_code == 302
    db.session.refresh(comment)
    assert comment.is_hidden


# --- what can be reported ----------------------------------------------------------------------------------


def test_hidden_and_waiting_items_are_not_open_to_reports(make_user, moderator, comment):
    reader = make_user("Lasītāja")
    assert permissions.can_report(reader, comment)
    comment.moderation = Moderation.PENDING
    assert not permissions.can_report(reader, comment)
    comment.moderation = Moderation.APPROVED
    services.hide(comment, moderator, HideReason.SPAM)
    assert not permissions.can_report(reader, comment)


@pytest.mark.parametrize("state", ["hidden", "pending"])
def test_the_report_route_refuses_hidden_and_waiting_items_with_a_clear_message(app, client, login, make_user, moderator,
                                                                               comment, state):
    if state == "hidden":
        services.hide(comment, moderator, HideReason.ABUSE)
        message = "A moderator has already hidden this contribution, so it cannot be reported."
    else:
        comment.moderation = Moderation.PENDING
        db.session.commit()
        message = "This contribution is waiting for a moderator, so it cannot be reported."
    login(make_user("Ziņotāja"))
    for response in (client.get(f"/moderation/report/comment/{comment.id}"),
                     client.post(f"/moderation/report/comment/{comment.id}", data={"reason": "spam"})):
        page = response.get_data(as_text=True)
        assert response.status_code == 403
        assert _text(app, message) in page
        assert 'name="reason"' not in page  # no form to fill in vain
    assert _reports() == 0


def test_the_author_is_told_they_cannot_report_their_own(app, client, login, comment):
    author = comment.author
    author.set_password("correct horse battery")
    db.session.commit()
    login(author)
    response = client.get(f"/moderation/report/comment/{comment.id}")
    assert response.status_code == 403
    assert _text(app, "You cannot report your own contribution. If it should not be shown, ask the moderators through "
                      "the contact page.") in response.get_data(as_text=True)


def test_after_a_report_the_redirect_is_a_relative_path_back_to_the_item(app, client, login, make_user, comment, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://elsewhere.example")
    login(make_user("Ziņotāja"))
    page = client.get(f"/moderation/report/comment/{comment.id}").get_data(as_text=True)
    assert "elsewhere.example" not in page  # the back link is relative too
    response = client.post(f"/moderation/report/comment/{comment.id}", data={"reason": "spam", "text": "Reklāma"})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "elsewhere.example" not in location
    assert location.startswith(f"/consultations/{comment.consultation_id}")
    assert _reports() == 1


def test_a_report_from_an_unverified_account_is_accepted(client, login, make_user, comment):
    login(make_user("Jauna Lietotāja", verified=False))
    page = client.get(f"/moderation/report/comment/{comment.id}").get_data(as_text=True)
    assert 'name="reason"' in page
    assert client.post(f"/moderation/report/comment/{comment.id}", data={"reason": "spam"}).status_code == 302
    assert _reports() == 1


def test_a_blocked_account_reads_why_before_any_report_form(app, client, login, make_user, moderator, comment):
    reader = make_user("Bloķētā Lasītāja")
    services.block(reader, moderator, 7, HideReason.ABUSE)
    login(reader)
    response = client.get(f"/moderation/report/comment/{comment.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-warning-text" in page and 'name="reason"' not in page and "<form method=\"post\" novalidate" not in page
    # until when, as Latvian reads it after "līdz" (dative), never an ISO date
    until = db.session.get(User, reader.id).blocked_until
    from participation.dates import format_moment
    with app.test_request_context("/"), force_locale("lv"):
        assert format_moment(until, "dative") in page
    assert _reports() == 0


# --- relative links on the moderation pages ----------------------------------------------------------------


def test_the_public_log_and_the_item_page_link_relatively(app, client, login, moderator, comment, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://elsewhere.example")
    services.hide(comment, moderator, HideReason.SPAM)
    log = client.get("/moderation/log").get_data(as_text=True)
    assert f'href="/consultations/{comment.consultation_id}' in log and "elsewhere.example" not in log
    assert "app-table-stack" in log and 'data-label="' in log
    login(moderator)
    item = client.get(f"/moderation/item/comment/{comment.id}").get_data(as_text=True)
    assert f'href="/consultations/{comment.consultation_id}' in item and "elsewhere.example" not in item


def test_the_blocked_page_says_until_when_in_the_right_case(app, client, login, make_user, moderator, comment):
    resident = make_user("Bloķētais")
    services.block(resident, moderator, 7, HideReason.ABUSE)
    login(resident)
    response = client.post(f"/consultations/{comment.consultation_id}/comments", data={"section": 0, "text": "x"})
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    from participation.dates import format_moment
    with app.test_request_context("/"), force_locale("lv"):
        assert format_moment(db.session.get(User, resident.id).blocked_until, "dative") in page
    assert "plkst." in page and not re.search(r"\d{4}-\d{2}-\d{2}", page.split("<main")[1].split("</main>")[0])


def test_the_block_form_preselects_no_reason_either(app, client, login, moderator, comment):
    login(moderator)
    page = client.get(f"/moderation/item/comment/{comment.id}").get_data(as_text=True)
    block = page[page.index(f'action="/moderation/users/{comment.author_id}/block"'):]
    block = block[:block.index("</form>")]
    radios = re.findall(r'<input[^>]*type="radio"[^>]*>', block)
    assert len(radios) == len(HideReason) and not any("checked" in radio for radio in radios)
    response = client.post(f"/moderation/users/{comment.author_id}/block",
                           data={"days": "7", "back_kind": "comment", "back_id": comment.id})
    assert response.status_code == 400
    assert 'href="#block-reason"' in response.get_data(as_text=True)
    assert not db.session.get(User, comment.author_id).is_blocked()


def test_the_block_form_chooses_no_period_in_advance(client, login, make_user, make_consultation):
    from participation.consultations.models import Comment

    consultation = make_consultation()
    comment = db.session.scalars(select(Comment).where(Comment.consultation_id == consultation.id)).first()
    login(make_user(is_moderator=True))
    page = client.get(f"/moderation/item/comment/{comment.id}").get_data(as_text=True)
    start = page.index('id="block-days"')
    select_html = page[start:page.index("</select>", start)]
    assert re.search(r'<option value=""[^>]*>', select_html)  # "Choose how long" comes first
    assert re.search(r'<option value="\d+" selected', select_html) is None  # and no period is preselected
