"""The proposals channel in a real browser, in Latvian: a youth-council member writes a proposal for the council,
residents support it, the municipality extends the deadline once and answers, and everyone who should hear of it
does. Texts come from the catalogues through tr()/trn(), so the assertions hold whatever the translation says."""
import re
import secrets

import pytest
from flask_babel import force_locale
from playwright.sync_api import expect
from sqlalchemy import func, select

from participation.accounts.models import User
from participation.cases.models import Case
from participation.cases.services import extension_limit
from participation.dates import format_day
from participation.groups.models import Group
from participation.institutions.models import Institution
from participation.proposals.models import Proposal

pytestmark = pytest.mark.browser

LV = "lv"
MEMBER = "jauniesis@example.lv"
LEADER = "jauniesi.vaditaja@example.lv"
RESIDENT = "iedzivotajs@example.lv"  # supports without asking to be told
SENIOR = "seniors@example.lv"  # supports and asks to be told when the institution answers
RESPONDER = "rezekne.atbildes@example.lv"
SLUG = "rezeknes-novads"
COUNCIL = "Rēzeknes novada jauniešu dome"
TERRITORY = "Rēzeknes novads"


def _flash(page):
    """The message after an action: GOV.UK's notification banner (success or important) at the top of main."""
    return page.locator("main .govuk-notification-banner .govuk-notification-banner__heading")


@pytest.fixture
def lv_day(live_app):
    """lv_day(date, case): a day as a Latvian page writes it in the grammatical case its sentence needs."""
    def _day(value, case="nominative"):
        with live_app.test_request_context("/"), force_locale(LV):
            return format_day(value, case)
    return _day


def _fill_day(page, field_id, value):
    """GOV.UK's date input: day, month and year boxes."""
    page.locator(f"#{field_id}-day").fill(str(value.day))
    page.locator(f"#{field_id}-month").fill(str(value.month))
    page.locator(f"#{field_id}-year").fill(str(value.year))


def _field(page, tr, msgid):
    return page.locator("main").get_by_label(tr(LV, msgid), exact=True)


def count(page):
    """The number of supporters as the proposal page states it."""
    return page.locator("section[aria-labelledby=support-title] strong").first


def _news_about(messages, tr, title):
    subject = tr(LV, "News on the proposal \"%(title)s\"", title=title)
    return [m for m in messages if m.subject == subject]


