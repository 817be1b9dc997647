"""Account and privacy in a real browser (issue 18): a resident downloads their data, then deletes the account, and
their comment stays under "Deleted account"; new terms are shown at the next log-in; the pages are valid HTML."""
import io
import json
import secrets
import zipfile

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from participation.accounts.models import User
from participation.consultations import services as consultation_services
from participation.consultations.models import Comment
from participation.extensions import db
from tests.browser.conftest import DEMO_PASSWORD, log_in
from tests.browser.test_accessibility import TARGETS, _open_consultation
from tests.browser.test_html_valid import assert_valid_html

pytestmark = pytest.mark.browser

MINE = ("admin-audit-log", "admin-person", "account-", "privacy", "terms", "accessibility-statement", "contact", "register")


def _new_resident(live_db, name: str) -> str:
    email = f"privatums.{secrets.token_hex(4)}@example.lv"
    with live_db() as s:
        user = User(email=email, display_name=name, locale="lv")
        user.set_password(DEMO_PASSWORD)
        from participation.clock import utcnow

        user.email_verified_at = utcnow()
        s.add(user)
        s.commit()
    return email


def test_download_my_data_then_delete_the_account(page, live_db, tr):
    name = f"Dzēšamā {secrets.token_hex(3)}"
    email = _new_resident(live_db, name)
    with live_db() as s:
        consultation_id = _open_consultation(s)
        from participation.consultations.models import Consultation

        consultation = s.get(Consultation, consultation_id)
        author = s.scalars(select(User).where(User.email == email)).one()
        comment = consultation_services.add_comment(consultation, author, "PĀRLŪKA-KOMENTĀRS, kas paliks.")
        comment_id = comment.id
    log_in(page, email)

    page.goto("/account/profile")
    page.locator("main").get_by_role("link", name=tr("lv", "Download your data")).click()
    with page.expect_download() as download:
        page.locator("main").get_by_role("button", name=tr("lv", "Download my data (ZIP)")).click()
    archive = zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read()))
    account = json.loads(archive.read("account.json"))
    comments = json.loads(archive.read("comments.json"))
    assert account["email"] == email and [c["text"] for c in comments] == ["PĀRLŪKA-KOMENTĀRS, kas paliks."]

    page.goto("/account/profile")
    page.locator("main").get_by_role("link", name=tr("lv", "Delete your account")).click()
    page.get_by_role("button", name=tr("lv", "Delete my account")).click()  # nothing filled in: told at the fields
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    page.locator("#current_password").fill(DEMO_PASSWORD)
    page.get_by_label(tr("lv", "I understand that my account is deleted for good and cannot be restored")).check()
    page.get_by_role("button", name=tr("lv", "Delete my account")).click()
    expect(page.locator("main .govuk-notification-banner")).to_be_visible()
    with live_db() as s:
        assert s.scalars(select(User).where(User.email == email)).first() is None
        assert s.get(Comment, comment_id) is not None  # the words stay

    page.goto(f"/consultations/{consultation_id}/comments")
    main = page.locator("main")
    expect(main).to_contain_text("PĀRLŪKA-KOMENTĀRS")
    expect(main).to_contain_text(tr("lv", "Deleted account"))
    expect(main).not_to_contain_text(name)


def test_new_terms_are_shown_at_the_next_log_in(page, live_db, tr):
    email = _new_resident(live_db, "Vecie Noteikumi")
    with live_db() as s:
        user = s.scalars(select(User).where(User.email == email)).one()
        user.terms_version = "2020-01-01"
        s.commit()
    log_in(page, email)
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("lv", "New terms of use"))
    page.goto("/proposals/")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("lv", "New terms of use"))
    page.get_by_role("button", name=tr("lv", "I accept the terms")).click()
    expect(page.locator("main .govuk-notification-banner")).to_be_visible()
    page.goto("/proposals/")
    expect(page.get_by_role("heading", level=1)).not_to_have_text(tr("lv", "New terms of use"))


def test_the_account_and_legal_pages_are_valid_html(new_context, live_db, tmp_path):
    assert_valid_html([t for t in TARGETS if t.name.startswith(MINE)], new_context, live_db, tmp_path)
