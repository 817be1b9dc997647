"""Real journeys in a real browser against the live demo: what a person sees, not what the server returns."""
import re
import secrets

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from participation.cases.models import AWAITING_STATES, Case
from participation.demo import DEMO_PASSWORD
from participation.institutions.models import Institution
from tests.browser.conftest import html_lang, link_in, log_in

pytestmark = pytest.mark.browser

STAFF = "rezekne.atbildes@example.lv"
SLUG = "rezeknes-novads"
OVERDUE_TITLE = "Apgaismojums gājēju celiņam Viļānos"


def _main_nav(page, tr, lang):
    return page.get_by_role("navigation", name=tr(lang, "Main"), exact=True)


def _banner(page):
    """The message after an action: GOV.UK's notification banner at the top of main."""
    return page.locator("main .govuk-notification-banner .govuk-notification-banner__heading")


def _awaiting_case_id(live_db, slug: str) -> int:
    with live_db() as s:
        case_id = s.scalar(
            select(Case.id).join(Institution, Case.institution_id == Institution.id)
            .where(Institution.slug == slug, Case.state.in_(AWAITING_STATES), Case.is_private.is_(False))
            .order_by(Case.id)
        )
    assert case_id is not None, f"the demo should have a case awaiting an answer at {slug}"
    return case_id


def test_register_verify_log_out_log_in_and_switch_language(page, live_url, tr, outbox):
    lv, en = "lv", "en"
    name = "Inese Testa"
    email = f"inese.{secrets.token_hex(4)}@example.lv"
    password = "ziema rudens pavasaris"

    page.goto("/")
    assert html_lang(page) == lv
    _main_nav(page, tr, lv).get_by_role("link", name=tr(lv, "Register"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lv, "Create an account"))

    page.get_by_label(tr(lv, "Name shown with what you write"), exact=True).fill(name)
    page.get_by_label(tr(lv, "E-mail address"), exact=True).fill(email)
    page.get_by_label(tr(lv, "Password"), exact=True).fill(password)
    page.get_by_label(tr(lv, "Repeat the password"), exact=True).fill(password)
    expect(page.locator("main").get_by_label(tr(lv, "Language"), exact=True)).to_have_value(lv)
    page.get_by_label(tr(lv, "I accept the terms and community rules and I have read the privacy notice"), exact=True).check()
    page.get_by_role("button", name=tr(lv, "Create the account")).click()

    # The same page for a new and a known address (issue 14): check your e-mail, then log in.
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lv, "Check your e-mail"))
    expect(page.locator("main")).to_contain_text(email)
    assert html_lang(page) == lv

    messages = outbox(email)
    assert len(messages) == 1, [m.subject for m in messages]
    assert messages[0].subject == tr(lv, "Confirm your e-mail address")
    link = link_in(messages[0].body, live_url)
    assert "/account/verify/" in link

    page.goto(link)
    expect(_banner(page)).to_have_text(tr(lv, "Thank you, your e-mail address is confirmed."))
    page.get_by_label(tr(lv, "E-mail address"), exact=True).fill(email)
    page.get_by_label(tr(lv, "Password"), exact=True).fill(password)
    page.locator("main").get_by_role("button", name=tr(lv, "Log in")).click()
    expect(_banner(page)).to_have_text(tr(lv, "You are logged in."))
    _main_nav(page, tr, lv).get_by_role("link", name=tr(lv, "My profile"), exact=True).click()
    expect(page.locator("main .govuk-summary-list")).to_contain_text(email)
    expect(page.locator("main .govuk-summary-list .govuk-tag").first).to_have_text(tr(lv, "confirmed"))

    _main_nav(page, tr, lv).get_by_role("button", name=tr(lv, "Log out")).click()
    expect(_banner(page)).to_have_text(tr(lv, "You are logged out."))
    expect(_main_nav(page, tr, lv).get_by_role("button", name=tr(lv, "Log out"))).to_have_count(0)

    _main_nav(page, tr, lv).get_by_role("link", name=tr(lv, "Log in"), exact=True).click()
    page.get_by_label(tr(lv, "E-mail address"), exact=True).fill(email)
    page.get_by_label(tr(lv, "Password"), exact=True).fill(password)
    page.locator("main").get_by_role("button", name=tr(lv, "Log in")).click()
    expect(_banner(page)).to_have_text(tr(lv, "You are logged in."))
    expect(_main_nav(page, tr, lv).get_by_role("button", name=tr(lv, "Log out"))).to_be_visible()

    languages = page.get_by_role("navigation", name=tr(lv, "Language"), exact=True)
    languages.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", en)
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(en, "Have your say in what institutions decide"))
    expect(_main_nav(page, tr, en).get_by_role("button", name=tr(en, "Log out"))).to_be_visible()
    expect(page.get_by_role("navigation", name=tr(en, "Language"), exact=True).locator("[aria-current]")).to_have_text("English")
    # The English page really is in English.
    expect(page.get_by_role("heading", name="Have your say in what institutions decide")).to_be_visible()
    expect(page.get_by_role("link", name="Institutions", exact=True).first).to_be_visible()

    page.get_by_role("navigation", name=tr(en, "Language"), exact=True).get_by_role("link", name="Latviešu").click()
    expect(page.locator("html")).to_have_attribute("lang", lv)
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lv, "Have your say in what institutions decide"))
    expect(page.get_by_role("navigation", name=tr(lv, "Language"), exact=True).locator("[aria-current]")).to_have_text("Latviešu")
    # And it is Latvian again, not the English text under a Latvian lang attribute.
    assert page.get_by_role("heading", level=1).inner_text() != "Have your say in what institutions decide", (
        "the Latvian page shows the English heading: is the lv catalogue compiled (pybabel compile)?"
    )


