"""A co-created regulation in a real browser, in Latvian, through every stage: the municipality starts a process and
invites the youth council into the working group; residents and the council send ideas and the working group answers;
the draft is published; the council's member proposes an amendment on the council's behalf, a resident endorses it,
the working group accepts it (the next version has the council's wording); the public consultation opens (2 weeks);
after it closes the council's decision is published, and the credits name the youth council, linked to the clause it
changed. axe-core runs on every page of the way. Texts come from the catalogues through tr(), so the assertions hold
whatever the translation says.

The app's clock is moved back for the stages before adoption (the records are dated in the past, never the future),
then back to the real clock once the consultation has closed."""
import re
import secrets
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from participation.clock import riga_today, utcnow
from participation.cocreation.models import Amendment, CoCreation, Idea
from participation.groups.models import Group
from tests.browser.test_accessibility import check_with_axe

pytestmark = pytest.mark.browser

LV = "lv"
STAFF = "rezekne.atbildes@example.lv"
MEMBER = "jauniesis@example.lv"
RESIDENT = "iedzivotajs@example.lv"
SLUG = "rezeknes-novads"
COUNCIL = "Rēzeknes novada jauniešu dome"
DRAFT = """Rēzeknes novada pašvaldības saistošie noteikumi
Par trokšņa ierobežošanu

1. Noteikumi nosaka trokšņa ierobežošanas kārtību novada teritorijā.
2. Aizliegts trokšņot no plkst. 22.00 līdz 7.00.
3. Noteikumi stājas spēkā nākamajā dienā pēc publicēšanas.
"""


def _fill_day(page, field_id, value):
    page.locator(f"#{field_id}-day").fill(str(value.day))
    page.locator(f"#{field_id}-month").fill(str(value.month))
    page.locator(f"#{field_id}-year").fill(str(value.year))


def _submit(page):
    page.locator("main form[novalidate] button[type=submit]").click()


def _flash(page):
    return page.locator("main .govuk-notification-banner")


