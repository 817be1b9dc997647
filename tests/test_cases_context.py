"""Staff answer in context: every action page shows the submission being answered (its title, who raised it, when,
its words, moderated as on the public pages) above the form; an action that comes too late (a second tab, a double
click, a colleague) says so with a link to what was recorded instead of a 403, and keeps what was typed."""
import re
from datetime import date, datetime

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from participation.cases import permissions, services
from participation.cases.models import CaseState, Position, Response
from participation.extensions import db
from participation.moderation import services as moderation
from participation.moderation.models import HideReason


@pytest.fixture
def lv(app):
    """lv(msgid, **values): the text as a Latvian page shows it (from the catalogue, whatever it says)."""
    def _lv(message, **values):
        with app.test_request_context("/"), force_locale("lv"):
            return gettext(message, **values)
    return _lv


def _count_responses(case) -> int:
    return db.session.scalar(select(func.count(Response.id)).where(Response.case_id == case.id))


def _subject(page: str) -> str:
    """The page's "what you are answering" section."""
    start = page.index('class="app-case-subject"')
    return page[start:page.index('<hr class="govuk-section-break', start)]


@pytest.mark.parametrize("action", ["answer", "extend", "forward", "not-examined"])
def test_every_action_page_shows_the_proposal_being_answered(client, login, make_proposal, make_staff, make_institution,
                                                             fixed_now, action):
    fixed_now(datetime(2026, 11, 16, 9, 0))
    make_institution()  # somewhere to forward to
    proposal = make_proposal(title="Soliņi pie bibliotēkas", problem="Pie bibliotēkas nav kur apsēsties.",
                             solution="Uzstādīt trīs soliņus ar atzveltnēm.")
    fixed_now(datetime(2026, 11, 17, 9, 0))
    login(make_staff(proposal.institution))
    page = client.get(f"/cases/{proposal.case.id}/{action}").get_data(as_text=True)
    subject = _subject(page)
    for shown in ("Soliņi pie bibliotēkas", proposal.author.display_name, proposal.case.number,
                  "Pie bibliotēkas nav kur apsēsties.", "Uzstādīt trīs soliņus ar atzveltnēm.",
                  "2026. gada 16. novembrī plkst. 11:00"):  # received, in Riga time, locative
        assert shown in subject, shown
    assert page.index('class="app-case-subject"') < page.index('<form method="post" novalidate>')  # above the form
    assert 'class="govuk-breadcrumbs' in page and f'href="/cases/{proposal.case.id}"' in page


def test_the_implemented_and_correction_pages_show_the_submission_too(client, login, make_case, make_staff):
    case = make_case(title="Bedres Skolas ielā", body="Bedres ir jau trīs gadus.")
    responder = make_staff(case.institution)
    answer = services.answer_case(case, responder, Position.ACCEPTED, "Salabosim.")
    login(responder)
    for path in (f"/cases/{case.id}/implemented", f"/responses/{answer.id}/correct"):
        subject = _subject(client.get(path).get_data(as_text=True))
        assert "Bedres Skolas ielā" in subject and "Bedres ir jau trīs gadus." in subject and "Pēteris Kalējs" in subject


def test_a_hidden_proposal_shows_its_notice_not_its_text_to_staff(client, login, make_proposal, make_staff, make_user, lv):
    proposal = make_proposal(problem="Te ir kāda cilvēka tālruņa numurs 20000000.")
    moderation.hide(proposal, make_user(is_moderator=True), HideReason.PERSONAL_DATA)
    login(make_staff(proposal.institution))
    page = client.get(f"/cases/{proposal.case.id}/answer").get_data(as_text=True)
    subject = _subject(page)
    assert "20000000" not in page and "app-moderation-notice" in subject
    assert lv("Proposal no. %(number)d", number=proposal.id) in subject and proposal.title not in subject


def test_a_double_submitted_answer_says_it_was_answered_and_keeps_the_text(client, login, make_case, make_staff, lv):
    case = make_case(title="Soliņi parkā")
    login(make_staff(case.institution))
    first = client.post(f"/cases/{case.id}/answer", data={"position": "accepted", "text": "Uzstādīsim pavasarī."})
    assert first.status_code == 302 and first.headers["Location"] == f"/cases/{case.id}"  # relative
    second = client.post(f"/cases/{case.id}/answer", data={"position": "noted", "text": "Otrā cilne:\nmans garais teksts."})
    page = second.get_data(as_text=True)
    assert second.status_code == 409  # a conflict, not a permission error
    assert lv("This case was already answered.") in page
    latest = db.session.scalars(select(Response.id).where(Response.case_id == case.id)).one()
    assert f'href="/cases/{case.id}#response-{latest}"' in page
    assert "Otrā cilne:\nmans garais teksts." in page  # nothing typed is lost
    assert _count_responses(case) == 1 and case.position == Position.ACCEPTED
    assert 'role="alert"' in page and '<form method="post" novalidate>' not in page  # no form to refuse again