def test_youth_council_proposal_is_supported_extended_answered_and_everyone_is_told(
    page_as, tr, trn, lv_day, outbox, live_db
):
    token = secrets.token_hex(3)
    title = f"Āra trenažieri pie Maltas vidusskolas ({token})"
    problem = "Pagastos jauniešiem nav kur brīvi sportot ārā; tuvākais trenažieru laukums ir Rēzeknē."
    solution = "Uzstādīt āra trenažieru laukumu pie Maltas vidusskolas un uzturēt to pagasta pārvaldei."
    benefit = "Jaunieši un pieaugušie sporto tuvu mājām, bez maksas."
    reason = f"Jāsaņem izmaksu tāme no pagasta pārvaldes ({token})."
    answer = f"Atbalstām: laukumu iekļaujam nākamā gada budžetā ({token})."

    with live_db() as s:
        institution_name = s.scalar(select(Institution.name).where(Institution.slug == SLUG))
        group_slug = s.scalar(select(Group.slug).where(Group.name == COUNCIL))
        member_name = s.scalar(select(User.display_name).where(User.email == MEMBER))
    assert institution_name and group_slug and member_name, "the demo should have the municipality, the council and its member"

    # --- a. the council member writes the proposal, saves a draft, checks and submits it ------------------
    member = page_as(MEMBER)
    member.goto("/proposals/new")
    expect(member.get_by_role("heading", level=1)).to_have_text(tr(LV, "Write a proposal"))
    _field(member, tr, "To which institution").select_option(label=institution_name)
    _field(member, tr, "Who is submitting").select_option(label=COUNCIL)
    _field(member, tr, "Title").fill(title)
    _field(member, tr, "The problem").fill(problem)
    _field(member, tr, "The proposed solution").fill(solution)
    _field(member, tr, "The expected benefit").fill(benefit)
    _field(member, tr, "Where").select_option(TERRITORY)
    topics = member.get_by_role("group", name=tr(LV, "Topics"))
    topics.get_by_label(tr(LV, "Youth"), exact=True).check()
    topics.get_by_label(tr(LV, "Sport"), exact=True).check()

    member.get_by_role("button", name=tr(LV, "Save the draft")).click()
    expect(_flash(member)).to_have_text(
        tr(LV, "The draft is saved. You can finish it later from \"My proposals\".")
    )
    expect(member.get_by_role("heading", level=1)).to_have_text(tr(LV, "Edit the draft"))
    with live_db() as s:
        proposal_id = s.scalar(select(Proposal.id).where(Proposal.title == title))
    assert proposal_id is not None
    # Nothing is sent for a draft.
    assert not [m for m in outbox(MEMBER) if title in m.body]

    member.goto("/proposals/mine")
    expect(member.get_by_role("heading", level=1)).to_have_text(tr(LV, "My proposals and drafts"))
    row = member.locator("main table tbody tr").filter(has=member.get_by_role("link", name=title, exact=True))
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(0)).to_contain_text(COUNCIL)
    expect(row.locator("td").nth(2)).to_have_text(tr(LV, "Draft"))

    row.get_by_role("link", name=title, exact=True).click()
    # The draft keeps everything that was typed and chosen.
    expect(_field(member, tr, "Title")).to_have_value(title)
    expect(_field(member, tr, "The problem")).to_have_value(problem)
    expect(_field(member, tr, "Who is submitting").locator("option:checked")).to_have_text(COUNCIL)
    expect(topics.get_by_label(tr(LV, "Sport"), exact=True)).to_be_checked()
    member.get_by_role("button", name=tr(LV, "Continue: check before submitting")).click()

    expect(member.get_by_role("heading", level=1)).to_have_text(tr(LV, "Check before submitting"))
    # GOV.UK's "check your answers": every answer with a change link, then what will be public.
    answers = member.locator("main .app-check-answers")
    expect(answers).to_contain_text(title)
    expect(answers.get_by_role("link", name=re.compile(tr(LV, "Change")))).to_have_count(8)
    public_note = member.locator("main .app-public-note")
    expect(public_note).to_contain_text(tr(LV, "This is what will be public:"))
    expect(public_note).to_contain_text(
        tr(LV, "and %(group)s as the author with your name, %(name)s, as its contact.", group=COUNCIL, name=member_name)
    )
    expect(public_note).to_contain_text(tr(LV, "Your e-mail address is not shown."))
    expect(member.locator("main")).to_contain_text(solution)
    member.get_by_role("button", name=tr(LV, "Submit the proposal")).click()

    with live_db() as s:
        proposal = s.get(Proposal, proposal_id)
        case_id, number = proposal.case_id, proposal.case.number
    # The confirmation: GOV.UK's panel with the receipt number.
    panel = member.locator("main .govuk-panel--confirmation")
    expect(panel.get_by_role("heading", level=1)).to_have_text(tr(LV, "Proposal submitted"))
    expect(panel.locator(".app-receipt-number")).to_have_text(number)
    member.get_by_role("link", name=tr(LV, "See your proposal")).click()
    expect(member.get_by_role("heading", level=1)).to_have_text(title)
    summary = member.locator("main .app-proposal-facts")
    expect(summary).to_contain_text(number)
    expect(summary.get_by_role("link", name=COUNCIL, exact=True)).to_have_attribute("href", f"/groups/{group_slug}")
    expect(summary).to_contain_text(f"{tr(LV, 'contact:')} {member_name}")
    expect(summary).not_to_contain_text(MEMBER)

    receipts = [m for m in outbox(MEMBER) if m.subject == tr(LV, "Received: %(number)s", number=number)]
    assert len(receipts) == 1, [m.subject for m in outbox(MEMBER)]
    assert number in receipts[0].body and title in receipts[0].body

    # --- b. two residents support it; the senior asks to be told; a second click does not count twice ------
    path = f"/proposals/{proposal_id}"
    support_button = tr(LV, "Support this proposal")

    resident = page_as(RESIDENT)
    resident_again = resident.context.new_page()  # the same person, the same page open in a second tab
    resident.goto(path)
    resident_again.goto(path)
    expect(count(resident)).to_have_text(trn(LV, "%(num)d supporter", "%(num)d supporters", 0))
    notify = resident.get_by_label(tr(LV, "E-mail me when the institution answers"), exact=True)
    expect(notify).not_to_be_checked()
    resident.get_by_role("button", name=support_button).click()
    expect(_flash(resident)).to_have_text(tr(LV, "Thank you, your support is counted."))
    expect(count(resident)).to_have_text(trn(LV, "%(num)d supporter", "%(num)d supporters", 1))
    expect(resident.locator("main")).to_contain_text(tr(LV, "You support this proposal."))
    expect(resident.get_by_role("button", name=support_button)).to_have_count(0)

    senior = page_as(SENIOR)
    senior.goto(path)
    senior.get_by_label(tr(LV, "E-mail me when the institution answers"), exact=True).check()
    senior.get_by_role("button", name=support_button).click()
    expect(_flash(senior)).to_have_text(tr(LV, "Thank you, your support is counted."))
    two = trn(LV, "%(num)d supporter", "%(num)d supporters", 2)
    expect(count(senior)).to_have_text(two)
    expect(senior.locator("section[aria-labelledby=support-title]")).to_contain_text(
        tr(LV, "of the %(n)s needed for a collective submission", n=5)
    )
    expect(senior.locator("section[aria-labelledby=support-title] progress")).to_have_attribute("value", "2")

    # The resident presses "support" again in the tab still showing the form: counted once.
    resident_again.get_by_role("button", name=support_button).click()
    expect(_flash(resident_again)).to_have_text(tr(LV, "You already support this proposal."))
    expect(count(resident_again)).to_have_text(two)

    # --- c. the responder finds it in the inbox, extends the deadline once, then answers -----------------
    staff = page_as(RESPONDER)
    staff.goto(f"/institutions/{SLUG}/inbox")
    inbox_row = staff.locator("table.app-inbox tbody tr").filter(has=staff.get_by_role("link", name=title, exact=True))
    expect(inbox_row).to_have_count(1)
    expect(inbox_row).to_contain_text(number)
    expect(inbox_row).to_contain_text(COUNCIL)
    inbox_row.get_by_role("link", name=title, exact=True).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(title)
    actions = staff.get_by_role("navigation", name=tr(LV, "Case actions"))
    actions.locator("a[href$='/extend']").click()

    expect(staff.get_by_role("heading", level=1)).to_have_text(tr(LV, "Extend the deadline"))
    with live_db() as s:
        case = s.get(Case, case_id)
        due_before, limit = case.due_on, extension_limit(case)
    assert limit > due_before
    expect(staff.locator("main")).to_contain_text(tr(LV, "The latest date the law allows: %(date)s.", date=lv_day(limit)))
    # The submission being answered is on the page, above the form.
    subject = staff.locator("main .app-case-subject")
    expect(subject).to_contain_text(problem)
    expect(subject).to_contain_text(COUNCIL)
    new_due = limit  # the latest day the page allows
    _fill_day(staff, "new_due_on", new_due)
    _field(staff, tr, "Reason for the extension").fill(reason)
    staff.get_by_role("button", name=tr(LV, "Extend"), exact=True).click()

    expect(_flash(staff)).to_have_text(tr(LV, "The deadline is extended and the submitter is told."))
    expect(staff.locator("main .app-case-facts")).to_contain_text(lv_day(new_due, "dative"))  # "līdz …"
    actions = staff.get_by_role("navigation", name=tr(LV, "Case actions"))
    expect(actions.locator("a[href$='/answer']")).to_have_count(1)
    expect(actions.locator("a[href$='/extend']")).to_have_count(0)  # once only
    staff.goto(f"/institutions/{SLUG}/inbox")
    expect(inbox_row.locator("a[href$='/extend']")).to_have_count(0)
    expect(inbox_row.locator("a[href$='/answer']")).to_have_count(1)
    # An old tab or link to the extension: not a permission error, the page says what happened and links to it.
    response = staff.goto(f"/cases/{case_id}/extend")
    assert response is not None and response.status == 200
    expect(_flash(staff)).to_have_text(tr(LV, "The deadline of this case was already extended."))
    expect(staff.locator("main form[novalidate]")).to_have_count(0)

    staff.goto(f"/cases/{case_id}")
    staff.get_by_role("navigation", name=tr(LV, "Case actions")).locator("a[href$='/answer']").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(tr(LV, "Answer"))
    _field(staff, tr, "Position").select_option("accepted")
    _field(staff, tr, "Answer").fill(answer)
    staff.get_by_role("button", name=tr(LV, "Publish the answer")).click()
    expect(_flash(staff)).to_have_text(tr(LV, "The answer is published in the response log."))
    expect(staff.locator("main .app-case-facts")).to_contain_text(f"{tr(LV, 'Answered')} — {tr(LV, 'Accepted')}")

    # --- d. the council's page, the proposal's history, and the e-mails ------------------------------------
    viewer = page_as(LEADER)
    viewer.goto(f"/groups/{group_slug}")
    expect(viewer.get_by_role("heading", level=1)).to_have_text(COUNCIL)
    sent = viewer.locator("main table tbody tr").filter(
        has=viewer.get_by_role("link", name=title, exact=True)
    )
    expect(sent).to_have_count(1)
    expect(sent.get_by_role("link", name=title, exact=True)).to_have_attribute("href", re.compile(rf"/proposals/{proposal_id}$"))
    expect(sent).to_contain_text(tr(LV, "Answered"))
    expect(sent).to_contain_text(tr(LV, "Accepted"))
    expect(sent).to_contain_text(answer)

    sent.get_by_role("link", name=title, exact=True).click()
    expect(viewer.get_by_role("heading", level=1)).to_have_text(title)
    history = viewer.locator("section[aria-labelledby=history-title]")
    expect(history.get_by_role("heading", level=2)).to_have_text(tr(LV, "What the institution did"))
    entries = history.locator("ol.app-entries > li")
    expect(entries).to_have_count(2)
    # "līdz" takes the dative: "Termiņš pagarināts līdz 2026. gada 16. decembrim".
    expect(entries.nth(0).locator(".app-entry__head")).to_have_text(
        tr(LV, "Deadline extended to %(date)s", date=lv_day(new_due, "dative")))
    expect(entries.nth(0)).to_contain_text(reason)
    expect(entries.nth(1).locator(".app-entry__head")).to_have_text(tr(LV, "Accepted"))
    expect(entries.nth(1)).to_contain_text(answer)
    # The case is closed, so supports are no longer collected; the count stays.
    expect(count(viewer)).to_have_text(two)
    expect(viewer.get_by_role("button", name=support_button)).to_have_count(0)

    to_member = outbox(MEMBER)
    extended = [m for m in to_member if m.subject == tr(LV, "The deadline for %(number)s is extended", number=number)]
    answered = [m for m in to_member if m.subject == tr(LV, "Answer to your submission %(number)s", number=number)]
    assert len(extended) == 1 and reason in extended[0].body, [m.subject for m in to_member]
    assert lv_day(new_due, "dative") in extended[0].body  # the new deadline, in words
    assert len(answered) == 1 and answer in answered[0].body, [m.subject for m in to_member]
    assert to_member.index(extended[0]) < to_member.index(answered[0])
    # The submitter hears from the case's own notices, not a second time as a group member.
    assert _news_about(to_member, tr, title) == []

    to_senior = _news_about(outbox(SENIOR), tr, title)
    assert [answer in m.body for m in to_senior] == [False, True], [m.body for m in to_senior]
    assert reason in to_senior[0].body
    assert f"/proposals/{proposal_id}" in to_senior[1].body

    # The resident supported without asking to be told: nothing comes of the support. The demo has them follow the
    # youth council and the municipality, so whatever reaches them is a follow's notification with its one-click link.
    to_resident = [m for m in outbox(RESIDENT) if title in m.subject or answer in m.body or reason in m.body]
    assert all(m.unsubscribe_url and "/unsubscribe/" in m.unsubscribe_url for m in to_resident), [m.subject for m in to_resident]

    # The council's leader is a member of the group and is told too.
    assert any(answer in m.body for m in _news_about(outbox(LEADER), tr, title))


