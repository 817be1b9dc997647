"""Co-created municipal regulations (issue 16): stages and their rules, ideas and supports, amendments with their diff,
endorsements, decisions in the response log, a clause's history, offline contributions, the consultation through
consultations.services with the 2-week minimum, adoption with credits, moderation, the Atom feed. Through the app, on
SQLite and PostgreSQL."""
from datetime import date, datetime, timedelta

import pytest
from lxml import etree
from sqlalchemy import func, inspect, select

from participation.cases.models import Case, CaseState, Channel, OfflineSource, Position, Response
from participation.clock import riga_today
from participation.cocreation import services
from participation.cocreation.models import (
    Amendment,
    AmendmentKind,
    AmendmentState,
    CoCreation,
    EventKind,
    Idea,
    MemberRole,
    RegulationVersion,
    Stage,
    TimelineEvent,
)
from participation.consultations.models import Consultation
from participation.extensions import db
from participation.groups import services as group_services
from participation.institutions.models import StaffRole
from participation.moderation import services as moderation_services
from participation.moderation.models import HideReason

DRAFT = """Rēzeknes novada pašvaldības saistošie noteikumi par mājdzīvnieku turēšanu

1. Noteikumi nosaka mājdzīvnieku turēšanas kārtību novadā.
2. Suņus pastaigā ved pavadā.
3. Noteikumi stājas spēkā nākamajā dienā pēc publicēšanas.
"""


@pytest.fixture
def login(client, login):
    """Log out whoever is signed in, then log this user in through the form."""

    def _switch(user):
        client.post("/account/logout")
        return login(user)

    return _switch


@pytest.fixture
def people(make_institution, make_staff, make_user, make_group):
    municipality = make_institution()
    # English pages (the msgids): the Latvian catalogue is merged later; the pages are the same in both languages.
    coordinator = make_staff(municipality, role=StaffRole.EDITOR, name="Koordinatore Ilze", locale="en")
    responder = make_staff(municipality, role=StaffRole.RESPONDER, name="Atbildētājs Jānis", locale="en")
    resident = make_user(name="Anna Bērziņa", locale="en")
    private = make_user(name="Slepenā Persona", locale="en")
    other = make_user(name="Pēteris Kalējs", locale="en")
    youth_leader = make_user(name="Elza Krūmiņa", locale="en")
    youth = make_group(leader=youth_leader, name="Rēzeknes jauniešu dome")
    other_staff = make_staff(make_institution(), role=StaffRole.ADMIN, name="Cita pašvaldība", locale="en")
    invited = make_user(name="Uzaicinātā iedzīvotāja", locale="en")
    return dict(municipality=municipality, coordinator=coordinator, responder=responder, resident=resident, private=private,
                other=other, youth_leader=youth_leader, youth=youth, other_staff=other_staff, invited=invited)


def _process(people, **dates) -> CoCreation:
    today = riga_today()
    return services.create_process(people["municipality"], people["coordinator"], "Mājdzīvnieku turēšanas noteikumi",
                                   "Suņi skraida bez pavadas.", dates.get("ideas_until", today + timedelta(days=10)),
                                   today + timedelta(days=40), today + timedelta(days=90))


def _drafting(people) -> CoCreation:
    process = _process(people)
    services.publish_draft(process, people["coordinator"], DRAFT)
    return process


def _lineage(process, number: str) -> int:
    version = services.current_version(process.id)
    return next(c.lineage for c in services.clauses_of(version.id) if c.number == number)


def _clause_text(process, lineage):
    clause = services.clause_in_force(process.id, lineage)
    return clause.text if clause else None


# --- starting ---------------------------------------------------------------------------------------------------


def test_staff_of_the_municipality_start_a_process_through_the_form(client, login, people):
    login(people["coordinator"])
    today = riga_today()
    form = {"title": "Noteikumi", "problem": "Problēma",
            "ideas_until": (today + timedelta(days=5)).isoformat(), "drafting_until": (today + timedelta(days=3)).isoformat(),
            "adoption_planned_on": (today + timedelta(days=60)).isoformat()}
    response = client.post(f"/cocreation/new/{people['municipality'].slug}", data=form)
    assert response.status_code == 400 and "must follow each other" in response.get_data(as_text=True)
    assert 'value="Noteikumi"' in response.get_data(as_text=True)  # nothing typed is lost
    form["drafting_until"] = (today + timedelta(days=30)).isoformat()
    response = client.post(f"/cocreation/new/{people['municipality'].slug}", data=form)
    assert response.status_code == 302
    process = db.session.scalars(select(CoCreation)).one()
    assert process.stage == Stage.IDEAS and process.institution_id == people["municipality"].id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Noteikumi" in page and "Problem and ideas" in page


