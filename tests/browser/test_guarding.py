"""Guarding in a real browser: the security policy breaks no page (no violation reported on the console) and
the honeypot of the public forms is neither seen nor reached with the keyboard."""
import pytest
from sqlalchemy import select

from participation.consultations.models import Consultation

RESIDENT = "iedzivotajs@example.lv"


def _violations(page):
    found = []
    page.on("console", lambda message: found.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text else None)
    return found


def test_pages_run_under_the_policy_without_violations(page_as, live_db):
    with live_db() as s:
        consultation_id = s.scalar(select(Consultation.id).where(Consultation.published_at.is_not(None)).order_by(Consultation.id))
    page = page_as(RESIDENT)
    violations = _violations(page)
    for path in ["/", "/proposals/", "/proposals/new", "/consultations/", f"/consultations/{consultation_id}",
                 f"/consultations/{consultation_id}/comments", "/account/profile", "/institutions/", "/no-such-page"]:
        response = page.goto(path)
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("load")
    assert violations == []


@pytest.mark.parametrize("path", ["/account/register", "/account/login", "/account/reset"])
def test_the_honeypot_is_not_seen_or_reached(page, path):
    violations = _violations(page)
    page.goto(path)
    honeypot = page.locator("input[name=website]")
    assert honeypot.count() == 1
    # Placed far outside the page (not display:none, which some programs skip) and hidden from assistive technology.
    box = honeypot.bounding_box()
    assert box is None or box["x"] + box["width"] <= 0, box
    assert honeypot.evaluate("e => e.closest('[aria-hidden=true]') !== null")
    for _ in range(12):  # tabbing through the whole form never lands on it
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement && document.activeElement.name") != "website"
    assert violations == []
