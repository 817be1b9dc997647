"""The layout in a real browser: GOV.UK Frontend's JavaScript runs from our origin as a module under the strict CSP
(no inline script), the navigation collapses into a menu button on a phone with JavaScript and stays a plain list
without it, and the character count counts while typing."""
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}
RESIDENT = "iedzivotajs@example.lv"


def _csp_violations(page) -> list[str]:
    messages = []
    page.on("console", lambda message: messages.append(message.text) if "Content Security Policy" in message.text else None)
    page.on("pageerror", lambda error: messages.append(str(error)))
    return messages


def test_frontend_javascript_runs_as_a_module_without_breaking_the_csp(page):
    problems = _csp_violations(page)
    page.goto("/")
    expect(page.locator("body.govuk-frontend-supported")).to_be_attached()
    assert problems == []


def test_on_a_phone_the_navigation_is_a_menu_button_with_javascript(new_context):
    page = new_context(viewport=PHONE).new_page()
    page.goto("/")
    toggle = page.locator(".govuk-service-navigation__toggle")
    links = page.locator(".govuk-service-navigation__list")
    expect(toggle).to_be_visible()
    expect(links).to_be_hidden()
    toggle.click()
    expect(links).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(links.get_by_role("link").first).to_be_visible()


def test_without_javascript_the_navigation_stays_a_plain_list(new_context):
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    page.goto("/")
    expect(page.locator(".govuk-service-navigation__toggle")).to_be_hidden()
    expect(page.locator(".govuk-service-navigation__list")).to_be_visible()
    expect(page.locator(".govuk-service-navigation__list a[href='/consultations/']")).to_be_visible()


def test_the_character_count_counts_while_typing(page_as):
    page = page_as(RESIDENT)
    page.goto("/language/en?next=/proposals/new")
    counter = page.locator(".govuk-character-count").first
    textarea = counter.locator("textarea")
    status = counter.locator(".govuk-character-count__status")
    limit = int(textarea.get_attribute("data-maxlength") or counter.get_attribute("data-maxlength"))
    textarea.fill("abc")
    expect(status).to_have_text(f"You have {limit - 3:,} characters remaining")  # English groups thousands with commas
    textarea.fill("x" * (limit + 2))
    expect(status).to_have_text("You have 2 characters too many")
    expect(status).to_have_class(re.compile(r"\bgovuk-error-message\b"))