def test_other_municipalitys_staff_may_not_start_or_run_a_process(client, login, people):
    process = _process(people)
    login(people["other_staff"])
    assert client.get(f"/cocreation/new/{people['municipality'].slug}").status_code == 403
    assert client.post(f"/cocreation/{process.id}/draft", data={"source": DRAFT}).status_code == 403
    assert client.post(f"/cocreation/{process.id}/stop", data={"reason": "x"}).status_code == 403


# --- ideas --------------------------------------------------------------------------------------------------


def test_ideas_are_posted_supported_once_and_answered_in_the_log(client, login, people):
    process = _process(people)
    login(people["resident"])
    response = client.post(f"/cocreation/{process.id}/ideas/new",
                           data={"on_behalf": "0", "title": "Suņu laukums", "text": "Ierīkot suņu pastaigu laukumu.", "show_name": "y"})
    assert response.status_code == 302
    idea = db.session.scalars(select(Idea)).one()
    assert idea.case.channel == Channel.REGULATION and idea.case.state == CaseState.OPEN
    assert idea.case.item_url == f"/cocreation/{process.id}/ideas/{idea.id}"
    assert idea.case.institution_id == people["municipality"].id
    # the author may not support their own idea; another resident supports once
    assert client.post(f"/cocreation/{process.id}/ideas/{idea.id}/support").status_code == 403
    login(people["other"])
    assert client.post(f"/cocreation/{process.id}/ideas/{idea.id}/support").status_code == 302
    assert client.post(f"/cocreation/{process.id}/ideas/{idea.id}/support").status_code == 302
    db.session.refresh(idea)
    assert idea.support_count == 1
    # a resident cannot answer; a working-group responder can
    assert client.post(f"/cocreation/{process.id}/ideas/{idea.id}/answer", data={"position": "accepted", "text": "x"}).status_code == 403
    login(people["responder"])
    response = client.post(f"/cocreation/{process.id}/ideas/{idea.id}/answer",
                           data={"position": "accepted", "text": "Iekļausim laukumu noteikumos."})
    assert response.status_code == 302
    db.session.refresh(idea.case)
    assert idea.case.state == CaseState.ANSWERED and idea.case.position == Position.ACCEPTED
    assert idea.case.answered_in_time  # the spine's deadline rules
    page = client.get(f"/cocreation/{process.id}/ideas/{idea.id}").get_data(as_text=True)
    assert "Iekļausim laukumu noteikumos." in page
    log = client.get(f"/institutions/{people['municipality'].slug}/log").get_data(as_text=True)
    assert "Iekļausim laukumu noteikumos." in log
    kinds = db.session.scalars(select(TimelineEvent.kind).where(TimelineEvent.process_id == process.id)).all()
    assert EventKind.IDEA in kinds and EventKind.IDEA_ANSWERED in kinds


def test_a_group_member_posts_for_the_group_and_an_outsider_cannot(client, login, people):
    process = _process(people)
    login(people["youth_leader"])
    response = client.post(f"/cocreation/{process.id}/ideas/new",
                           data={"on_behalf": str(people["youth"].id), "title": "Jauniešu ideja", "text": "Teksts"})
    assert response.status_code == 302
    idea = db.session.scalars(select(Idea)).one()
    assert idea.group_id == people["youth"].id and idea.case.raised_by_group_id == people["youth"].id
    login(people["other"])
    response = client.post(f"/cocreation/{process.id}/ideas/new",
                           data={"on_behalf": str(people["youth"].id), "title": "Nav biedrs", "text": "Teksts"})
    assert response.status_code == 400  # not one of their groups: the choice is refused at the field
    assert db.session.scalar(select(func.count(Idea.id))) == 1


