"""What list rows, log entries, cards and an institution's figures show follows every change at once (they were kept as
shared HTML under keys until issue 17's long-tail run showed that did not pay; these tests stay as the pages'
behaviour), and the layout's shared navigation and footer (participation.cache.remembered) follow the language and
never reach someone signed in. Each test reads a page, changes one thing, and reads the page again."""
import re
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import update

from participation import cache
from participation.accounts.models import User
from participation.cases import services as cases
from participation.cases.models import Position
from participation.clock import utcnow
from participation.consultations import services as consultations
from participation.extensions import db
from participation.institutions.models import StaffRole
from participation.moderation import services as moderation
from participation.moderation.models import HideReason

TEXT = "Soliņiem vajag atzveltnes."


@pytest.fixture
def moderator(make_user):
    return make_user("Mārtiņš Moderators", is_moderator=True)


@pytest.fixture
def comment(make_consultation, make_user):
    consultation = make_consultation(with_comment=False)
    author = make_user("Ilze Ozola")
    return consultations.add_comment(consultation, author, TEXT, consultation.versions[0].sections[0])


def comments_page(client, comment) -> str:
    return client.get(f"/consultations/{comment.consultation_id}/comments").get_data(as_text=True)


def test_a_shared_comment_changes_with_every_value_it_shows(client, comment, moderator, make_user):
    assert TEXT in comments_page(client, comment) and "Ilze Ozola" in comments_page(client, comment)

    moderation.hide(comment, moderator, HideReason.PERSONAL_DATA)
    page = comments_page(client, comment)
    assert TEXT not in page and "moderation-notice" in page
    moderation.restore(comment, moderator)
    assert TEXT in comments_page(client, comment)

    moderation.set_highlight(comment, moderator, True)
    assert "app-entry--highlighted" in comments_page(client, comment)
    moderation.set_off_topic(comment, moderator, True)
    assert "govuk-tag--grey" in comments_page(client, comment)  # marked off-topic

    consultations.add_comment(comment.consultation, make_user("Jānis Atbildētājs"), "Piekrītu par atzveltnēm.", parent=comment)
    page = comments_page(client, comment)
    assert "Piekrītu par atzveltnēm." in page and "Jānis Atbildētājs" in page

    db.session.execute(update(User).where(User.id == comment.author_id).values(display_name="Ilze Kalniņa"))
    db.session.commit()
    page = comments_page(client, comment)
    assert "Ilze Kalniņa" in page and "Ilze Ozola" not in page

    latvian = comments_page(client, comment)
    client.get("/language/en")
    english = comments_page(client, comment)
    assert "Report to a moderator" in english and "Report to a moderator" not in latvian


def test_a_reply_waiting_for_approval_stays_out_of_the_shared_html(client, comment, moderator, make_user):
    comments_page(client, comment)
    comment.consultation.premoderation = True
    db.session.commit()
    reply = consultations.add_comment(comment.consultation, make_user(), "Gaida apstiprinājumu.", parent=comment)
    assert "Gaida apstiprinājumu." not in comments_page(client, comment)
    moderation.approve(reply, moderator)
    assert "Gaida apstiprinājumu." in comments_page(client, comment)


def test_signed_in_readers_never_get_the_shared_html(client, login, comment, moderator):
    moderation.hide(comment, moderator, HideReason.ABUSE)
    assert TEXT not in comments_page(client, comment)  # the notice is now shared with everyone signed out
    login(db.session.get(User, comment.author_id))
    own = comments_page(client, comment)
    assert TEXT in own and f"/moderation/review/comment/{comment.id}" in own