def test_an_answer_racing_a_colleagues_is_told_the_same(client, login, make_case, make_staff, monkeypatch):
    """Both pass the permission check; the second finds the row answered when it locks it (services._require_awaiting)."""
    case = make_case()
    responder = make_staff(case.institution)
    login(responder)
    services.answer_case(case, make_staff(case.institution), Position.NOTED, "Kolēģa atbilde.")
    monkeypatch.setattr(permissions, "can_answer", lambda user, case: True)  # as if read before the colleague's commit
    response = client.post(f"/cases/{case.id}/answer", data={"position": "accepted", "text": "Mana atbilde."})
    assert response.status_code == 409 and "Mana atbilde." in response.get_data(as_text=True)
    assert _count_responses(case) == 1


def test_a_second_tab_after_not_examined_forward_or_extension_is_told_what_happened(client, login, make_case, make_staff,
                                                                                    make_institution, fixed_now, lv):
    fixed_now(datetime(2026, 11, 17, 9, 0))
    staff_institution = make_institution()
    responder = make_staff(staff_institution)
    login(responder)

    closed = make_case(staff_institution)
    services.mark_not_examined(closed, responder, "Iesniegumu likuma 5. pants.")
    page = client.post(f"/cases/{closed.id}/answer", data={"position": "noted", "text": "Par vēlu."}).get_data(as_text=True)
    assert lv("This case was already closed as not examined.") in page and "Par vēlu." in page

    moved = make_case(staff_institution)
    target = make_institution(name="Kompetentā iestāde")
    services.forward_case(moved, responder, target, "Nav mūsu kompetencē.")
    late = client.post(f"/cases/{moved.id}/not-examined", data={"reason": "Mans iemesls."})
    assert late.status_code == 409
    assert lv("This case was already forwarded to %(institution)s.", institution=target.name) in late.get_data(as_text=True)
    assert "Mans iemesls." in late.get_data(as_text=True)

    extended = make_case(staff_institution)
    services.extend_case(extended, responder, services.extension_limit(extended), "Vajag atzinumu.")
    again = client.get(f"/cases/{extended.id}/extend")
    assert again.status_code == 200 and lv("The deadline of this case was already extended.") in again.get_data(as_text=True)
    assert extended.state == CaseState.EXTENDED and _count_responses(extended) == 1


def test_someone_who_never_could_act_still_gets_a_403(client, login, make_case, make_staff, make_institution, make_user):
    case = make_case()
    services.answer_case(case, make_staff(case.institution), Position.NOTED, "Atbilde.")
    login(make_staff(make_institution()))
    assert client.post(f"/cases/{case.id}/answer", data={"position": "accepted", "text": "x"}).status_code == 403
    client.post("/account/logout")
    login(make_user())
    assert client.get(f"/cases/{case.id}/answer").status_code == 403


def test_an_over_long_answer_is_refused_with_the_text_kept_and_a_character_count(client, login, make_case, make_staff):
    case = make_case()
    login(make_staff(case.institution))
    form = client.get(f"/cases/{case.id}/answer").get_data(as_text=True)
    assert 'data-module="govuk-character-count"' in form and 'data-maxlength="10000"' in form
    assert 'class="govuk-details"' in form  # optional help on writing a clear answer
    too_long = "Ļoti gara atbilde. " * 600  # 11,400 characters
    response = client.post(f"/cases/{case.id}/answer", data={"position": "accepted", "text": too_long})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "govuk-error-summary" in page
    assert too_long.strip() in page  # kept whole, never cut
    assert case.state == CaseState.OPEN


def test_the_inbox_is_a_table_that_reflows_with_state_and_overdue_tags(client, login, make_case, make_staff, make_institution,
                                                                       fixed_now):
    fixed_now(datetime(2026, 11, 20, 10, 0))
    institution = make_institution()
    make_case(institution, title="Nokavētais", received_at=datetime(2026, 9, 21, 9, 0))
    make_case(institution, title="Jaunais", received_at=datetime(2026, 11, 19, 9, 0))
    login(make_staff(institution))
    html = client.get(f"/institutions/{institution.slug}/inbox").get_data(as_text=True)
    assert 'class="govuk-table app-table-stack app-inbox"' in html
    assert html.count('data-label=') >= 12  # every cell names its column when the rows stack
    overdue = re.findall(r'<strong class="govuk-tag govuk-tag--red app-tag-overdue">', html)
    assert len(overdue) == 1
    assert "govuk-tag--blue" in html  # the state of each case as a tag
    assert "2026. gada 3. decembris" in html  # the due day in the nominative (a table cell)
    assert not re.search(r">\s*2026-\d\d-\d\d\s*<", html)  # never an ISO date on screen


