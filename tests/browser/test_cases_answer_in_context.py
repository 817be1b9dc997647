"""Staff answer in context, in a real browser with JavaScript on and off: the answer page shows the submission being
answered above the form; a second tab that sends an answer after the first is told "This case was already answered"
with a link to the answer, and keeps the typed text on the page (not a 403). The pages pass axe-core."""
import re
import secrets

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import select

from participation.accounts.models import User
from participation.cases import services as case_services
from participation.cases.models import Channel, Response
from participation.extensions import db
from participation.institutions.models import Institution

pytestmark = pytest.mark.browser

LV = "lv"
STAFF = "rezekne.atbildes@example.lv"
RESIDENT = "iedzivotajs@example.lv"
SLUG = "rezeknes-novads"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _banner(page):
    return page.locator("main .govuk-notification-banner .govuk-notification-banner__heading")


def _fits_320_px(page) -> None:
    """WCAG 1.4.10 reflow: at 320 CSS pixels the page itself never scrolls sideways."""
    page.set_viewport_size({"width": 320, "height": 700})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 321, f"{page.url} is {width} px wide at 320 px"
    page.set_viewport_size({"width": 1100, "height": 900})


def _no_axe_violations(page) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


@pytest.fixture
def fresh_case(live_app):
    """A new case at Rēzekne raised by the demo resident, with words to answer (its own, so tests do not share it)."""
    def _make(title: str, body: str) -> int:
        with live_app.app_context():
            institution = db.session.scalar(select(Institution).where(Institution.slug == SLUG))
            resident = db.session.scalar(select(User).where(User.email == RESIDENT))
            case = case_services.open_case(institution, Channel.OFFLINE, title, raised_by=resident, body=body)
            case_id = case.id
            db.session.remove()
        return case_id
    return _make


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_a_second_tab_is_told_the_case_was_answered_and_keeps_its_text(page_as, tr, live_db, fresh_case, javascript):
    token = secrets.token_hex(3)
    title = f"Soliņi pie Maltas bibliotēkas ({token})"
    body = f"Pie bibliotēkas nav neviena soliņa, kur apsēsties senioriem ({token})."
    case_id = fresh_case(title, body)
    first = page_as(STAFF, java_script_enabled=javascript)
    second = first.context.new_page()  # the same person, the answer page open in a second tab
    for tab in (first, second):
        tab.goto(f"/cases/{case_id}/answer")
        expect(tab.get_by_role("heading", level=1)).to_have_text(tr(LV, "Answer"))
        subject = tab.locator("main .app-case-subject")
        expect(subject.get_by_role("heading", level=2)).to_have_text(tr(LV, "What you are answering"))
        expect(subject).to_contain_text(title)
        expect(subject).to_contain_text(body)  # the words being answered, above the form
    if javascript:
        _no_axe_violations(first)
        _fits_320_px(first)

    first.get_by_label(tr(LV, "Position"), exact=True).select_option("accepted")
    first.get_by_label(tr(LV, "Answer"), exact=True).fill(f"Uzstādīsim divus soliņus ({token}).")
    first.get_by_role("button", name=tr(LV, "Publish the answer")).click()
    expect(_banner(first)).to_have_text(tr(LV, "The answer is published in the response log."))

    late = f"Otrajā cilnē rakstīta atbilde, kas nedrīkst pazust ({token})."
    second.get_by_label(tr(LV, "Position"), exact=True).select_option("noted")
    second.get_by_label(tr(LV, "Answer"), exact=True).fill(late)
    with second.expect_response(lambda r: r.request.method == "POST") as posted:
        second.get_by_role("button", name=tr(LV, "Publish the answer")).click()
    assert posted.value.status == 409  # a conflict, not a permission error

    expect(_banner(second)).to_have_text(tr(LV, "This case was already answered."))
    with live_db() as s:
        answer_id = s.scalars(select(Response.id).where(Response.case_id == case_id)).one()
    link = second.get_by_role("link", name=tr(LV, "See what was recorded"))
    expect(link).to_have_attribute("href", f"/cases/{case_id}#response-{answer_id}")
    expect(second.locator("main .app-kept")).to_contain_text(late)  # nothing typed is lost
    expect(second.locator("main form[novalidate]")).to_have_count(0)
    if javascript:
        _no_axe_violations(second)
        _fits_320_px(second)
    link.click()
    expect(second).to_have_url(re.compile(rf"/cases/{case_id}#response-{answer_id}$"))
    expect(second.locator(f"#response-{answer_id}")).to_contain_text(f"Uzstādīsim divus soliņus ({token}).")


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_a_proposal_is_checked_and_confirmed_with_its_receipt_number(page_as, tr, live_db, javascript):
    token = secrets.token_hex(3)
    title = f"Dzeramā ūdens strūklaka parkā ({token})"
    with live_db() as s:
        institution_name = s.scalar(select(Institution.name).where(Institution.slug == SLUG))
    page = page_as(RESIDENT, java_script_enabled=javascript)
    page.goto("/proposals/new")
    problem = page.locator("main").get_by_label(tr(LV, "The problem"), exact=True)
    count = page.locator("#problem-info")
    if javascript:  # GOV.UK's character count counts while typing
        typed = "Vasarā parkā nav kur padzerties."
        problem.fill(typed)
        status = page.locator("[data-module=govuk-character-count]:has(#problem) .govuk-character-count__status")
        expect(status).to_contain_text(str(5000 - len(typed)))
    else:  # without JavaScript the limit is stated before typing
        expect(count).to_be_visible()
        problem.fill("Vasarā parkā nav kur padzerties.")
    page.locator("main").get_by_label(tr(LV, "To which institution"), exact=True).select_option(label=institution_name)
    page.locator("main").get_by_label(tr(LV, "Title"), exact=True).fill(title)
    page.locator("main").get_by_label(tr(LV, "The proposed solution"), exact=True).fill("Uzstādīt strūklaku pie ieejas.")
    page.locator("main").get_by_label(tr(LV, "Where"), exact=True).select_option("Rēzeknes novads")
    page.get_by_role("button", name=tr(LV, "Continue: check before submitting")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(tr(LV, "Check before submitting"))
    expect(page.locator("main .app-check-answers")).to_contain_text(title)
    if javascript:
        _no_axe_violations(page)
        _fits_320_px(page)
    page.get_by_role("button", name=tr(LV, "Submit the proposal")).click()

    panel = page.locator("main .govuk-panel--confirmation")
    expect(panel.get_by_role("heading", level=1)).to_have_text(tr(LV, "Proposal submitted"))
    number = panel.locator(".app-receipt-number").inner_text()
    assert re.fullmatch(r"L-\d{4}-\d{6}", number), number
    if javascript:
        _no_axe_violations(page)
        _fits_320_px(page)
    page.get_by_role("link", name=tr(LV, "See your proposal")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("main .app-proposal-facts")).to_contain_text(number)