def test_the_institutions_position_reaches_a_shared_comment_and_summary_row(client, login, comment, make_staff, moderator, fixed_now):
    consultation = comment.consultation
    fixed_now(consultation.closes_at + timedelta(days=1))
    consultations.process_closed(consultation)
    summary = f"/consultations/{consultation.id}/summary"
    assert "Piekrītam daļēji" not in comments_page(client, comment)
    assert TEXT not in client.get(summary).get_data(as_text=True)  # published when every comment has a position
    responder = make_staff(consultation.institution, role=StaffRole.RESPONDER)
    consultations.record_position(comment, responder, Position.PARTLY_ACCEPTED, "Atzveltnes būs pie skolas.")
    assert "Atzveltnes būs pie skolas." in comments_page(client, comment)
    table = client.get(summary).get_data(as_text=True)
    assert TEXT in table and "Atzveltnes būs pie skolas." in table
    consultations.record_position(comment, responder, Position.ACCEPTED, "Atzveltnes būs visur.")
    table = client.get(summary).get_data(as_text=True)
    assert "Atzveltnes būs visur." in table and "Atzveltnes būs pie skolas." not in table
    moderation.hide(comment, moderator, HideReason.PERSONAL_DATA)
    table = client.get(summary).get_data(as_text=True)
    assert TEXT not in table and "moderation-notice" in table


def test_a_shared_log_entry_changes_when_it_is_corrected_or_a_name_changes(client, make_case, make_staff):
    case = make_case(title="Apgaismojums parkā")
    staff = make_staff(case.institution)
    first = cases.answer_case(case, staff, Position.ACCEPTED, "Uzstādīsim laternas.")
    log = f"/institutions/{case.institution.slug}/log"
    for path in (log, f"/institutions/{case.institution.slug}"):
        page = client.get(path).get_data(as_text=True)
        assert "Uzstādīsim laternas." in page and "superseded" not in page
    cases.correct_response(first, staff, Position.PARTLY_ACCEPTED, "Uzstādīsim divas laternas.")
    page = client.get(log).get_data(as_text=True)
    assert "Uzstādīsim divas laternas." in page and f'href="#response-{first.id + 1}"' in page
    assert "app-entry--superseded" in page
    db.session.execute(update(User).where(User.id == staff.id).values(display_name="Jānis Atbildētājs"))
    db.session.commit()
    assert "Jānis Atbildētājs" in client.get(log).get_data(as_text=True)


def test_a_shared_inbox_row_changes_with_the_case_and_the_day(client, login, make_case, make_staff, fixed_now):
    fixed_now(datetime(2026, 3, 2, 10, 0))
    case = make_case(title="Bedres Skolas ielā")
    staff = make_staff(case.institution, role=StaffRole.RESPONDER)
    login(staff)
    inbox = f"/institutions/{case.institution.slug}/inbox"
    row = _row(client.get(inbox).get_data(as_text=True), case)
    assert "Bedres Skolas ielā" in row and "/extend" in row and "govuk-tag--red" not in row
    fixed_now(datetime.combine(case.due_on + timedelta(days=1), datetime.min.time()) + timedelta(hours=10))
    row = _row(client.get(inbox).get_data(as_text=True), case)
    assert "govuk-tag--red" in row and "/extend" not in row  # overdue: no extension any more
    fixed_now(datetime(2026, 3, 2, 10, 0))
    cases.extend_case(case, staff, cases.extension_limit(case), "Jāapseko.")
    row = _row(client.get(inbox).get_data(as_text=True), case)
    assert "/extend" not in row and "govuk-tag--red" not in row  # extended once already


def test_a_shared_section_shows_its_new_number_of_comments(client, comment, make_user):
    page = f"/consultations/{comment.consultation_id}"
    section = comment.section
    assert "1 komentārs" in _section(client.get(page).get_data(as_text=True), section)
    consultations.add_comment(comment.consultation, make_user(), "Vēl viens.", section)
    assert "2 komentāri" in _section(client.get(page).get_data(as_text=True), section)


def _section(page: str, section) -> str:
    start = page.index(f'id="section-{section.id}"')
    return page[start:page.index("</li>", start)]


def test_a_shared_proposal_card_shows_supporters_answers_and_moderation(client, make_proposal, make_user, make_staff, moderator):
    from participation.proposals import services as proposals

    proposal = make_proposal(title="Velosipēdu novietne")
    assert "0 atbalstītāju" in _card(client.get("/proposals/").get_data(as_text=True), proposal)
    proposals.support(proposal, make_user())
    before = _card(client.get("/proposals/").get_data(as_text=True), proposal)
    assert "1 atbalstītājs" in before and " — " not in before
    cases.answer_case(proposal.case, make_staff(proposal.institution), Position.ACCEPTED, "Būs.")
    assert " — " in _card(client.get("/proposals/").get_data(as_text=True), proposal)  # the position after the state
    moderation.hide(proposal, moderator, HideReason.SPAM)
    card = _card(client.get("/proposals/").get_data(as_text=True), proposal)
    assert "Velosipēdu novietne" not in card and "moderation-notice" in card


