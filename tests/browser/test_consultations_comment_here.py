"""Comment on a point, in a real browser (issue 13): every section of an open consultation has its own "Comment on
point N". With JavaScript the page's one comment form opens under the section, with the section chosen (moved, so
no id appears twice); without it the link opens the section's page with the form there. Both send the comment."""
import re
import secrets

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from participation.clock import utcnow
from participation.consultations.models import Comment, Consultation, DraftVersion, Section, point_number

pytestmark = pytest.mark.browser

LV = "lv"
RESIDENT = "iedzivotajs@example.lv"
DUPLICATE_IDS = "() => { const ids = [...document.querySelectorAll('[id]')].map(e => e.id); return ids.length - new Set(ids).size; }"


@pytest.fixture
def open_draft(live_db):
    """An open consultation of the demo and two of its numbered points."""
    with live_db() as s:
        now = utcnow()
        consultation = s.scalars(select(Consultation).where(
            Consultation.published_at.is_not(None), Consultation.opens_at <= now, Consultation.closes_at >= now,
        ).order_by(Consultation.id)).first()
        assert consultation is not None, "the demo has an open consultation"
        version = s.scalar(select(DraftVersion.id).where(DraftVersion.consultation_id == consultation.id, DraftVersion.number == 1))
        points = s.execute(select(Section.id, Section.number).where(Section.version_id == version, Section.number != "")
                           .order_by(Section.position)).all()
        assert len(points) >= 2
        return consultation.id, [(row.id, row.number) for row in points[:2]]


def _comment_text():
    return f"Komentārs par punktu ({secrets.token_hex(3)})."


def _stored(live_db, text):
    with live_db() as s:
        return s.scalar(select(Comment).where(Comment.text == text))


def test_with_javascript_the_form_opens_under_the_section(page_as, tr, live_db, open_draft):
    consultation_id, [(first_id, first_number), (second_id, second_number)] = open_draft
    page = page_as(RESIDENT)
    page.goto(f"/consultations/{consultation_id}")
    expect(page.locator("#comment-form")).to_have_count(1)
    expect(page.locator("#comment").get_by_role("link", name=tr(LV, "Comment on the whole draft"), exact=True)).to_be_hidden()
    under_second = page.locator(f"#comment-here-{second_id}")
    expect(under_second).to_be_hidden()

    page.locator(f"li#section-{first_id}").get_by_role(
        "link", name=tr(LV, "Comment on point %(number)s", number=point_number(first_number)), exact=True).click()
    expect(page.locator(f"#comment-here-{first_id} #comment-form")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/consultations/{consultation_id}$"))  # no page was loaded
    page.locator(f"li#section-{second_id}").get_by_role(
        "link", name=tr(LV, "Comment on point %(number)s", number=point_number(second_number)), exact=True).click()
    form = page.locator(f"#comment-here-{second_id} #comment-form")
    expect(form).to_be_visible()
    expect(page.locator(f"#comment-here-{first_id}")).to_be_hidden()
    expect(page.locator("#comment-form")).to_have_count(1)
    assert page.evaluate(DUPLICATE_IDS) == 0
    expect(form.get_by_label(tr(LV, "What you comment on"), exact=True)).to_have_value(str(second_id))
    text_box = form.get_by_label(tr(LV, "Your comment"), exact=True)
    expect(text_box).to_be_focused()

    # Away from its place at the end, a link there brings the form back, for a comment on the whole draft.
    home_link = page.locator("#comment").get_by_role("link", name=tr(LV, "Comment on the whole draft"), exact=True)
    expect(home_link).to_be_visible()
    home_link.click()
    expect(page.locator("#comment-home #comment-form")).to_be_visible()
    expect(page.locator(f"#comment-here-{second_id}")).to_be_hidden()
    expect(page.locator("#comment-form").get_by_label(tr(LV, "What you comment on"), exact=True)).to_have_value("0")
    expect(home_link).to_be_hidden()
    page.locator(f"li#section-{second_id}").get_by_role(
        "link", name=tr(LV, "Comment on point %(number)s", number=point_number(second_number)), exact=True).click()
    expect(form).to_be_visible()

    text = _comment_text()
    text_box.fill(text)
    form.get_by_role("button", name=tr(LV, "Send the comment"), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/consultations/{consultation_id}/sections/{second_id}(\?page=\d+)?#comment-\d+$"))
    stored = _stored(live_db, text)
    assert stored is not None and stored.section_id == second_id
    expect(page.locator(f"#comment-{stored.id}")).to_contain_text(text)


def test_without_javascript_the_link_opens_the_sections_page_with_the_form(page_as, tr, live_db, open_draft):
    consultation_id, [(first_id, first_number), _second] = open_draft
    page = page_as(RESIDENT, java_script_enabled=False)
    page.goto(f"/consultations/{consultation_id}")
    page.locator(f"li#section-{first_id}").get_by_role(
        "link", name=tr(LV, "Comment on point %(number)s", number=point_number(first_number)), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/consultations/{consultation_id}/sections/{first_id}#comment-form$"))
    section_text = page.locator("main .app-section-quote")
    expect(section_text).to_be_visible()
    form = page.locator("#comment-form")
    expect(form.get_by_label(tr(LV, "What you comment on"), exact=True)).to_have_value(str(first_id))
    text = _comment_text()
    form.get_by_label(tr(LV, "Your comment"), exact=True).fill(text)
    form.get_by_role("button", name=tr(LV, "Send the comment"), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/consultations/{consultation_id}/sections/{first_id}(\?page=\d+)?#comment-\d+$"))
    stored = _stored(live_db, text)
    assert stored is not None and stored.section_id == first_id
    expect(page.locator(f"#comment-{stored.id}")).to_contain_text(text)


def test_signed_out_the_link_leads_to_the_section_page_which_says_how_to_comment(page, tr, open_draft):
    consultation_id, [(first_id, first_number), _second] = open_draft
    page.goto(f"/consultations/{consultation_id}")
    page.locator(f"li#section-{first_id}").get_by_role(
        "link", name=tr(LV, "Comment on point %(number)s", number=point_number(first_number)), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/sections/{first_id}#comment-form$"))
    expect(page.locator("#comment-form")).to_have_count(0)
    expect(page.locator("main").get_by_role("link", name=tr(LV, "Log in to %(what)s", what=tr(LV, "comment on this draft")))).to_be_visible()
