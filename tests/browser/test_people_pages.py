"""The people-and-places pages (home, accounts, groups, institutions, moderation, administration, errors) in the
browser: axe-core finds nothing, nothing scrolls sideways at 320 px, the Nu HTML checker finds no error, and the
journeys of issue 13 behave with JavaScript on and off (a blocked account is told why before any form; a moderator
must choose a hide reason, none is chosen for them)."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from participation.accounts.models import User
from participation.consultations.models import Comment
from participation.demo import DEMO_PASSWORD
from participation.moderation.models import Report
from tests.browser.test_accessibility import (
    ADMIN_SLUG, FROM_DB, INSTITUTION_ADMIN, LANGUAGES, MODERATOR, RESIDENT, STAFF, STAFF_SLUG, Target, _group_slug,
    _hidden_comment_review, _shown_comment_of_another, assert_no_sideways_scroll, check_with_axe, open_target,
)
from tests.browser.test_html_valid import assert_valid_html

pytestmark = pytest.mark.browser

BLOCKED = "trollis@example.lv"
LEADER = "jauniesi.vaditaja@example.lv"
UNVERIFIED = "neapstiprinata@example.lv"


def _fixed(path: str):
    return lambda s: (path, None)


def _reported_comment(s) -> int:
    return s.scalar(select(Report.item_id).where(Report.item_kind == "comment", Report.resolved_at.is_(None)).order_by(Report.id))


def _a_shown_comment(s) -> int:
    return s.scalar(select(Comment.id).where(Comment.hidden_at.is_(None), Comment.moderation == "approved").order_by(Comment.id))


PAGES = [
    Target("home", None, _fixed("/"), must_show="main .govuk-button--start"),
    Target("institutions", None, _fixed("/institutions/"), must_show="main ul.app-card-list li"),
    Target("institution", None, _fixed(f"/institutions/{STAFF_SLUG}"), must_show="main ul.app-stats li"),
    Target("groups", None, _fixed("/groups/"), must_show="main ul.app-card-list li"),
    Target("group", None, lambda s: (f"/groups/{_group_slug(s)}", None), must_show="main table.app-table-stack tbody tr"),
    Target("login", None, _fixed("/account/login")),
    Target("register", None, _fixed("/account/register")),
    Target("reset", None, _fixed("/account/reset")),
    Target("login-with-errors", None, _fixed("/account/login"), submit_empty_form=True, expect_status=400),
    Target("profile", STAFF, _fixed("/account/profile"), must_show="main .govuk-summary-list"),
    Target("new-group", RESIDENT, _fixed("/groups/new"), must_show="main form textarea"),
    Target("new-group-blocked", BLOCKED, _fixed("/groups/new"), must_show="main .govuk-warning-text"),
    Target("report-blocked", BLOCKED, lambda s: (f"/moderation/report/comment/{_a_shown_comment(s)}", None),
           must_show="main .govuk-warning-text"),
    Target("report", RESIDENT, lambda s: (f"/moderation/report/comment/{_shown_comment_of_another(s)}", None),
           must_show="main .govuk-radios input[type=radio]"),
    Target("staff", INSTITUTION_ADMIN, _fixed(f"/institutions/{ADMIN_SLUG}/staff"), must_show="main table tbody tr"),
    Target("people-and-roles", "admin@example.lv", _fixed("/admin/users"), must_show="main table tbody tr"),
    Target("moderation-queue", MODERATOR, _fixed("/moderation/"), must_show="main ol.app-entries li"),
    Target("moderation-item", MODERATOR, lambda s: (f"/moderation/item/comment/{_reported_comment(s)}", None),
           must_show="main .govuk-radios input[type=radio]"),
    Target("moderation-log", None, _fixed("/moderation/log"), must_show="main table tbody tr"),
    Target("moderation-audit", MODERATOR, _fixed("/moderation/audit"), must_show="main table tbody tr"),
    Target("moderation-review", FROM_DB, lambda s: _hidden_comment_review(s), must_show="main form textarea"),
    Target("group-as-leader", LEADER, lambda s: (f"/groups/{_group_slug(s)}", None),
           must_show="main form[action$='/approve'] button"),
    Target("new-institution", "admin@example.lv", _fixed("/institutions/new"), must_show="main form input[name=slug]"),
    Target("link-does-not-work", None, _fixed("/account/verify/no-such-token"), expect_status=400),
    Target("not-found", None, _fixed("/no-such-page-here"), expect_status=404),
]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("target", PAGES, ids=[t.name for t in PAGES])
def test_people_page_has_no_wcag_violations_and_reflows_at_320_px(target, lang, new_context, live_db):
    page, _response = open_target(target, lang, new_context, live_db)
    check_with_axe(page)
    assert_no_sideways_scroll(page)


def test_people_pages_are_valid_html(new_context, live_db, tmp_path):
    assert_valid_html(PAGES, new_context, live_db, tmp_path)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_blocked_account_is_told_why_before_any_form(new_context, live_db, javascript):
    with live_db() as s:
        comment_id = _a_shown_comment(s)
    page = new_context(BLOCKED, java_script_enabled=javascript).new_page()
    for path in (f"/moderation/report/comment/{comment_id}", "/groups/new"):
        page.goto(path)
        expect(page.locator("main .govuk-warning-text")).to_be_visible()
        expect(page.locator("main textarea")).to_have_count(0)
        expect(page.locator("main input[type=radio]")).to_have_count(0)
        expect(page.locator("main a[href='/about/terms']")).to_be_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_an_unverified_account_is_offered_a_new_link_instead_of_the_group_form(new_context, live_db, javascript):
    with live_db() as s:
        if s.scalar(select(User.id).where(User.email == UNVERIFIED)) is None:
            person = User(email=UNVERIFIED, display_name="Neapstiprināta Lietotāja", locale="lv", email_verified_at=None)
            person.set_password(DEMO_PASSWORD)
            s.add(person)
            s.commit()
    page = new_context(UNVERIFIED, java_script_enabled=javascript).new_page()
    page.goto("/groups/new")
    expect(page.locator("main .govuk-warning-text")).to_be_visible()
    expect(page.locator("main form[action='/account/verify/resend'] button")).to_be_visible()
    expect(page.locator("main input[name=name]")).to_have_count(0)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_moderator_must_choose_a_hide_reason(new_context, live_db, javascript, tr):
    with live_db() as s:
        comment_id = _reported_comment(s)
    page = new_context(MODERATOR, java_script_enabled=javascript).new_page()
    page.goto(f"/language/en?next=/moderation/item/comment/{comment_id}")
    radios = page.locator("main input[type=radio][name=reason]")
    expect(radios.first).to_be_visible()
    for i in range(radios.count()):
        expect(radios.nth(i)).not_to_be_checked()
    hide_form = page.locator(f"main form[action$='/moderation/item/comment/{comment_id}/hide']")
    hide_form.locator("textarea").fill("Looked at it")
    hide_form.locator("button[type=submit]").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("a[href='#hide-reason']")).to_have_text(tr("en", "Choose a reason."))
    expect(page.locator("#hide-note")).to_have_value("Looked at it")  # the note is kept
    summary.locator("a[href='#hide-reason']").click()
    if javascript:  # GOV.UK's error summary moves focus to the first radio
        expect(page.locator("#hide-reason")).to_be_focused()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_home_page_leads_a_resident_to_what_is_open(new_context, javascript):
    page = new_context(java_script_enabled=javascript).new_page()
    page.goto("/language/en?next=/")
    start = page.locator("main a.govuk-button--start")
    expect(start).to_have_count(1)  # one call to action
    first_open = page.locator("main section[aria-labelledby=open-title] .app-card__title a").first
    title = first_open.inner_text()
    start.click()
    page.wait_for_url("**/consultations/?state=open")
    expect(page.locator("main").get_by_text(title).first).to_be_visible()