def test_youth_councils_amendment_is_accepted_and_credited_through_every_stage(page_as, tr, live_db, app_clock):
    token = secrets.token_hex(3)
    title = f"Trokšņa ierobežošanas noteikumi ({token})"
    wording = f"Aizliegts trokšņot no plkst. 23.00 līdz 7.00, izņemot Jāņu naktī ({token})."
    decision = f"Nr. 21 ({token})"
    start = utcnow() - timedelta(days=30)
    app_clock(start)
    today = riga_today()

    # The municipality starts the process and invites the youth council as a member of the working group.
    staff = page_as(STAFF)
    staff.goto(f"/cocreation/new/{SLUG}")
    check_with_axe(staff)
    staff.get_by_label(tr(LV, "Title of the regulation"), exact=True).fill(title)
    staff.get_by_label(tr(LV, "The problem"), exact=True).fill("Naktīs ciematos ir troksnis.")
    _fill_day(staff, "ideas_until", today + timedelta(days=3))
    _fill_day(staff, "drafting_until", today + timedelta(days=10))
    _fill_day(staff, "adoption_planned_on", today + timedelta(days=40))
    _submit(staff)
    expect(staff.locator("h1")).to_have_text(title)
    check_with_axe(staff)
    process_id = int(staff.url.rstrip("/").split("/")[-1])
    with live_db() as s:
        council_slug = s.scalar(select(Group.slug).where(Group.name == COUNCIL))
    staff.goto(f"/cocreation/{process_id}/working-group")
    staff.get_by_label(tr(LV, "Or a group's short name"), exact=True).fill(council_slug)
    staff.get_by_label(tr(LV, "Member: answers ideas and decides amendments"), exact=True).check()
    _submit(staff)
    expect(staff.locator("main table")).to_contain_text(COUNCIL)
    check_with_axe(staff)

    # Ideas: a resident and the council; the working group answers.
    resident = page_as(RESIDENT)
    resident.goto(f"/cocreation/{process_id}")
    check_with_axe(resident)
    resident.get_by_role("button", name=tr(LV, "Send an idea")).click()
    check_with_axe(resident)
    resident.get_by_label(tr(LV, "Your idea in one sentence"), exact=True).fill(f"Klusums no 23.00 ({token})")
    resident.get_by_label(tr(LV, "Explain the idea"), exact=True).fill("Naktsmieram jāsākas vēlāk vasarā.")
    _submit(resident)
    expect(_flash(resident)).to_be_visible()
    check_with_axe(resident)
    member = page_as(MEMBER)
    member.goto(f"/cocreation/{process_id}/ideas/new")
    member.get_by_label(tr(LV, "Who is sending it"), exact=True).select_option(label=COUNCIL)
    member.get_by_label(tr(LV, "Your idea in one sentence"), exact=True).fill(f"Jāņu nakts izņēmums ({token})")
    member.get_by_label(tr(LV, "Explain the idea"), exact=True).fill("Jāņu naktī svin visi.")
    _submit(member)
    expect(member.locator("main")).to_contain_text(COUNCIL)
    with live_db() as s:
        council_idea = s.scalar(select(Idea.id).where(Idea.process_id == process_id, Idea.group_id.is_not(None)))
    staff.goto(f"/cocreation/{process_id}/ideas/{council_idea}/answer")
    check_with_axe(staff)
    staff.get_by_label(tr(LV, "Position"), exact=True).select_option("accepted")
    staff.get_by_label(tr(LV, "Answer"), exact=True).fill("Ņemsim vērā projektā.")
    _submit(staff)
    expect(staff.locator("main")).to_contain_text("Ņemsim vērā projektā.")

    # Drafting: the draft is published; the council's member amends clause 2 for the council; a resident endorses.
    app_clock(start + timedelta(days=4))
    staff.goto(f"/cocreation/{process_id}/draft")
    check_with_axe(staff)
    staff.get_by_label(tr(LV, "Text of the draft"), exact=True).fill(DRAFT)
    _submit(staff)
    expect(staff.locator("main ol.app-clauses li")).to_have_count(4)
    member.goto(f"/cocreation/{process_id}")
    member.locator("main ol.app-clauses li").nth(2).get_by_role("link").first.click()
    check_with_axe(member)
    member.get_by_role("button", name=tr(LV, "Propose an amendment")).click()
    check_with_axe(member)
    member.get_by_label(tr(LV, "Who is sending it"), exact=True).select_option(label=COUNCIL)
    member.get_by_label(tr(LV, "Replace its wording"), exact=True).check()
    member.get_by_label(tr(LV, "The wording you propose"), exact=True).fill(wording)
    member.get_by_label(tr(LV, "Why"), exact=True).fill("Jauniešu dome ierosina.")
    _submit(member)
    expect(member.locator("main .app-diff ins").first).to_be_visible()  # the word diff against the clause
    check_with_axe(member)
    with live_db() as s:
        amendment_id = s.scalar(select(Amendment.id).where(Amendment.process_id == process_id))
    resident.goto(f"/cocreation/{process_id}/amendments/{amendment_id}")
    resident.get_by_role("button", name=tr(LV, "Endorse this amendment")).click()
    expect(_flash(resident)).to_be_visible()
    check_with_axe(resident)

    # The working group accepts it: version 2 has the council's wording; the clause's history names the amendment.
    staff.goto(f"/cocreation/{process_id}/amendments/{amendment_id}/decide")
    check_with_axe(staff)
    staff.get_by_label(tr(LV, "Accept"), exact=True).check()
    staff.get_by_label(tr(LV, "Reason"), exact=True).fill("Pieņemts: Jāņu nakts ir izņēmums.")
    _submit(staff)
    expect(staff.locator("main")).to_contain_text("Pieņemts: Jāņu nakts ir izņēmums.")
    staff.goto(f"/cocreation/{process_id}")
    expect(staff.locator("main ol.app-clauses")).to_contain_text(wording)
    with live_db() as s:
        lineage = s.get(Amendment, amendment_id).lineage
    staff.goto(f"/cocreation/{process_id}/clauses/{lineage}")
    expect(staff.locator("main")).to_contain_text(tr(LV, "Changed in version %(v)s.", v=2))

    # The public consultation opens through the consultations channel, for the 2-week minimum.
    app_clock(start + timedelta(days=8))
    staff.goto(f"/cocreation/{process_id}/consultation")
    check_with_axe(staff)
    staff.get_by_label(tr(LV, "Plain-language summary"), exact=True).fill("Troksnis aizliegts naktī, izņemot Jāņus.")
    _fill_day(staff, "closes_on", riga_today() + timedelta(days=13))
    _submit(staff)
    expect(staff.locator("main .govuk-error-summary")).to_be_visible()  # shorter than the legal minimum
    check_with_axe(staff)
    _fill_day(staff, "closes_on", riga_today() + timedelta(days=14))
    _submit(staff)
    expect(staff).to_have_url(re.compile(r"/consultations/\d+$"))
    with live_db() as s:
        consultation_id = s.get(CoCreation, process_id).consultation_id
    assert staff.url.endswith(f"/consultations/{consultation_id}")

    # After it closes (the real clock), the council's decision is published with the credits.
    app_clock(None)
    staff.goto(f"/cocreation/{process_id}/adopt")
    check_with_axe(staff)
    staff.get_by_label(tr(LV, "Number of the council decision"), exact=True).fill(decision)
    _fill_day(staff, "decision_on", riga_today())
    _submit(staff)
    expect(_flash(staff)).to_be_visible()

    public = page_as(RESIDENT)
    public.goto(f"/cocreation/{process_id}")
    credits = public.locator("main ul.app-credits")
    expect(credits).to_contain_text(COUNCIL)
    council_credit = credits.locator("li", has_text=COUNCIL)
    expect(council_credit.locator(f'a[href="#clause-{lineage}"]')).to_be_visible()
    expect(public.locator(f"main #clause-{lineage}")).to_contain_text(wording)
    expect(public.locator("main")).to_contain_text(decision)
    check_with_axe(public)
    public.goto(f"/cocreation/{process_id}/timeline")
    check_with_axe(public)


def test_every_page_of_the_channel_is_valid_html(new_context, live_db, tmp_path):
    """The channel's own pages through the Nu HTML checker (tests/browser/test_html_valid.py checks every page too)."""
    from tests.browser.test_accessibility import TARGETS
    from tests.browser.test_html_valid import assert_valid_html

    assert_valid_html([t for t in TARGETS if t.name.startswith("cocreation")], new_context, live_db, tmp_path)
