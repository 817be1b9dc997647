"""The spine through the app: inbox, answering, extending, forwarding, not examined, offline, the log."""
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from participation import clock
from participation.cases import services
from participation.cases.models import Case, CaseState, Channel, Position, Response, ResponseKind
from participation.extensions import db
from participation.institutions.models import StaffRole
from participation.outbox.models import OutboxMessage


def outbox_to(email):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == email)).all()


def test_opening_a_case_sets_due_date_and_sends_a_receipt(make_case):
    case = make_case(received_at=datetime(2026, 11, 16, 9, 0))
    assert case.state == CaseState.OPEN
    assert case.due_on == date(2026, 12, 1)
    assert case.number == f"L-2026-{case.id:06d}"
    assert any(case.number in m.subject for m in outbox_to(case.raised_by.email))


def test_overdue_is_derived_from_the_due_date_and_the_riga_clock(make_case, fixed_now):
    case = make_case(received_at=datetime(2026, 11, 16, 9, 0))  # due 1 December
    fixed_now(datetime(2026, 12, 1, 21, 59))  # 23:59 in Riga on the due day
    assert not case.is_overdue
    fixed_now(datetime(2026, 12, 1, 22, 0))  # midnight in Riga
    assert case.is_overdue
    case.state = CaseState.ANSWERED
    assert not case.is_overdue


def test_staff_answers_from_the_inbox_and_the_answer_is_in_the_public_log(client, login, make_case, make_staff):
    case = make_case(title="Soliņi parkā")
    responder = make_staff(case.institution)
    login(responder)
    inbox = client.get(f"/institutions/{case.institution.slug}/inbox").get_data(as_text=True)
    assert "Soliņi parkā" in inbox
    response = client.post(f"/cases/{case.id}/answer", data={"position": "accepted", "text": "Uzstādīsim pavasarī."})
    assert response.status_code == 302
    assert case.state == CaseState.ANSWERED and case.answered_at is not None
    client.post("/account/logout")
    log = client.get(f"/institutions/{case.institution.slug}/log").get_data(as_text=True)
    assert "Uzstādīsim pavasarī." in log and "Soliņi parkā" in log
    assert any("Uzstādīsim pavasarī." in m.body for m in outbox_to(case.raised_by.email))
    assert "Soliņi parkā" not in client.get(f"/institutions/{case.institution.slug}/inbox").get_data(as_text=True)


def test_inbox_sorts_by_due_date_marks_overdue_and_filters(client, login, make_case, make_staff, make_institution, fixed_now):
    fixed_now(datetime(2026, 11, 20, 10, 0))
    institution = make_institution()
    later = make_case(institution, title="Vēlākais", received_at=datetime(2026, 11, 19, 9, 0))  # due 3 Dec
    overdue = make_case(institution, title="Nokavētais", received_at=datetime(2026, 9, 21, 9, 0))  # due 5 Oct
    make_case(institution, title="Ziņa par lapu", channel=Channel.FEEDBACK, received_at=datetime(2026, 11, 17, 9, 0))
    login(make_staff(institution))
    html = client.get(f"/institutions/{institution.slug}/inbox").get_data(as_text=True)
    assert html.index("Nokavētais") < html.index("Ziņa par lapu") < html.index("Vēlākais")
    assert html.count("app-row--overdue") == 1 and html.count("app-tag-overdue") == 1
    html = client.get(f"/institutions/{institution.slug}/inbox?channel=feedback").get_data(as_text=True)
    assert "Ziņa par lapu" in html and "Vēlākais" not in html and "Nokavētais" not in html
    services.extend_case(later, make_staff(institution), later.due_on + timedelta(days=3), "Vajag vairāk laika")
    html = client.get(f"/institutions/{institution.slug}/inbox?state=extended").get_data(as_text=True)
    assert "Vēlākais" in html and "Nokavētais" not in html
    assert overdue.is_overdue