def test_the_log_marks_superseded_entries_and_links_the_correction(client, make_case, make_staff):
    case = make_case(title="Apgaismojums parkā")
    staff = make_staff(case.institution)
    first = services.answer_case(case, staff, Position.NOT_ACCEPTED, "Nē.")
    correction = services.correct_response(first, staff, Position.ACCEPTED, "Jā, tomēr.")
    log = client.get(f"/institutions/{case.institution.slug}/log").get_data(as_text=True)
    assert '<ol class="app-entries app-log">' in log
    assert f'id="response-{first.id}"' in log and 'app-entry app-entry--superseded' in log
    assert f'href="#response-{correction.id}"' in log
    assert "govuk-details" in log  # the correction carries the answer it corrects
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "app-entry--superseded" in page and "govuk-summary-list" in page


def test_case_dates_read_in_the_latvian_case_the_sentence_needs(client, login, make_case, make_staff, fixed_now):
    fixed_now(datetime(2026, 11, 20, 10, 0))
    case = make_case(received_at=datetime(2026, 11, 16, 9, 0))
    responder = make_staff(case.institution)
    services.extend_case(case, responder, date(2026, 12, 16), "Vajag atzinumu.")
    services.answer_case(case, responder, Position.ACCEPTED, "Darīsim.")
    services.record_implementation(case, responder, "Izdarīts.", date(2026, 11, 20))
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "2026. gada 16. decembrim" in page  # "Termiņš pagarināts līdz …" (dative)
    assert "2026. gada 20. novembrī" in page  # "Īstenots …" (locative)
    assert page.count("2026. gada 16. decembrim") == 2  # and "Atbilde jāsniedz līdz …", dative too
    client.get("/language/en")
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "16 December 2026" in page and "20 November 2026" in page


def test_a_comment_case_shows_the_comment_and_a_hidden_one_only_its_notice(client, login, make_consultation, make_user,
                                                                            make_staff, fixed_now):
    """The spine knows no channel: the moderated contribution behind a case is found through moderation's registry."""
    from datetime import timedelta

    from participation.consultations import services as consultations

    consultation = make_consultation(with_comment=False)
    kept = consultations.add_comment(consultation, make_user("Ilze Ozola"), "Soliņiem vajag atzveltnes.",
                                     consultation.versions[0].sections[0])
    hidden = consultations.add_comment(consultation, make_user("Trollis"), "Zvaniet man: 29999999.",
                                       consultation.versions[0].sections[0])
    moderation.hide(hidden, make_user(is_moderator=True), HideReason.PERSONAL_DATA)
    fixed_now(consultation.closes_at + timedelta(days=1))
    consultations.process_closed(consultation)
    login(make_staff(consultation.institution))
    page = client.get(f"/cases/{kept.case_id}/answer").get_data(as_text=True)
    assert "Soliņiem vajag atzveltnes." in _subject(page) and "Ilze Ozola" in _subject(page)
    page = client.get(f"/cases/{hidden.case_id}/answer").get_data(as_text=True)
    assert "29999999" not in page and "app-moderation-notice" in _subject(page)


def test_the_case_page_shows_the_proposals_words_and_hides_a_hidden_ones(client, login, make_proposal, make_staff, make_user):
    proposal = make_proposal(problem="Pie skolas nav ietves.")
    page = client.get(f"/cases/{proposal.case.id}").get_data(as_text=True)
    assert "Pie skolas nav ietves." in page and "subject-problem-title" in page
    moderation.hide(proposal, make_user(is_moderator=True), HideReason.PERSONAL_DATA)
    login(make_staff(proposal.institution))
    page = client.get(f"/cases/{proposal.case.id}").get_data(as_text=True)
    assert "Pie skolas nav ietves." not in page and "app-moderation-notice" in page and proposal.title not in page


def test_the_answer_page_chooses_no_position_in_advance(client, login, make_case, make_staff):
    case = make_case()
    login(make_staff(case.institution))
    page = client.get(f"/cases/{case.id}/answer").get_data(as_text=True)
    select = page[page.index('<select class="govuk-select'):page.index("</select>", page.index('<select class="govuk-select'))]
    assert re.search(r'<option value=""\s*(selected)?\s*>', select), select[:300]
    assert " selected" not in select.replace('<option value="" selected', "")  # no real position is preselected
    response = client.post(f"/cases/{case.id}/answer", data={"position": "", "text": "Atbildi rakstīju, nostāju aizmirsu."})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "govuk-error-summary" in body and "Atbildi rakstīju, nostāju aizmirsu." in body
    assert db.session.scalar(select_count_responses(case.id)) == 0


def select_count_responses(case_id):
    return select(func.count(Response.id)).where(Response.case_id == case_id)