def test_nothing_is_posted_or_supported_in_a_closed_stage(client, login, people):
    process = _process(people)
    idea = services.post_idea(process, people["resident"], "Ideja", "Teksts")
    services.publish_draft(process, people["coordinator"], DRAFT)
    login(people["other"])
    assert client.post(f"/cocreation/{process.id}/ideas/new", data={"on_behalf": "0", "title": "T", "text": "T"}).status_code == 403
    assert client.post(f"/cocreation/{process.id}/ideas/{idea.id}/support").status_code == 403
    with pytest.raises(services.CoCreationRefused):
        services.post_idea(process, people["other"], "Vēlu", "Teksts")
    with pytest.raises(services.CoCreationRefused):
        services.support_idea(idea, people["other"])
    with pytest.raises(services.CoCreationRefused):
        services.publish_draft(process, people["coordinator"], DRAFT)  # drafting began once


# --- drafting and amendments ------------------------------------------------------------------------------------


def test_the_draft_is_split_into_clauses_and_an_amendment_shows_a_word_diff(client, login, people):
    process = _drafting(people)
    version = services.current_version(process.id)
    numbers = [c.number for c in services.clauses_of(version.id)]
    assert numbers == ["", "1.", "2.", "3."]
    lineage = _lineage(process, "2.")
    login(people["resident"])
    response = client.post(f"/cocreation/{process.id}/clauses/{lineage}/amend",
                           data={"on_behalf": "0", "kind": "replace", "text": "Suņus pastaigā ved pavadā vai uzpurnī.",
                                 "reason": "Drošībai.", "show_name": "y"})
    assert response.status_code == 302
    amendment = db.session.scalars(select(Amendment)).one()
    assert amendment.state == AmendmentState.EVALUATING and amendment.case.channel == Channel.REGULATION
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<ins> vai uzpurnī</ins>" in page
    clause_page = client.get(f"/cocreation/{process.id}/clauses/{lineage}").get_data(as_text=True)
    assert amendment.number in clause_page and "<ins> vai uzpurnī</ins>" in clause_page


def test_amendment_form_errors_keep_what_was_typed(client, login, people):
    process = _drafting(people)
    lineage = _lineage(process, "2.")
    login(people["resident"])
    response = client.post(f"/cocreation/{process.id}/clauses/{lineage}/amend",
                           data={"on_behalf": "0", "kind": "replace", "text": "Mans jaunais teksts", "reason": ""})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "govuk-error-summary" in body and "Mans jaunais teksts" in body


def test_endorsements_once_each_and_not_by_the_author(client, login, people):
    process = _drafting(people)
    amendment = services.propose_amendment(process, _lineage(process, "2."), people["resident"], AmendmentKind.DELETE, "", "Lieks.")
    login(people["resident"])
    assert client.post(f"/cocreation/{process.id}/amendments/{amendment.id}/endorse").status_code == 403
    login(people["other"])
    for _ in range(3):
        assert client.post(f"/cocreation/{process.id}/amendments/{amendment.id}/endorse").status_code == 302
    db.session.refresh(amendment)
    assert amendment.endorsement_count == 1
    assert services.endorse(amendment, people["other"]) is False