def test_inbox_pages_follow_the_due_order_with_each_rows_names(client, login, make_case, make_staff, make_institution,
                                                               make_user, fixed_now):
    """Page 2 holds the cases after page 1's in the due order, each with its own submitter's name (the page's cases
    are chosen over the index, then read with their names: cases/queries.py)."""
    fixed_now(datetime(2026, 11, 20, 10, 0))
    institution = make_institution()
    for n in range(23):  # received on 23 different days: due on 23 different days, oldest first
        make_case(institution, title=f"Lieta {n:02d}", raised_by=make_user(name=f"Iesniedzējs {n:02d}"),
                  received_at=datetime(2026, 10, 1, 9, 0) + timedelta(days=n))
    login(make_staff(institution))

    def shown(page):
        html = client.get(f"/institutions/{institution.slug}/inbox?page={page}").get_data(as_text=True)
        return [n for n in range(23) if f"Lieta {n:02d}<" in html], html

    first, _ = shown(1)
    second, html = shown(2)
    assert first == list(range(20)) and second == [20, 21, 22]
    assert [html.index(f"Lieta {n}<") < html.index(f"Iesniedzējs {n}") < html.index(f"Lieta {n + 1}<")
            for n in (20, 21)] == [True, True] and "Iesniedzējs 22" in html


def test_bad_filter_values_are_ignored_not_a_500(client, login, make_case, make_staff):
    case = make_case()
    login(make_staff(case.institution))
    response = client.get(f"/institutions/{case.institution.slug}/inbox?channel=nope&state=zzz&page=abc")
    assert response.status_code == 200


def test_extension_once_within_the_limit_and_the_submitter_is_told(client, login, make_case, make_staff, fixed_now):
    fixed_now(datetime(2026, 11, 20, 10, 0))
    case = make_case(received_at=datetime(2026, 11, 16, 9, 0))  # due 1 Dec, limit: one month -> 16 Dec
    login(make_staff(case.institution))
    too_late = client.post(f"/cases/{case.id}/extend", data={"new_due_on": "2026-12-17", "reason": "Vajag atzinumu"})
    assert too_late.status_code == 400
    page = too_late.get_data(as_text=True)
    assert "govuk-error-summary" in page and "Vajag atzinumu" in page  # the typed reason is kept
    earlier = client.post(f"/cases/{case.id}/extend", data={"new_due_on": "2026-11-30", "reason": "x"})
    assert earlier.status_code == 400
    ok = client.post(f"/cases/{case.id}/extend", data={"new_due_on": "2026-12-16", "reason": "Vajag atzinumu"})
    assert ok.status_code == 302
    assert case.due_on == date(2026, 12, 16) and case.state == CaseState.EXTENDED
    assert any("Vajag atzinumu" in m.body for m in outbox_to(case.raised_by.email))
    again = client.post(f"/cases/{case.id}/extend", data={"new_due_on": "2026-12-16", "reason": "vēlreiz"})
    assert again.status_code == 409 and "vēlreiz" in again.get_data(as_text=True)  # done already: said so, text kept
    assert case.due_on == date(2026, 12, 16)


def test_extension_limit_before_the_amendment_is_four_months(make_case, make_staff, fixed_now):
    fixed_now(datetime(2026, 1, 20, 10, 0))
    case = make_case(received_at=datetime(2026, 1, 10, 9, 0))
    assert services.extension_limit(case) == date(2026, 5, 11)  # 10 May is a Sunday
    services.extend_case(case, make_staff(case.institution), date(2026, 5, 11), "Jāsaņem atzinumi")
    assert case.due_on == date(2026, 5, 11)