def test_proposal_form_with_an_empty_title_shows_the_errors_and_keeps_the_text(page_as, tr, live_db):
    problem = f"Svētdienās no Rēzeknes uz Maltu neiet neviens autobuss ({secrets.token_hex(3)})."
    solution = "Pievienot vienu reisu svētdienas rītā un vienu vakarā."
    benefit = "Cilvēki bez auto var aizbraukt pie ģimenes un uz dievkalpojumu."

    with live_db() as s:
        institution_name = s.scalar(select(Institution.name).where(Institution.slug == SLUG))
        resident_id = s.scalar(select(User.id).where(User.email == RESIDENT))
        before = s.scalar(select(func.count(Proposal.id)).where(Proposal.author_id == resident_id))

    page = page_as(RESIDENT)
    page.goto("/proposals/new")
    _field(page, tr, "To which institution").select_option(label=institution_name)
    _field(page, tr, "The problem").fill(problem)
    _field(page, tr, "The proposed solution").fill(solution)
    _field(page, tr, "The expected benefit").fill(benefit)
    _field(page, tr, "Where").select_option(TERRITORY)
    topics = page.get_by_role("group", name=tr(LV, "Topics"))
    topics.get_by_label(tr(LV, "Roads and transport"), exact=True).check()
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name=tr(LV, "Continue: check before submitting")).click()
    assert posted.value.status == 400

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("[role=alert]")).to_have_count(1)
    expect(summary.get_by_role("heading", level=2)).to_have_text(tr(LV, "There is a problem"))
    enter_title = tr(LV, "Enter a title.")
    expect(summary.get_by_role("link")).to_have_count(1)
    expect(summary.get_by_role("link", name=enter_title)).to_have_attribute("href", "#title")

    title = _field(page, tr, "Title")
    expect(title).to_have_class(re.compile(r"\bgovuk-input--error\b"))
    expect(title).to_have_attribute("aria-describedby", re.compile(r"\btitle-error\b"))
    expect(page.locator("#title-error")).to_contain_text(enter_title)

    # What was typed and chosen is still there.
    expect(_field(page, tr, "The problem")).to_have_value(problem)
    expect(_field(page, tr, "The proposed solution")).to_have_value(solution)
    expect(_field(page, tr, "The expected benefit")).to_have_value(benefit)
    expect(_field(page, tr, "Where")).to_have_value(TERRITORY)
    expect(_field(page, tr, "To which institution").locator("option:checked")).to_have_text(institution_name)
    expect(topics.get_by_label(tr(LV, "Roads and transport"), exact=True)).to_be_checked()
    expect(_field(page, tr, "The problem")).not_to_have_class(re.compile(r"\bgovuk-textarea--error\b"))

    summary.get_by_role("link", name=enter_title).click()
    expect(title).to_be_focused()

    # Nothing was saved.
    with live_db() as s:
        assert s.scalar(select(func.count(Proposal.id)).where(Proposal.author_id == resident_id)) == before