def test_accepting_produces_the_next_version_and_the_clause_history(client, login, people):
    process = _drafting(people)
    lineage = _lineage(process, "2.")
    replace = services.propose_amendment(process, lineage, people["resident"], AmendmentKind.REPLACE,
                                         "Suņus pastaigā ved pavadā vai uzpurnī.", "Drošībai.")
    added = services.propose_amendment(process, lineage, people["youth_leader"], AmendmentKind.ADD_AFTER,
                                       "2.1. Suņu laukumos suņus drīkst palaist brīvi.", "Jauniešu priekšlikums.",
                                       group=people["youth"])
    rejected = services.propose_amendment(process, _lineage(process, "3."), people["other"], AmendmentKind.DELETE, "", "Nevajag.")
    login(people["responder"])
    response = client.post(f"/cocreation/{process.id}/amendments/{replace.id}/decide",
                           data={"position": "accepted", "text": "Pieņemts.", "taken_text": ""})
    assert response.status_code == 302
    response = client.post(f"/cocreation/{process.id}/amendments/{added.id}/decide",
                           data={"position": "partly_accepted", "text": "Daļēji.", "taken_text": "Suņu laukumos suņus drīkst palaist bez pavadas."})
    assert response.status_code == 302
    response = client.post(f"/cocreation/{process.id}/amendments/{rejected.id}/decide",
                           data={"position": "not_accepted", "text": "Spēkā stāšanās jānosaka.", "taken_text": ""})
    assert response.status_code == 302
    for item in (replace, added, rejected):
        db.session.refresh(item)
    assert [replace.state, added.state, rejected.state] == [AmendmentState.ACCEPTED, AmendmentState.PARTLY_ACCEPTED, AmendmentState.REJECTED]
    assert replace.case.position == Position.ACCEPTED and rejected.case.state == CaseState.ANSWERED
    assert services.current_version(process.id).number == 3
    assert _clause_text(process, lineage) == "Suņus pastaigā ved pavadā vai uzpurnī."
    new_clause = services.clause_in_force(process.id, added.result_lineage)
    assert new_clause.number == "" and new_clause.text == "Suņu laukumos suņus drīkst palaist bez pavadas."
    order = [c.lineage for c in services.clauses_of(services.current_version(process.id).id)]
    assert order.index(added.result_lineage) == order.index(lineage) + 1  # added after the clause it amends
    version, clauses = services.current_text(process.id)  # the same, in one statement
    assert version.number == 3 and [c.lineage for c in clauses] == order
    assert "version" not in inspect(new_clause).unloaded and new_clause.version.number == 3  # read with the clause
    assert services.current_text(_process(people).id) == (None, [])  # no draft yet
    history = services.clause_history(lineage)
    assert [(h["what"], h["version"].number, h["amendment"].id if h["amendment"] else None) for h in history] == [
        ("first", 1, None), ("changed", 2, replace.id)]
    assert [(h["what"], h["amendment"].id) for h in services.clause_history(added.result_lineage)] == [("added", added.id)]
    page = client.get(f"/cocreation/{process.id}/clauses/{lineage}").get_data(as_text=True)
    assert "Changed in version 2." in page and replace.number in page
    # decided once: a second decision is refused
    assert client.post(f"/cocreation/{process.id}/amendments/{replace.id}/decide",
                       data={"position": "not_accepted", "text": "x", "taken_text": ""}).status_code == 400


def test_a_deletion_and_the_decision_from_the_inbox_move_the_draft_too(client, login, people):
    from participation.cases import services as case_services

    process = _drafting(people)
    lineage = _lineage(process, "3.")
    amendment = services.propose_amendment(process, lineage, people["resident"], AmendmentKind.DELETE, "", "Lieks punkts.")
    case_services.answer_case(amendment.case, people["responder"], Position.ACCEPTED, "Svītrojam.")
    db.session.refresh(amendment)
    assert amendment.state == AmendmentState.ACCEPTED
    assert services.clause_in_force(process.id, lineage) is None
    history = services.clause_history(lineage)
    assert [h["what"] for h in history] == ["first", "deleted"]
    assert history[0]["amendment"] is None and history[1]["amendment"].id == amendment.id  # the deletion's amendment
    client.get("/language/en")  # the msgids (the Latvian catalogue translates them)
    page = client.get(f"/cocreation/{process.id}/clauses/{lineage}")
    assert page.status_code == 200 and "Deleted from the draft" in page.get_data(as_text=True)


def test_authors_withdraw_while_evaluated_and_nothing_is_accepted_in_a_closed_stage(client, login, people):
    process = _drafting(people)
    lineage = _lineage(process, "2.")
    mine = services.propose_amendment(process, lineage, people["resident"], AmendmentKind.REPLACE, "Cits teksts.", "Iemesls.")
    other = services.propose_amendment(process, lineage, people["other"], AmendmentKind.REPLACE, "Vēl cits.", "Iemesls.")
    login(people["other"])
    assert client.post(f"/cocreation/{process.id}/amendments/{mine.id}/withdraw").status_code == 403
    login(people["resident"])
    assert client.post(f"/cocreation/{process.id}/amendments/{mine.id}/withdraw").status_code == 302
    db.session.refresh(mine)
    assert mine.state == AmendmentState.WITHDRAWN and mine.case.state == CaseState.NOT_EXAMINED
    assert client.post(f"/cocreation/{process.id}/amendments/{mine.id}/withdraw").status_code == 403
    services.open_consultation(process, people["coordinator"], riga_today() + timedelta(days=20), "Kopsavilkums.")
    with pytest.raises(services.CoCreationRefused):
        services.decide_amendment(other, people["responder"], Position.ACCEPTED, "Par vēlu.")
    with pytest.raises(services.CoCreationRefused):
        services.propose_amendment(process, lineage, people["resident"], AmendmentKind.DELETE, "", "Vēlu.")
    with pytest.raises(services.CoCreationRefused):
        services.endorse(other, people["resident"])
    login(people["responder"])
    assert client.post(f"/cocreation/{process.id}/amendments/{other.id}/decide",
                       data={"position": "accepted", "text": "x", "taken_text": ""}).status_code == 400
    login(people["resident"])
    assert client.post(f"/cocreation/{process.id}/clauses/{lineage}/amend",
                       data={"on_behalf": "0", "kind": "delete", "reason": "x"}).status_code == 403
    assert client.post(f"/cocreation/{process.id}/amendments/{other.id}/endorse").status_code == 403


