"""The consultations channel in a real browser, in Latvian: a municipality's editor prepares and publishes a draft
binding regulation, residents comment on it, the window closes on the server's clock, the responder records a
position on every comment, the summary table becomes public, and version 2 shows each commenter what changed.

The app's clock is moved past the closing moment (the live server runs in this process) and always reset; the
journey creates its own consultation and runs after the other browser tests (see RUN_LAST in conftest.py).
Texts come from the catalogues through tr()/trn(), so the assertions hold whatever the translation says."""
import csv
import io
import re
import secrets
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from participation.clock import riga_today
from participation.consultations.models import Comment, Consultation, DraftVersion, Section, section_choice_label
from participation.consultations.services import closing_moment
from participation.institutions.models import Institution

pytestmark = pytest.mark.browser

LV = "lv"
EDITOR = "ministrija.redaktors@example.lv"  # an editor at the ministry and at both municipalities
RESPONDER = "rezekne.atbildes@example.lv"
RESIDENT = "iedzivotajs@example.lv"
SENIOR = "seniors@example.lv"
SLUG = "rezeknes-novads"
TERRITORY = "Rēzeknes novads"
MUNICIPAL_MINIMUM = 14  # days (Local Government Law, art. 46(3))

POINT_1 = "Noteikumi nosaka pagastu pārvalžu pieņemšanas laikus Rēzeknes novadā."
POINT_2 = "Pagasta pārvalde pieņem apmeklētājus darba dienās no 9.00 līdz 17.00."
POINT_3 = "Noteikumi stājas spēkā nākamajā dienā pēc publicēšanas."
ADDED = "un sestdienās"
POINT_2_V2 = POINT_2.replace("darba dienās", f"darba dienās {ADDED}")
DRAFT = f"1. {POINT_1}\n2. {POINT_2}\n3. {POINT_3}\n"
DRAFT_V2 = f"1. {POINT_1}\n2. {POINT_2_V2}\n3. {POINT_3}\n"


def _flash(page):
    return page.locator("main .govuk-notification-banner--success .govuk-notification-banner__heading")


def _day_input(page, tr, legend):
    """GOV.UK's date input: the day, month and year boxes under the legend."""
    return page.locator("main fieldset").filter(has=page.locator("legend", has_text=tr(LV, legend)))


def _fill_day(page, tr, legend, value):
    group = _day_input(page, tr, legend)
    group.get_by_label(tr(LV, "Day"), exact=True).fill(str(value.day))
    group.get_by_label(tr(LV, "Month"), exact=True).fill(str(value.month))
    group.get_by_label(tr(LV, "Year"), exact=True).fill(str(value.year))


def _field(page, tr, msgid):
    return page.locator("main").get_by_label(tr(LV, msgid), exact=True)


def _button(page, tr, msgid, **values):
    return page.locator("main").get_by_role("button", name=tr(LV, msgid, **values), exact=True)