def test_register_errors_are_summarised_and_shown_at_the_fields(page, tr, outbox):
    lv = "lv"
    name = "Kārlis Kļūda"
    email = f"karlis.{secrets.token_hex(4)}@example.lv"

    page.goto("/account/register")
    page.get_by_label(tr(lv, "Name shown with what you write"), exact=True).fill(name)
    page.get_by_label(tr(lv, "E-mail address"), exact=True).fill(email)
    page.get_by_label(tr(lv, "Password"), exact=True).fill("īss")
    page.get_by_label(tr(lv, "Repeat the password"), exact=True).fill("cits")
    page.get_by_label(tr(lv, "I accept the terms and community rules and I have read the privacy notice"), exact=True).check()
    page.get_by_role("button", name=tr(lv, "Create the account")).click()

    too_short = tr(lv, "Use at least %(n)s characters.", n=12)
    mismatch = tr(lv, "The passwords do not match.")

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("[role=alert]")).to_be_attached()
    expect(summary.get_by_role("heading", level=2)).to_have_text(tr(lv, "There is a problem"))
    # The summary is the first thing in the content, above the form.
    assert page.evaluate(
        "document.querySelector('.govuk-error-summary').compareDocumentPosition(document.querySelector('main form'))"
        " & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    expect(summary.get_by_role("link", name=too_short)).to_have_attribute("href", "#password")
    expect(summary.get_by_role("link", name=mismatch)).to_have_attribute("href", "#confirm")
    expect(summary.get_by_role("link")).to_have_count(2)

    password = page.get_by_label(tr(lv, "Password"), exact=True)
    confirm = page.get_by_label(tr(lv, "Repeat the password"), exact=True)
    expect(page.locator("#password-error")).to_contain_text(too_short)
    expect(page.locator("#confirm-error")).to_contain_text(mismatch)
    # GOV.UK's pattern: the message is tied to the field (aria-describedby) and the field is marked by its class.
    expect(password).to_have_class(re.compile(r"\bgovuk-input--error\b"))
    expect(confirm).to_have_class(re.compile(r"\bgovuk-input--error\b"))
    expect(password).to_have_attribute("aria-describedby", re.compile(r"\bpassword-error\b"))
    expect(confirm).to_have_attribute("aria-describedby", re.compile(r"\bconfirm-error\b"))

    # What was typed is kept, except the passwords.
    expect(page.get_by_label(tr(lv, "Name shown with what you write"), exact=True)).to_have_value(name)
    expect(page.get_by_label(tr(lv, "E-mail address"), exact=True)).to_have_value(email)
    expect(password).to_have_value("")

    # A link in the summary takes the person to the field.
    summary.get_by_role("link", name=mismatch).click()
    expect(confirm).to_be_focused()

    assert outbox(email) == []
    expect(_main_nav(page, tr, lv).get_by_role("link", name=tr(lv, "Log in"), exact=True)).to_be_visible()


def test_staff_answers_an_overdue_case_and_the_answer_is_in_the_public_log(page, new_context, tr, live_db):
    lv = "lv"
    answer = f"Apgaismojumu uzstādīsim līdz nākamā gada pavasarim (pārbaude {secrets.token_hex(4)})."

    log_in(page, STAFF, DEMO_PASSWORD)
    page.goto(f"/institutions/{SLUG}/inbox")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lv, "Inbox"))

    row = page.locator("table.app-inbox tbody tr").filter(has=page.get_by_role("link", name=OVERDUE_TITLE, exact=True))
    expect(row).to_have_count(1)
    expect(row).to_have_class(re.compile(r"\bapp-row--overdue\b"))
    expect(row.locator(".govuk-tag--red")).to_have_text(tr(lv, "overdue"))
    expect(row.locator(".govuk-tag--red")).to_be_visible()
    # Only overdue cases are marked: as many red tags as overdue rows, each inside one.
    overdue_rows = page.locator("table.app-inbox tbody tr.app-row--overdue").count()
    assert overdue_rows >= 1
    expect(page.locator("table.app-inbox .govuk-tag--red")).to_have_count(overdue_rows)
    expect(page.locator("table.app-inbox tbody tr.app-row--overdue .govuk-tag--red")).to_have_count(overdue_rows)

    row.get_by_role("link", name=OVERDUE_TITLE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(OVERDUE_TITLE)
    expect(page.locator(".app-case-facts .govuk-tag--red")).to_have_text(tr(lv, "overdue"))
    actions = page.get_by_role("navigation", name=tr(lv, "Case actions"))
    actions.locator("a[href$='/answer']").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lv, "Answer"))
    page.get_by_label(tr(lv, "Position"), exact=True).select_option("partly_accepted")
    page.get_by_label(tr(lv, "Answer"), exact=True).fill(answer)
    page.get_by_role("button", name=tr(lv, "Publish the answer")).click()

    expect(_banner(page)).to_have_text(tr(lv, "The answer is published in the response log."))
    expect(page.get_by_role("heading", level=1)).to_have_text(OVERDUE_TITLE)
    expect(page.locator(".app-case-facts")).to_contain_text(tr(lv, "Answered"))
    expect(page.locator(".app-case-facts .govuk-tag--red")).to_have_count(0)
    # No more answering, extending or forwarding; only recording that the accepted part was carried out.
    after = page.get_by_role("navigation", name=tr(lv, "Case actions"))
    expect(after.locator("a[href$='/answer'], a[href$='/extend'], a[href$='/forward']")).to_have_count(0)
    expect(after.locator("a[href$='/implemented']")).to_have_count(1)

    # Anyone, not logged in, sees the answer in the institution's public response log.
    public = new_context().new_page()
    public.goto(f"/institutions/{SLUG}/log")
    expect(public.get_by_role("heading", level=1)).to_have_text(tr(lv, "Response log"))
    expect(_main_nav(public, tr, lv).get_by_role("link", name=tr(lv, "Log in"), exact=True)).to_be_visible()
    entry = public.locator("ol.app-entries > li").filter(has_text=answer)
    expect(entry).to_have_count(1)
    expect(entry.locator(".app-entry__head")).to_contain_text(tr(lv, "Partly accepted"))
    expect(entry.get_by_role("link", name=OVERDUE_TITLE)).to_be_visible()
    # Newest first.
    expect(public.locator("ol.app-entries > li").first).to_contain_text(answer)


@pytest.mark.parametrize("path", ["/", "/account/register", "/institutions/rezeknes-novads"])
def test_first_tab_reaches_the_skip_link_which_moves_focus_to_main(page, tr, path):
    page.goto(path)
    page.keyboard.press("Tab")
    skip = page.locator("a.govuk-skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_have_text(tr("lv", "Skip to main content"))
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, f"the focused skip link is off screen: {box}"

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.tagName + '#' + document.activeElement.id") == "MAIN#main-content"
    expect(page.locator("main#main-content")).to_be_focused()
    # The next Tab continues inside main, not back at the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_no_horizontal_scrolling_at_320_px(page_as, live_db, lang):
    case_id = _awaiting_case_id(live_db, SLUG)
    page = page_as(STAFF, viewport={"width": 320, "height": 640})
    for path in ["/", f"/institutions/{SLUG}/inbox", f"/cases/{case_id}"]:
        page.goto(f"/language/{lang}?next={path}")
        assert html_lang(page) == lang
        assert page.url.endswith(path), page.url
        widths = page.evaluate(
            "({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth})"
        )
        assert widths["scroll"] <= 320 + 1, f"{path} ({lang}) scrolls sideways at 320 px: {widths}"