def test_an_invited_member_decides_an_adviser_and_other_staff_do_not(client, login, people):
    process = _drafting(people)
    amendment = services.propose_amendment(process, _lineage(process, "2."), people["resident"], AmendmentKind.DELETE, "", "x")
    services.add_member(process, MemberRole.ADVISER, user=people["other"])
    login(people["other"])
    assert client.get(f"/cocreation/{process.id}/amendments/{amendment.id}/decide").status_code == 403
    login(people["other_staff"])
    assert client.get(f"/cocreation/{process.id}/amendments/{amendment.id}/decide").status_code == 403
    login(people["coordinator"])
    response = client.post(f"/cocreation/{process.id}/working-group", data={"email": people["invited"].email, "role": "member"})
    assert response.status_code == 302
    login(people["invited"])
    assert client.get(f"/cocreation/{process.id}/amendments/{amendment.id}/decide").status_code == 200
    assert client.post(f"/cocreation/{process.id}/draft", data={"source": DRAFT}).status_code == 403  # runs nothing


def test_offline_contributions_keep_the_name_private_unless_agreed(client, login, people):
    process = _process(people)
    login(people["coordinator"])
    response = client.post(f"/cocreation/{process.id}/offline", data={
        "what": "idea", "source": "letter", "received_on": riga_today().isoformat(), "name": "Jānis Vēstulnieks",
        "title": "Vēstule par suņiem", "text": "Lūdzu ierobežot suņu riešanu.", "clause": "0"})
    assert response.status_code == 302
    idea = db.session.scalars(select(Idea)).one()
    assert idea.offline_source == OfflineSource.LETTER and idea.offline_name == "Jānis Vēstulnieks" and not idea.show_name
    assert idea.case.offline_source == OfflineSource.LETTER and idea.case.submitter_hidden
    client.post("/account/logout")
    client.get("/language/en")
    page = client.get(f"/cocreation/{process.id}/ideas/{idea.id}").get_data(as_text=True)
    assert "Jānis Vēstulnieks" not in page and "a resident" in page
    services.publish_draft(process, people["coordinator"], DRAFT)
    amendment = services.register_offline(process, people["coordinator"], "amendment", OfflineSource.IN_PERSON, riga_today(),
                                          "Marta Sapulcīte", True, text="Suņus ved pavadā visur.", lineage=_lineage(process, "2."),
                                          kind=AmendmentKind.REPLACE, reason="Teikts sapulcē.")
    assert amendment.show_name and amendment.received_on == riga_today()
    page = client.get(f"/cocreation/{process.id}/amendments/{amendment.id}").get_data(as_text=True)
    assert "Marta Sapulcīte" in page


# --- the consultation, adoption, credits --------------------------------------------------------------------------


def test_the_consultation_respects_the_two_week_minimum_and_is_linked(client, login, people):
    process = _drafting(people)
    login(people["coordinator"])
    too_short = (riga_today() + timedelta(days=13)).isoformat()
    response = client.post(f"/cocreation/{process.id}/consultation", data={"summary": "Kopsavilkums.", "closes_on": too_short})
    assert response.status_code == 400 and "14" in response.get_data(as_text=True)
    assert db.session.get(CoCreation, process.id).stage == Stage.DRAFTING
    response = client.post(f"/cocreation/{process.id}/consultation",
                           data={"summary": "Kopsavilkums.", "closes_on": (riga_today() + timedelta(days=14)).isoformat()})
    assert response.status_code == 302
    db.session.refresh(process)
    consultation = db.session.get(Consultation, process.consultation_id)
    assert process.stage == Stage.CONSULTATION and consultation.kind == "municipal_regulation"
    assert consultation.state == "open" and consultation.institution_id == people["municipality"].id
    assert [s.number for s in consultation.versions[0].sections if s.number] == ["1.", "2.", "3."]
    page = client.get(f"/cocreation/{process.id}").get_data(as_text=True)
    assert f"/consultations/{consultation.id}/summary" in page and f"/consultations/{consultation.id}" in page
    # adoption waits for the consultation to close
    response = client.post(f"/cocreation/{process.id}/adopt", data={"decision_number": "Nr. 5", "decision_on": riga_today().isoformat()})
    assert response.status_code == 400
    assert db.session.get(CoCreation, process.id).stage == Stage.CONSULTATION