def _card(page: str, proposal) -> str:
    start = page.index(f'/proposals/{proposal.id}"')
    return page[page.rindex("<li", 0, start):page.index("</li>", start)]


def test_a_shared_consultation_card_counts_down_its_days(client, make_consultation, fixed_now):
    make_consultation(with_comment=False)
    first = client.get("/consultations/").get_data(as_text=True)
    fixed_now(utcnow() + timedelta(days=3))
    later = client.get("/consultations/").get_data(as_text=True)
    days = re.compile(r"(\d+) dien")
    assert int(days.search(first).group(1)) == int(days.search(later).group(1)) + 3


def _row(page: str, case) -> str:
    start = page.index(f'/cases/{case.id}"')
    return page[page.rindex("<tr", 0, start):page.index("</tr>", start)]


# --- the keys and the store, directly ----------------------------------------------------------------------------


def _comment(**changes):
    values = dict(id=7, text=TEXT, created_at=utcnow().replace(microsecond=0), show_name=True, represents="",
                  author=SimpleNamespace(display_name="Ilze"), group=None, section=SimpleNamespace(label="1."),
                  moderation="approved", hidden_reason=None, is_hidden=False, highlighted=False, off_topic=False,
                  case=None, case_id=None, replies=[])
    values.update(changes)
    return SimpleNamespace(**values)


def test_the_layout_is_rendered_once_per_key(sqlite_app):
    renders = []

    def render(text):
        renders.append(text)
        return f"<p>{text}</p>"

    sqlite_app.extensions.pop("lidzdaliba.remembered", None)
    try:
        with sqlite_app.app_context():
            assert cache.remembered(("footer", "lv"), render, "A") == "<p>A</p>"
            assert cache.remembered(("footer", "lv"), render, "changed") == "<p>A</p>"  # the key says it is the same
            assert cache.remembered(("footer", "en"), render, "B") == "<p>B</p>"
            assert renders == ["A", "B"]
    finally:
        sqlite_app.extensions.pop("lidzdaliba.remembered", None)


def test_the_shared_navigation_follows_the_language_and_never_reaches_someone_signed_in(client, login, make_user):
    latvian = client.get("/").get_data(as_text=True)
    assert "Pieteikties" in latvian and "Sabiedriskās apspriešanas" in latvian
    client.get("/language/en")
    english = client.get("/").get_data(as_text=True)
    assert "Log in" in english and "Pieteikties" not in english and "Consultations" in english
    login(make_user("Ilze Ozola"))
    signed_in = client.get("/").get_data(as_text=True)
    assert "Log out" in signed_in and "Log in" not in signed_in and "Moderation log" in signed_in


def test_the_shared_open_cases_and_figures_of_an_institution_change_with_its_cases(client, make_case, make_staff, fixed_now):
    fixed_now(datetime(2026, 3, 2, 10, 0))
    first = make_case(title="Bedres Skolas ielā")
    page = f"/institutions/{first.institution.slug}"
    before = client.get(page).get_data(as_text=True)
    assert "Bedres Skolas ielā" in before and "govuk-tag--red" not in before
    second = make_case(institution=first.institution, title="Soliņi parkā")
    assert "Soliņi parkā" in client.get(page).get_data(as_text=True)
    cases.answer_case(second, make_staff(first.institution), Position.ACCEPTED, "Uzstādīsim.")
    after = client.get(page).get_data(as_text=True)
    assert "Soliņi parkā" not in after.split('id="figures-title"')[0] and "50" in after.split('id="figures-title"')[1]
    fixed_now(datetime(2026, 6, 1, 10, 0))  # the first case's deadline has passed
    assert "govuk-tag--red" in client.get(page).get_data(as_text=True)