def test_municipal_draft_is_published_commented_closed_answered_and_version_2_shows_the_changes(
    page_as, new_context, tr, trn, outbox, live_db, app_clock, live_app
):
    from flask_babel import force_locale

    from participation.dates import format_day, format_moment

    def latvian_day(value):
        with live_app.test_request_context("/"), force_locale(LV):
            return format_day(value)

    def latvian_moment(value):
        with live_app.test_request_context("/"), force_locale(LV):
            return format_moment(value)

    token = secrets.token_hex(3)
    title = f"Pagastu pārvalžu pieņemšanas laiki ({token})"
    comment_text = f"Lūdzu pieņemt apmeklētājus arī sestdienās, jo darba dienās strādāju Rēzeknē ({token})."
    senior_text = f"Lūdzu publicēt pieņemšanas laikus arī pagasta avīzē ({token})."
    retry_text = f"Un vēl: pārvaldēm vajag arī vakara pieņemšanu ({token})."
    reasons = {}

    with live_db() as s:
        institution_name = s.scalar(select(Institution.name).where(Institution.slug == SLUG))
    assert institution_name, f"the demo should have the institution {SLUG}"

    # --- a. the editor prepares the draft, checks the split, and publishes with the municipal minimum ------------
    editor = page_as(EDITOR)
    editor.goto("/consultations/new")
    expect(editor.get_by_role("heading", level=1)).to_have_text(tr(LV, "Prepare a consultation"))
    _field(editor, tr, "Institution").select_option(label=institution_name)
    _field(editor, tr, "Title").fill(title)
    _field(editor, tr, "Type of document").select_option(label=tr(LV, "Municipal binding regulation"))
    _field(editor, tr, "Policy area").select_option(label=tr(LV, "Public administration"))
    _field(editor, tr, "Territory").select_option(TERRITORY)
    _field(editor, tr, "Responsible official").fill("Ilze Kalniņa")
    _field(editor, tr, "Official's contact").fill("ilze.kalnina@example.lv")
    _field(editor, tr, "The problem").fill("Pagastu pārvaldes strādā katra savā laikā, un cilvēki to nezina.")
    _field(editor, tr, "The goal").fill("Vienoti pieņemšanas laiki visās pagastu pārvaldēs.")
    _field(editor, tr, "Plain-language summary").fill("Visas pagastu pārvaldes pieņems apmeklētājus vienā laikā.")
    _field(editor, tr, "Text of the draft").fill(DRAFT)
    _button(editor, tr, "Save and check the sections").click()

    expect(_flash(editor)).to_have_text(tr(LV, "The draft is saved. Check how the text was split into sections."))
    with live_db() as s:
        consultation_id = s.scalar(select(Consultation.id).where(Consultation.title == title))
    assert consultation_id is not None
    expect(editor).to_have_url(re.compile(rf"/consultations/{consultation_id}/edit$"))
    split = editor.locator("section[aria-labelledby=split-title]")
    expect(split.get_by_role("heading", level=2)).to_have_text(tr(LV, "How the text was split"))
    expect(split).to_contain_text(trn(LV, "%(num)d section.", "%(num)d sections.", 3))
    previews = split.locator("ol.app-sections-preview > li")
    expect(previews).to_have_count(3)
    for index, (number, text) in enumerate([("1.", POINT_1), ("2.", POINT_2), ("3.", POINT_3)]):
        expect(previews.nth(index).locator("strong")).to_have_text(number)
        expect(previews.nth(index)).to_contain_text(text)
    split.get_by_role("link", name=tr(LV, "Continue: set the window and publish")).click()

    expect(editor.get_by_role("heading", level=1)).to_have_text(tr(LV, "Publish the consultation"))
    expect(editor.locator("main")).to_contain_text(
        tr(LV, "For this type of document the window must be at least %(n)d days. "
               "Once open it can be extended but never shortened or closed early.", n=MUNICIPAL_MINIMUM)
    )
    today = riga_today()
    opens_on = _day_input(editor, tr, "Opens on")
    expect(opens_on.get_by_label(tr(LV, "Day"), exact=True)).to_have_value(str(today.day))
    _fill_day(editor, tr, "Opens on", today)
    _field(editor, tr, "Opening time (Riga)").fill("00:00")  # already past: the window opens now
    _fill_day(editor, tr, "Last day for comments", today + timedelta(days=MUNICIPAL_MINIMUM - 1))
    with editor.expect_response(lambda r: r.request.method == "POST") as posted:
        _button(editor, tr, "Publish").click()
    assert posted.value.status == 400
    refusal = editor.locator(".govuk-error-summary [role=alert]")
    expect(refusal).to_be_visible()
    expect(refusal).to_contain_text(
        tr(LV, "The window must be at least %(n)d days: the last day for comments is %(date)s or later.", n=MUNICIPAL_MINIMUM,
           date=latvian_day(today + timedelta(days=MUNICIPAL_MINIMUM)))
    )
    # The message links to the field that fixes it; what was typed stays.
    expect(refusal.get_by_role("link")).to_have_attribute("href", "#closes_on-day")
    expect(_day_input(editor, tr, "Last day for comments").get_by_label(tr(LV, "Day"), exact=True)).to_have_value(
        str((today + timedelta(days=MUNICIPAL_MINIMUM - 1)).day))
    with live_db() as s:
        assert s.get(Consultation, consultation_id).published_at is None, "a refused window publishes nothing"

    _fill_day(editor, tr, "Last day for comments", today + timedelta(days=MUNICIPAL_MINIMUM))
    _button(editor, tr, "Publish").click()
    expect(_flash(editor)).to_have_text(tr(LV, "The consultation is published."))
    expect(editor.get_by_role("heading", level=1)).to_have_text(title)
    expect(editor.locator("main #window-state .govuk-tag")).to_have_text(tr(LV, "Open for comments"))

    with live_db() as s:
        consultation = s.get(Consultation, consultation_id)
        closes_at = consultation.closes_at
        version_1 = s.scalar(select(DraftVersion.id).where(DraftVersion.consultation_id == consultation_id, DraftVersion.number == 1))
        sections = {n: i for n, i in s.execute(select(Section.number, Section.id).where(Section.version_id == version_1))}
    assert closes_at == closing_moment(today + timedelta(days=MUNICIPAL_MINIMUM))
    assert set(sections) == {"1.", "2.", "3."}
    section_2 = sections["2."]

    # --- b. a resident comments on point 2, a senior on the whole draft; each gets a receipt --------------------
    resident = page_as(RESIDENT)
    resident.goto(f"/consultations/{consultation_id}")
    expect(resident.get_by_role("heading", level=1)).to_have_text(title)
    point_2 = section_choice_label("2.", "", POINT_2)
    assert point_2.startswith("2. Pagasta pārvalde") and point_2 != "2."  # a number and first words, never a bare number
    _field(resident, tr, "What you comment on").select_option(label=point_2)
    _field(resident, tr, "Your comment").fill(comment_text)
    _button(resident, tr, "Send the comment").click()

    with live_db() as s:
        comment = s.scalar(select(Comment).where(Comment.consultation_id == consultation_id, Comment.text == comment_text))
        assert comment is not None and comment.section_id == section_2
        comment_id, comment_number = comment.id, comment.number
    expect(_flash(resident)).to_have_text(
        tr(LV, "Thank you. Your comment has the number %(number)s; a copy is in your e-mail.", number=comment_number)
    )
    expect(resident.get_by_role("heading", level=1)).to_have_text(tr(LV, "Comments on %(label)s", label=point_2))
    expect(resident).to_have_url(re.compile(rf"/consultations/{consultation_id}/sections/{section_2}#comment-{comment_id}$"))
    expect(resident.locator(f"#comment-{comment_id}")).to_contain_text(comment_text)
    receipts = [m for m in outbox(RESIDENT)
                if m.subject == tr(LV, "Your comment %(number)s on \"%(title)s\"", number=comment_number, title=title)]
    assert len(receipts) == 1, [m.subject for m in outbox(RESIDENT)]
    assert comment_text in receipts[0].body
    assert f"/consultations/{consultation_id}/comments/{comment_id}" in receipts[0].body  # the permalink

    senior = page_as(SENIOR)
    senior.goto(f"/consultations/{consultation_id}")
    expect(_field(senior, tr, "What you comment on").locator("option:checked")).to_have_text(tr(LV, "The whole draft"))
    _field(senior, tr, "Your comment").fill(senior_text)
    _button(senior, tr, "Send the comment").click()
    with live_db() as s:
        senior_comment = s.scalar(select(Comment).where(Comment.consultation_id == consultation_id, Comment.text == senior_text))
        assert senior_comment is not None and senior_comment.section_id is None
        senior_id, senior_number = senior_comment.id, senior_comment.number
    expect(_flash(senior)).to_have_text(
        tr(LV, "Thank you. Your comment has the number %(number)s; a copy is in your e-mail.", number=senior_number)
    )

    # --- c. the window closes on the server's clock: a comment sent a second later is refused, the text kept -----
    resident.goto(f"/consultations/{consultation_id}")
    _field(resident, tr, "Your comment").fill(retry_text)
    app_clock(closes_at + timedelta(seconds=1))
    with resident.expect_response(lambda r: r.request.method == "POST") as posted:
        _button(resident, tr, "Send the comment").click()
    assert posted.value.status == 400
    closed = resident.locator(".govuk-error-summary [role=alert]")
    expect(closed).to_be_visible()
    expect(closed).to_contain_text(
        tr(LV, "The consultation closed on %(time)s; comments are no longer accepted.", time=latvian_moment(closes_at))
    )
    expect(_field(resident, tr, "Your comment")).to_have_value(retry_text)
    expect(resident.locator("main #window-state .govuk-tag")).to_have_text(tr(LV, "Closed"))
    with live_db() as s:
        assert s.scalar(select(Comment.id).where(Comment.text == retry_text)) is None

    # --- d. the responder finds the comment's case, records a position on every comment; the table is public ----
    staff = page_as(RESPONDER)
    staff.goto(f"/institutions/{SLUG}/inbox")  # runs the closing step if no page view or job did yet
    with live_db() as s:
        top_level = [
            (c.id, c.case.number if c.case else None)
            for c in s.scalars(
                select(Comment).where(Comment.consultation_id == consultation_id, Comment.parent_id.is_(None)).order_by(Comment.id)
            )
        ]
        assert s.get(Consultation, consultation_id).cases_opened_at is not None
    assert [row_id for row_id, _ in top_level] == [comment_id, senior_id]
    assert all(number for _, number in top_level), f"every comment should have its case: {top_level}"
    case_number = top_level[0][1]
    case_title = tr(LV, "Comment %(number)s on \"%(title)s\"", number=comment_number, title=title)
    case_row = staff.locator("main tbody tr").filter(has=staff.get_by_role("link", name=case_title, exact=True))
    expect(case_row).to_have_count(1)
    expect(case_row).to_contain_text(case_number)

    staff.goto(f"/consultations/{consultation_id}/summary")
    expect(staff.get_by_role("heading", level=1)).to_have_text(tr(LV, "Summary of positions on the comments"))
    table_rows = staff.locator("table.app-summary-table tbody tr")
    expect(table_rows).to_have_count(len(top_level))
    public = new_context().new_page()
    numbers = {comment_id: comment_number, senior_id: senior_number}
    for index, (row_comment_id, _case_number) in enumerate(top_level):
        reasons[row_comment_id] = f"Pieņemšanu sestdienās ieviesīsim lielākajos pagastos ({token}-{index})."
    # One form for the page: the responder types in both rows and saves once. The second row's reason is left out:
    # the first is saved and confirmed, the second shows its error with the position that was chosen kept.
    first_row, second_row = (staff.locator(f"tr#comment-{row_id}") for row_id, _ in top_level)
    for row in (first_row, second_row):
        expect(row.get_by_label(tr(LV, "Position"), exact=True).locator("option:checked")).to_have_text(tr(LV, "Choose a position"))
        row.get_by_label(tr(LV, "Position"), exact=True).select_option(label=tr(LV, "Partly accepted"))
    first_row.get_by_label(tr(LV, "Reason"), exact=True).fill(reasons[top_level[0][0]])
    with staff.expect_response(lambda r: r.request.method == "POST") as posted:
        _button(staff, tr, "Save the positions").click()
    assert posted.value.status == 400
    expect(staff.locator(".govuk-error-summary")).to_contain_text(tr(LV, "Give the reason for the position."))
    expect(staff.locator("main .govuk-notification-banner--success")).to_contain_text(numbers[top_level[0][0]])
    first_row, second_row = (staff.locator(f"tr#comment-{row_id}") for row_id, _ in top_level)
    expect(first_row.locator("td").nth(3)).to_have_text(tr(LV, "Partly accepted"))
    expect(first_row.locator("td").nth(4)).to_contain_text(reasons[top_level[0][0]])
    expect(second_row.get_by_label(tr(LV, "Position"), exact=True).locator("option:checked")).to_have_text(tr(LV, "Partly accepted"))
    # Until every comment has a position, the public sees only how many are still waiting.
    public.goto(f"/consultations/{consultation_id}/summary")
    expect(public.locator("main .govuk-inset-text")).to_have_text(trn(
        LV, "The summary is published when every comment has a position. %(num)d comment is still waiting.",
        "The summary is published when every comment has a position. %(num)d comments are still waiting.", 1,
    ))
    expect(public.locator("table.app-summary-table")).to_have_count(0)
    second_row.get_by_label(tr(LV, "Reason"), exact=True).fill(reasons[top_level[1][0]])
    _button(staff, tr, "Save the positions").click()
    expect(_flash(staff)).to_have_text(trn(LV, "The position on %(numbers)s is recorded.", "The positions on %(numbers)s are recorded.",
                                            1, numbers=numbers[top_level[1][0]]))
    for row_id, _ in top_level:
        expect(staff.locator(f"tr#comment-{row_id} td").nth(4)).to_contain_text(reasons[row_id])

    public.goto(f"/consultations/{consultation_id}/summary")
    expect(public.locator("main form")).to_have_count(0)
    public_row = public.locator(f"table.app-summary-table tr#comment-{comment_id}")
    expect(public_row.locator("td").nth(0)).to_have_text("2.")
    expect(public_row.locator("td").nth(2)).to_contain_text(comment_text)
    expect(public_row.locator("td").nth(3)).to_have_text(tr(LV, "Partly accepted"))
    expect(public_row.locator("td").nth(4)).to_contain_text(reasons[comment_id])
    expect(public.locator(f"table.app-summary-table tr#comment-{senior_id} td").nth(0)).to_have_text(tr(LV, "The whole draft"))

    with public.expect_download() as download_info:
        public.get_by_role("link", name=tr(LV, "Download as CSV")).click()
    download = download_info.value
    assert download.suggested_filename == f"izzina-{consultation_id}.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0] == [tr(LV, m) for m in ("Number", "Section", "Submitter", "Comment", "Position", "Reason")]
    by_number = {row[0]: row for row in rows[1:]}
    assert set(by_number) == {comment_number, senior_number}
    assert by_number[comment_number][1] == "2."
    assert by_number[comment_number][3] == comment_text
    assert by_number[comment_number][4] == tr(LV, "Partly accepted")
    assert by_number[comment_number][5] == reasons[comment_id]
    assert by_number[senior_number][5] == reasons[senior_id]

    # --- e. version 2 changes point 2; the resident follows their comment to the change ---------------------------
    editor.goto(f"/consultations/{consultation_id}")
    editor.get_by_role("navigation", name=tr(LV, "For the institution")).get_by_role(
        "link", name=tr(LV, "Publish the next version")).click()
    expect(editor.get_by_role("heading", level=1)).to_have_text(tr(LV, "Publish the next version"))
    _field(editor, tr, "Text of the new version").fill(DRAFT_V2)
    _field(editor, tr, "What changed").fill("Pieņemšana arī sestdienās.")
    _button(editor, tr, "Publish the version").click()
    expect(_flash(editor)).to_have_text(tr(LV, "Version %(n)d is published and the commenters are told.", n=2))
    expect(editor.get_by_role("heading", level=1)).to_have_text(tr(LV, "What changed in version %(n)d", n=2))

    resident.goto(f"/consultations/{consultation_id}")
    resident.locator(f"li#section-{section_2}").get_by_role(
        "link", name=trn(LV, "%(num)d comment", "%(num)d comments", 1)).click()
    expect(resident.get_by_role("heading", level=1)).to_have_text(tr(LV, "Comments on %(label)s", label=point_2))
    entry = resident.locator(f"li#comment-{comment_id}")
    expect(entry).to_contain_text(comment_text)
    position = entry.locator(".app-position")
    expect(position).to_contain_text(f"{tr(LV, 'Position of the institution:')} {tr(LV, 'Partly accepted')}")
    expect(position).to_contain_text(reasons[comment_id])
    see_changes = position.get_by_role("link", name=tr(LV, "See what changed in %(label)s", label="2."))
    # Sections are matched across versions by a stable key (point 2 of the main text), not by row id.
    expect(see_changes).to_have_attribute("href", f"/consultations/{consultation_id}/changes/2?since=1#s-main-2")
    see_changes.click()

    expect(resident.get_by_role("heading", level=1)).to_have_text(tr(LV, "What changed in version %(n)d", n=2))
    changed = resident.locator("li#s-main-2")
    expect(changed.get_by_role("heading", level=2)).to_contain_text("2.")
    expect(changed.locator(".app-diff ins")).to_have_count(1)
    expect(changed.locator(".app-diff ins")).to_have_text(ADDED)
    expect(changed.locator(".app-diff del")).to_have_count(0)
    expect(changed.locator(".app-diff")).to_contain_text(POINT_2_V2)
    expect(changed).to_contain_text(tr(LV, "Comment %(number)s", number=comment_number))
    for unchanged in ("1.", "3."):
        anchor = "s-main-" + unchanged.rstrip(".")
        expect(resident.locator(f"li#{anchor} h2")).to_contain_text(unchanged)
        expect(resident.locator(f"li#{anchor} h2 .govuk-tag")).to_have_text(tr(LV, "unchanged"))

    news_subject = tr(LV, "Version %(n)d of \"%(title)s\" is published", n=2, title=title)
    for person in (RESIDENT, SENIOR):
        news = [m for m in outbox(person) if m.subject == news_subject]
        assert len(news) == 1, (person, [m.subject for m in outbox(person)])
        assert f"/consultations/{consultation_id}/changes/2" in news[0].body