def test_credits_are_the_taken_amendments_and_ideas_minus_hidden_ones(client, login, people, fixed_now):
    fixed_now(datetime(2026, 3, 2, 9, 0))
    process = _process(people)
    taken_idea = services.post_idea(process, people["resident"], "Laukums", "Suņu laukums.")
    noted_idea = services.post_idea(process, people["other"], "Cits", "Tikai ievērots.")
    services.answer_idea(taken_idea, people["responder"], Position.ACCEPTED, "Ņemam.")
    services.answer_idea(noted_idea, people["responder"], Position.NOTED, "Ievērots.")
    services.publish_draft(process, people["coordinator"], DRAFT)
    two, three = _lineage(process, "2."), _lineage(process, "3.")
    services.answer_idea(taken_idea, people["responder"], Position.ACCEPTED, "Ņemam 2. punktā.", two)  # a correction
    youth = services.propose_amendment(process, two, people["youth_leader"], AmendmentKind.REPLACE, "Suņus ved pavadā.", "Jaunieši.",
                                       group=people["youth"])
    private = services.propose_amendment(process, three, people["private"], AmendmentKind.REPLACE, "Stājas spēkā 1. jūlijā.",
                                         "Laiks sagatavoties.", show_name=False)
    hidden = services.propose_amendment(process, _lineage(process, "1."), people["other"], AmendmentKind.REPLACE, "Rupjš teksts.", "x")
    refused = services.propose_amendment(process, two, people["other"], AmendmentKind.DELETE, "", "Nevajag.")
    services.decide_amendment(youth, people["responder"], Position.ACCEPTED, "Pieņemts.")
    services.decide_amendment(private, people["responder"], Position.PARTLY_ACCEPTED, "Daļēji.", "Stājas spēkā 1. septembrī.")
    services.decide_amendment(hidden, people["responder"], Position.ACCEPTED, "Pieņemts.")
    services.decide_amendment(refused, people["responder"], Position.NOT_ACCEPTED, "Nē.")
    moderation_services.hide(hidden, people["responder"] if False else _moderator(people), HideReason.ABUSE)
    services.open_consultation(process, people["coordinator"], date(2026, 3, 20), "Kopsavilkums.")
    fixed_now(datetime(2026, 3, 25, 9, 0))
    login(people["coordinator"])
    response = client.post(f"/cocreation/{process.id}/adopt", data={"decision_number": "Nr. 7", "decision_on": "2026-03-24"})
    assert response.status_code == 302
    db.session.refresh(process)
    assert process.stage == Stage.ADOPTED and process.decision_number == "Nr. 7"
    credits = services.credits(process)
    expected = {taken_idea.number, youth.number, private.number}
    assert {c.number for c in credits} == expected
    taken = set(db.session.scalars(select(Amendment.id).where(Amendment.process_id == process.id,
                                                              Amendment.state.in_(("accepted", "partly_accepted")),
                                                              Amendment.hidden_at.is_(None))))
    assert {c.number for c in credits if c.number.startswith("G-")} == {f"G-{i:06d}" for i in taken}
    by_number = {c.number: c for c in credits}
    assert by_number[youth.number].name == people["youth"].name and by_number[youth.number].lineage == two
    assert by_number[private.number].name is None and by_number[private.number].lineage == three
    assert by_number[taken_idea.number].lineage == two and by_number[taken_idea.number].name == people["resident"].display_name
    client.post("/account/logout")
    client.get("/language/en")
    page = client.get(f"/cocreation/{process.id}").get_data(as_text=True)
    assert "Nr. 7" in page and people["youth"].name in page and f'href="#clause-{two}"' in page
    assert people["private"].display_name not in page and "a resident" in page
    assert hidden.number not in page.split('id="credits"')[1]
    assert "Stājas spēkā 1. septembrī." in page  # the adopted text