def test_an_unreadable_date_gets_a_clear_message(client, login, make_case, make_staff):
    case = make_case()
    login(make_staff(case.institution))
    response = client.post(f"/cases/{case.id}/extend", data={"new_due_on": "31.12.", "reason": "Iemesls"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "30 12 2026" in page  # the example, in the date input's day-month-year order
    assert "31.12." in page  # what was typed is shown again


def test_forward_moves_the_case_and_both_logs_show_it(client, login, make_case, make_staff, make_institution):
    case = make_case(title="Ceļa remonts")
    origin = case.institution
    target = make_institution(name="Kompetentā pašvaldība")
    login(make_staff(origin))
    response = client.post(f"/cases/{case.id}/forward", data={"target": target.id, "reason": "Pašvaldības ceļš"})
    assert response.status_code == 302
    assert case.institution_id == target.id and case.forwarded_from_id == origin.id
    assert case.state == CaseState.FORWARDED
    for institution in (origin, target):
        log = client.get(f"/institutions/{institution.slug}/log").get_data(as_text=True)
        assert "Pašvaldības ceļš" in log and "Ceļa remonts" in log
    # The origin can no longer act on it (it is told where the case went); the target's responder can.
    late = client.post(f"/cases/{case.id}/answer", data={"position": "answered", "text": "x"})
    assert late.status_code == 409 and "Kompetentā pašvaldība" in late.get_data(as_text=True)
    client.post("/account/logout")
    login(make_staff(target))
    assert "Ceļa remonts" in client.get(f"/institutions/{target.slug}/inbox").get_data(as_text=True)
    assert client.post(f"/cases/{case.id}/answer", data={"position": "answered", "text": "Salabosim"}).status_code == 302
    kinds = [r.kind for r in db.session.scalars(select(Response).where(Response.case_id == case.id).order_by(Response.id))]
    assert kinds == [ResponseKind.FORWARD, ResponseKind.ANSWER]


def test_not_examined_with_a_legal_reason(client, login, make_case, make_staff):
    case = make_case()
    login(make_staff(case.institution))
    assert client.post(f"/cases/{case.id}/not-examined", data={"reason": ""}).status_code == 400
    assert client.post(f"/cases/{case.id}/not-examined", data={"reason": "Iesniegumu likuma 5. pants"}).status_code == 302
    assert case.state == CaseState.NOT_EXAMINED
    assert client.post(f"/cases/{case.id}/answer", data={"position": "answered", "text": "x"}).status_code == 409
    assert case.state == CaseState.NOT_EXAMINED and len(db.session.scalars(select(Response).where(Response.case_id == case.id)).all()) == 1


def test_correction_supersedes_and_the_log_keeps_both(client, login, make_case, make_staff, make_institution):
    case = make_case()
    responder = make_staff(case.institution)
    first = services.answer_case(case, responder, Position.NOT_ACCEPTED, "Pirmā atbilde")
    login(responder)
    response = client.post(f"/responses/{first.id}/correct", data={"position": "accepted", "text": "Labotā atbilde"})
    assert response.status_code == 302
    log = client.get(f"/institutions/{case.institution.slug}/log").get_data(as_text=True)
    assert "Pirmā atbilde" in log and "Labotā atbilde" in log
    assert log.index("Labotā atbilde") < log.rindex("Pirmā atbilde")
    assert first.superseded_by is not None and first.superseded_by.text == "Labotā atbilde"
    # The superseded answer cannot be corrected again; only the newest one (the page says it was corrected already).
    again = client.post(f"/responses/{first.id}/correct", data={"position": "noted", "text": "y"})
    assert again.status_code == 409 and first.superseded_by.text == "Labotā atbilde"
    client.post("/account/logout")
    login(make_staff(make_institution()))  # someone who could never correct it: a plain refusal
    assert client.post(f"/responses/{first.id}/correct", data={"position": "noted", "text": "y"}).status_code == 403


def test_staff_register_an_offline_contribution(client, login, make_institution, make_staff, fixed_now):
    fixed_now(datetime(2026, 11, 25, 10, 0))
    institution = make_institution()
    login(make_staff(institution))
    future = (clock.riga_today() + timedelta(days=2)).isoformat()
    refused = client.post(f"/institutions/{institution.slug}/offline", data={
        "title": "Vēstule par skolu", "source": "letter", "received_on": future, "body": "Teksts", "submitter": "J. B."})
    assert refused.status_code == 400 and "Vēstule par skolu" in refused.get_data(as_text=True)
    response = client.post(f"/institutions/{institution.slug}/offline", data={
        "title": "Vēstule par skolu", "source": "letter", "received_on": "2026-11-20", "body": "Lūdzu remontēt skolu.",
        "submitter": "J. B."})
    assert response.status_code == 302
    case = db.session.scalars(select(Case).where(Case.title == "Vēstule par skolu")).one()
    assert case.channel == Channel.OFFLINE and case.raised_by is None
    assert clock.riga_date(case.received_at) == date(2026, 11, 20)
    assert case.due_on == date(2026, 12, 4)


def test_private_cases_are_hidden_from_the_public_and_the_log(client, login, make_case, make_staff, make_user):
    case = make_case(title="Privāta lieta", is_private=True)
    responder = make_staff(case.institution)
    services.answer_case(case, responder, Position.ANSWERED, "Slepena atbilde")
    assert client.get(f"/cases/{case.id}").status_code == 404
    assert "Slepena atbilde" not in client.get(f"/institutions/{case.institution.slug}/log").get_data(as_text=True)
    login(make_user())
    assert client.get(f"/cases/{case.id}").status_code == 404
    client.post("/account/logout")
    login(case.raised_by)
    assert "Slepena atbilde" in client.get(f"/cases/{case.id}").get_data(as_text=True)


def test_log_is_newest_first_and_paginated(client, make_case, make_staff, make_institution):
    institution = make_institution()
    responder = make_staff(institution)
    for n in range(25):
        services.answer_case(make_case(institution, title=f"Lieta {n}", raised_by=None), responder, Position.NOTED, f"Atbilde numur {n:02d}.")
    first = client.get(f"/institutions/{institution.slug}/log").get_data(as_text=True)
    second = client.get(f"/institutions/{institution.slug}/log?page=2").get_data(as_text=True)
    assert "Atbilde numur 24." in first and "Atbilde numur 05." in first and "Atbilde numur 04." not in first
    assert "Atbilde numur 04." in second and "Atbilde numur 00." in second


def test_institution_figures(client, make_case, make_staff, make_institution, fixed_now):
    from participation.institutions.figures import institution_figures

    institution = make_institution()
    responder = make_staff(institution)
    fixed_now(datetime(2026, 11, 20, 10, 0))
    quick = make_case(institution, received_at=datetime(2026, 11, 16, 9, 0))  # due 1 Dec
    services.answer_case(quick, responder, Position.ACCEPTED, "Jā")  # 3 working days (18 Nov off)
    slow = make_case(institution, received_at=datetime(2026, 10, 1, 9, 0))  # due 15 Oct
    services.answer_case(slow, responder, Position.NOTED, "Vēlu")  # 35 working days, late
    make_case(institution, received_at=datetime(2026, 9, 1, 9, 0))  # overdue
    make_case(institution, received_at=datetime(2026, 11, 19, 9, 0))  # open, not yet due

    make_case(institution, received_at=datetime(2026, 11, 19, 9, 0), is_private=True)  # open too, and private

    figures = institution_figures(institution.id)
    assert (figures.received, figures.answered, figures.overdue_now, figures.awaiting_now) == (5, 2, 1, 3)
    assert figures.answered_share == 2 / 5
    assert figures.within_deadline_share == 0.5
    assert figures.median_working_days == (3 + 35) / 2
    client.get("/language/en")
    page = client.get(f"/institutions/{institution.slug}").get_data(as_text=True)
    assert "3 cases are awaiting an answer." in page  # the private one counted, not listed
    figures = page[page.index('id="figures-title"'):]
    assert "40%" in figures and "50%" in figures and "19 working days" in figures


def test_inbox_offers_the_actions_the_case_allows(client, login, make_case, make_staff, make_institution):
    institution = make_institution()
    fresh = make_case(institution, title="Jauna")
    extended = make_case(institution, title="Pagarināta")
    responder = make_staff(institution)
    services.extend_case(extended, responder, extended.due_on + timedelta(days=2), "Vajag laiku")
    login(responder)
    html = client.get(f"/institutions/{institution.slug}/inbox").get_data(as_text=True)
    assert f"/cases/{fresh.id}/answer" in html and f"/cases/{fresh.id}/extend" in html and f"/cases/{fresh.id}/forward" in html
    assert f"/cases/{extended.id}/answer" in html and f"/cases/{extended.id}/extend" not in html
    client.post("/account/logout")
    login(make_staff(institution, role=StaffRole.EDITOR))
    assert f"/cases/{fresh.id}/answer" not in client.get(f"/institutions/{institution.slug}/inbox").get_data(as_text=True)


def test_extend_and_forward_pages_state_the_legal_dates(client, login, make_case, make_staff, fixed_now):
    fixed_now(datetime(2026, 11, 20, 10, 0))
    case = make_case(received_at=datetime(2026, 11, 16, 9, 0))
    login(make_staff(case.institution))
    client.get("/language/en")
    assert "The latest date the law allows: 16 December 2026." in client.get(f"/cases/{case.id}/extend").get_data(as_text=True)
    assert services.forward_deadline(case) == date(2026, 11, 24)  # five working days, 18 November off
    assert "24 November 2026" in client.get(f"/cases/{case.id}/forward").get_data(as_text=True)
    client.get("/language/lv")  # Latvian declines the month as the sentence needs: "līdz" takes the dative
    assert "2026. gada 24. novembrim" in client.get(f"/cases/{case.id}/forward").get_data(as_text=True)
    assert "2026. gada 16. decembris" in client.get(f"/cases/{case.id}/extend").get_data(as_text=True)


def test_an_extension_must_come_before_the_deadline(client, login, make_case, make_staff, fixed_now):
    fixed_now(datetime(2026, 12, 2, 10, 0))
    case = make_case(received_at=datetime(2026, 11, 16, 9, 0))  # due 1 December: overdue now
    responder = make_staff(case.institution)
    with pytest.raises(services.CaseActionRefused):
        services.extend_case(case, responder, date(2026, 12, 10), "Par vēlu")
    login(responder)
    assert client.get(f"/cases/{case.id}/extend").status_code == 403
    assert f"/cases/{case.id}/extend" not in client.get(f"/institutions/{case.institution.slug}/inbox").get_data(as_text=True)


def test_a_forwarded_case_counts_from_the_day_it_was_forwarded(make_case, make_staff, make_institution, fixed_now):
    fixed_now(datetime(2026, 11, 2, 9, 0))
    case = make_case(received_at=datetime(2026, 11, 2, 9, 0))
    target = make_institution()
    fixed_now(datetime(2026, 11, 25, 10, 0))
    services.forward_case(case, make_staff(case.institution), target, "Nav mūsu kompetencē")
    assert case.due_on == date(2026, 12, 9)  # ten working days from 25 November
    assert services.extension_limit(case) == date(2026, 12, 28)  # one month from the forward, 25 Dec off
    services.extend_case(case, make_staff(target), date(2026, 12, 22), "Vajag atzinumu")
    assert case.due_on == date(2026, 12, 22)


def test_the_case_number_uses_the_riga_year(make_case):
    case = make_case(received_at=datetime(2026, 12, 31, 22, 30))  # 00:30 on 1 January 2027 in Riga
    assert case.number.startswith("L-2027-")


def test_a_failing_notification_leaves_no_half_saved_answer(make_case, make_staff):
    from participation.signals import response_recorded

    case = make_case()
    responder = make_staff(case.institution)

    def broken(sender, **extra):
        raise RuntimeError("mail system down")

    response_recorded.connect(broken)
    try:
        with pytest.raises(RuntimeError):
            services.answer_case(case, responder, Position.ACCEPTED, "Jā")
    finally:
        response_recorded.disconnect(broken)
    db.session.rollback()
    assert case.state == CaseState.OPEN
    assert db.session.scalars(select(Response).where(Response.case_id == case.id)).first() is None


def test_institution_page_lists_what_it_has_open(client, make_case, make_institution):
    institution = make_institution()
    make_case(institution, title="Atklāta lieta")
    make_case(institution, title="Privāta atklāta lieta", is_private=True)
    page = client.get(f"/institutions/{institution.slug}").get_data(as_text=True)
    assert "Atklāta lieta" in page and "Privāta atklāta lieta" not in page


def test_the_response_logs_total_counts_forwards_on_both_sides_and_leaves_out_private_cases(make_institution, make_case, make_staff):
    from participation.cases import queries

    first, second = make_institution(), make_institution()
    staff, other_staff = make_staff(first), make_staff(second)
    answered = [make_case(first) for _ in range(3)]
    for case in answered:
        services.answer_case(case, staff, Position.NOTED, "Atbilde.")
    forwarded = make_case(first)
    services.forward_case(forwarded, staff, second, "Tā ir otras iestādes kompetence.")
    services.answer_case(forwarded, other_staff, Position.ACCEPTED, "Izdarīsim.")
    answered[0].is_private = True  # e.g. the comment behind it was hidden by a moderator
    db.session.commit()

    for institution, expected in ((first, 3), (second, 2)):  # first: 2 answers + the forward; second: the forward + its answer
        page = queries.response_log(institution.id)
        assert page.total == expected == len(page.items), institution.name