def _moderator(people):
    from participation.accounts.models import User

    moderator = User(email="mod16@example.lv", display_name="Moderators", is_moderator=True)
    moderator.set_password("correct horse battery")
    db.session.add(moderator)
    db.session.commit()
    return moderator


def test_stopping_needs_a_reason_and_ends_every_action(client, login, people):
    process = _drafting(people)
    login(people["coordinator"])
    assert client.post(f"/cocreation/{process.id}/stop", data={"reason": ""}).status_code == 400
    assert client.post(f"/cocreation/{process.id}/stop", data={"reason": "Likums mainījās."}).status_code == 302
    db.session.refresh(process)
    assert process.stage == Stage.STOPPED
    page = client.get(f"/cocreation/{process.id}").get_data(as_text=True)
    assert "Likums mainījās." in page
    with pytest.raises(services.CoCreationRefused):
        services.propose_amendment(process, _lineage(process, "2."), people["resident"], AmendmentKind.DELETE, "", "x")
    with pytest.raises(services.CoCreationRefused):
        services.stop(process, people["coordinator"], "Vēlreiz")


# --- the timeline, the feed, moderation -----------------------------------------------------------------------


def test_every_stage_change_decision_and_amendment_is_in_the_timeline_and_the_atom_feed(client, people):
    received = []
    services.stage_changed.connect(lambda process, event: received.append(event.stage), weak=False)
    process = _drafting(people)
    amendment = services.propose_amendment(process, _lineage(process, "2."), people["resident"], AmendmentKind.DELETE, "", "x")
    services.decide_amendment(amendment, people["responder"], Position.NOT_ACCEPTED, "Nē.")
    services.stop(process, people["coordinator"], "Apturēts.")
    assert Stage.DRAFTING in received and Stage.STOPPED in received
    kinds = [e.kind for e in db.session.scalars(select(TimelineEvent).where(TimelineEvent.process_id == process.id)
                                                .order_by(TimelineEvent.id))]
    assert kinds == [EventKind.STARTED, EventKind.DRAFT, EventKind.AMENDMENT, EventKind.DECISION, EventKind.STOPPED]
    response = client.get(f"/cocreation/{process.id}/feed.atom")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = etree.fromstring(response.data)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [t.text for t in feed.findall("a:entry/a:title", ns)]
    assert len(titles) == 5 and any(amendment.number in t for t in titles) and any("Apturēts." in t for t in titles)
    timeline = client.get(f"/cocreation/{process.id}/timeline").get_data(as_text=True)
    assert amendment.number in timeline


def test_a_hidden_amendment_shows_its_notice_and_its_case_leaves_the_public_log(client, login, people):
    process = _drafting(people)
    amendment = services.propose_amendment(process, _lineage(process, "2."), people["resident"], AmendmentKind.REPLACE,
                                           "NEPIEKLĀJĪGS-TEKSTS", "x")
    login(people["other"])
    assert client.post(f"/moderation/report/cc_amendment/{amendment.id}", data={"reason": "abuse", "text": ""}).status_code == 302
    moderation_services.hide(amendment, _moderator(people), HideReason.ABUSE)
    db.session.refresh(amendment)
    assert amendment.case.is_private
    for url in (f"/cocreation/{process.id}/amendments/{amendment.id}", f"/cocreation/{process.id}/clauses/{amendment.lineage}"):
        body = client.get(url).get_data(as_text=True)
        assert "NEPIEKLĀJĪGS-TEKSTS" not in body
    login(people["resident"])
    assert "NEPIEKLĀJĪGS-TEKSTS" in client.get(f"/cocreation/{process.id}/amendments/{amendment.id}").get_data(as_text=True)


def test_public_pages_answer_and_unknown_ids_are_404(client, people):
    process = _drafting(people)
    for url in ("/cocreation/", f"/cocreation/{process.id}",
                f"/cocreation/{process.id}/clauses/{_lineage(process, '1.')}", f"/cocreation/{process.id}/timeline"):
        assert client.get(url).status_code == 200, url
    for url in ("/cocreation/999999", f"/cocreation/{process.id}/clauses/999999", f"/cocreation/{process.id}/ideas/99999999999",
                f"/cocreation/{process.id}/amendments/0"):
        assert client.get(url).status_code == 404, url


def test_premoderated_municipality_shows_ideas_and_amendments_after_a_moderator_approves(client, login, people):
    people["municipality"].premoderation = True
    db.session.commit()
    process = _process(people)
    idea = services.post_idea(process, people["resident"], "GAIDA-MODERATORU", "Teksts.")
    assert idea.is_pending and idea.case.is_private
    assert "GAIDA-MODERATORU" not in client.get(f"/cocreation/{process.id}").get_data(as_text=True)
    assert client.get(f"/cocreation/{process.id}/ideas/{idea.id}").status_code == 404
    login(people["other"])
    assert client.post(f"/cocreation/{process.id}/ideas/{idea.id}/support").status_code == 404
    login(people["resident"])
    assert "GAIDA-MODERATORU" in client.get(f"/cocreation/{process.id}").get_data(as_text=True)  # its author sees it
    moderation_services.approve(idea, _moderator(people))
    db.session.refresh(idea)
    assert not idea.is_pending and not idea.case.is_private
    client.post("/account/logout")
    assert "GAIDA-MODERATORU" in client.get(f"/cocreation/{process.id}").get_data(as_text=True)


def test_xss_payloads_in_every_text_field_show_as_text_on_every_page(client, login, people):
    """The XSS corpus (tests/test_xss.py) through the process, idea, amendment, decision and offline forms: no page
    of the channel, nor its feed, carries any of it as live markup."""
    from tests.test_xss import CORPUS, assert_no_live_markup

    payload = " ".join(CORPUS)
    login(people["coordinator"])
    today = riga_today()
    response = client.post(f"/cocreation/new/{people['municipality'].slug}", data={
        "title": payload[:255], "problem": payload, "ideas_until": (today + timedelta(days=5)).isoformat(),
        "drafting_until": (today + timedelta(days=20)).isoformat(), "adoption_planned_on": (today + timedelta(days=60)).isoformat()})
    assert response.status_code == 302
    process = db.session.scalars(select(CoCreation)).one()
    login(people["youth_leader"])
    assert client.post(f"/cocreation/{process.id}/ideas/new", data={"on_behalf": "0", "title": payload[:200], "text": payload,
                                                                    "show_name": "y"}).status_code == 302
    idea = db.session.scalars(select(Idea)).one()
    login(people["coordinator"])
    assert client.post(f"/cocreation/{process.id}/ideas/{idea.id}/answer", data={"position": "accepted", "text": payload}).status_code == 302
    assert client.post(f"/cocreation/{process.id}/offline", data={
        "what": "idea", "source": "letter", "received_on": today.isoformat(), "name": payload[:200], "name_public": "y",
        "title": payload[:200], "text": payload, "clause": "0"}).status_code == 302
    assert client.post(f"/cocreation/{process.id}/draft", data={"source": "1. Pirmais.\n2. " + payload, "note": payload}).status_code == 302
    lineage = _lineage(process, "2.")
    login(people["resident"])
    assert client.post(f"/cocreation/{process.id}/clauses/{lineage}/amend", data={
        "on_behalf": "0", "kind": "replace", "text": payload + " jauns", "reason": payload, "show_name": "y"}).status_code == 302
    amendment = db.session.scalars(select(Amendment)).one()
    login(people["coordinator"])
    assert client.post(f"/cocreation/{process.id}/amendments/{amendment.id}/decide", data={
        "position": "partly_accepted", "text": payload, "taken_text": payload + " ņemts"}).status_code == 302
    assert client.post(f"/cocreation/{process.id}/stop", data={"reason": payload}).status_code == 302
    pages = ["/cocreation/", f"/cocreation/{process.id}", f"/cocreation/{process.id}/timeline",
             f"/cocreation/{process.id}/ideas/{idea.id}", f"/cocreation/{process.id}/clauses/{lineage}",
             f"/cocreation/{process.id}/amendments/{amendment.id}", f"/cocreation/{process.id}/working-group",
             f"/cases/{amendment.case_id}", f"/institutions/{people['municipality'].slug}/log"]
    for url in pages:
        assert_no_live_markup(client.get(url), url)
    feed = client.get(f"/cocreation/{process.id}/feed.atom")
    assert feed.status_code == 200 and b"<script" not in feed.data
