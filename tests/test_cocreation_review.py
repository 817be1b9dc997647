"""Issue 16, after review: the public idea and amendment forms refuse programs like every other public form (the
honeypot and the fill time) and keep what a person typed; the adopted text is the consultation's last version (the one
the municipality published after the comments), with each clause keeping its history and credits; ideas and amendments
reach the inbox as "Co-created regulation". Through the app, on SQLite and PostgreSQL."""
import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from participation.cases.models import Position
from participation.clock import utcnow
from participation.cocreation import services
from participation.cocreation.models import Amendment, AmendmentKind, CoCreation, EventKind, Idea, Stage, TimelineEvent
from participation.consultations import services as consultations
from participation.consultations.models import Consultation
from participation.extensions import db
from tests.test_cocreation import DRAFT, _drafting, _lineage, _process, login, people  # noqa: F401  (fixtures)

START = re.compile(r'name="form_started" value="([^"]+)"')
NEUTRAL = "We could not accept this form. Please check it and send it again."


@pytest.fixture
def human_check(app, monkeypatch, fixed_now):
    """The check on (3 seconds), with the clock stopped; returns a function that moves it forward."""
    monkeypatch.setitem(app.config, "FORM_MIN_FILL_SECONDS", 3)
    moment = [utcnow().replace(microsecond=0)]
    fixed_now(moment[0])

    def later(seconds):
        moment[0] += timedelta(seconds=seconds)
        fixed_now(moment[0])

    return later


def _start(client, path):
    page = client.get(path).get_data(as_text=True)
    assert 'class="app-hp-field"' in page and 'name="website"' in page, path
    tokens = START.findall(page)
    assert len(tokens) == 1, path
    assert 'id="form_started"' not in page and 'for="form_started"' not in page  # not rendered as a visible field
    return tokens[0]


def _count(model):
    return db.session.scalar(select(func.count(model.id)))


def test_the_idea_form_refuses_a_program_and_keeps_what_was_typed(client, login, people, human_check):
    process = _process(people)
    login(people["resident"])
    path = f"/cocreation/{process.id}/ideas/new"
    token = _start(client, path)
    data = {"on_behalf": 0, "title": "Suņu laukums Kaunatā", "text": "Iežogots laukums pie skolas.", "show_name": "y",
            "form_started": token}
    response = client.post(path, data=data)  # sent at once: a program
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and NEUTRAL in page and "govuk-error-summary" in page
    assert "Suņu laukums Kaunatā" in page and "Iežogots laukums pie skolas." in page
    assert _count(Idea) == 0
    human_check(5)
    response = client.post(path, data={**data, "website": "http://spam.example"})  # the honeypot filled
    assert response.status_code == 400 and _count(Idea) == 0
    response = client.post(path, data=data)  # a person, a few seconds later
    assert response.status_code == 302 and _count(Idea) == 1


def test_the_amendment_form_refuses_a_program_and_keeps_what_was_typed(client, login, people, human_check):
    process = _drafting(people)
    login(people["resident"])
    path = f"/cocreation/{process.id}/clauses/{_lineage(process, '2.')}/amend"
    token = _start(client, path)
    data = {"on_behalf": 0, "kind": "replace", "text": "Suņus ved īsā pavadā.", "reason": "Drošība bērniem.",
            "show_name": "y", "form_started": token}
    response = client.post(path, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and NEUTRAL in page
    assert "Suņus ved īsā pavadā." in page and "Drošība bērniem." in page and 'value="replace" checked' in page
    assert _count(Amendment) == 0
    human_check(5)
    assert client.post(path, data={**data, "website": "x"}).status_code == 400 and _count(Amendment) == 0
    response = client.post(path, data=data)
    assert response.status_code == 302 and _count(Amendment) == 1


def _to_consultation(people, fixed_now):
    fixed_now(datetime(2026, 3, 2, 9, 0))
    process = _drafting(people)
    two, three = _lineage(process, "2."), _lineage(process, "3.")
    youth = services.propose_amendment(process, two, people["youth_leader"], AmendmentKind.REPLACE, "Suņus ved pavadā visur.",
                                       "Jaunieši.", group=people["youth"])
    services.decide_amendment(youth, people["responder"], Position.ACCEPTED, "Pieņemts.")
    services.open_consultation(process, people["coordinator"], date(2026, 3, 20), "Kopsavilkums.")
    fixed_now(datetime(2026, 3, 25, 9, 0))
    return process, youth, two, three


FINAL = """Rēzeknes novada pašvaldības saistošie noteikumi par mājdzīvnieku turēšanu

1. Noteikumi nosaka mājdzīvnieku turēšanas kārtību novadā.
2. Suņus ved pavadā visur.
3. Noteikumi stājas spēkā 2026. gada 1. jūlijā.
4. Pašvaldība ierīko suņu laukumus.
"""


def test_the_adopted_text_is_the_version_published_after_the_consultation(client, login, people, fixed_now):
    process, youth, two, three = _to_consultation(people, fixed_now)
    consultation = db.session.get(Consultation, process.consultation_id)
    consultations.publish_version(consultation, people["coordinator"], FINAL, "Pēc apspriešanas.")
    before = services.current_version(process.id).number
    login(people["coordinator"])
    form = client.get(f"/cocreation/{process.id}/adopt").get_data(as_text=True)
    assert "latest version of the draft (version 2)" in form and f"/consultations/{consultation.id}/versions/new" in form
    response = client.post(f"/cocreation/{process.id}/adopt", data={"decision_number": "Nr. 7", "decision_on": "2026-03-24"})
    assert response.status_code == 302
    db.session.refresh(process)
    assert process.stage == Stage.ADOPTED
    final = services.current_version(process.id)
    assert final.number == before + 1
    clauses = services.clauses_of(final.id)
    assert [c.number for c in clauses if c.number] == ["1.", "2.", "3.", "4."]
    by_number = {c.number: c for c in clauses}
    assert by_number["2."].lineage == two and by_number["3."].lineage == three  # the same clauses, their history kept
    assert by_number["3."].text == "Noteikumi stājas spēkā 2026. gada 1. jūlijā."
    four = by_number["4."].lineage
    assert four == by_number["4."].id  # a clause new in the final text starts its own lineage
    page = client.get(f"/cocreation/{process.id}").get_data(as_text=True)
    adopted = page.split("The adopted text")[1].split('id="credits"')[0]
    assert "2026. gada 1. jūlijā" in adopted and "Pašvaldība ierīko suņu laukumus." in adopted
    assert "Noteikumi stājas spēkā nākamajā dienā" not in adopted
    credits = {c.number: c for c in services.credits(process)}
    assert credits[youth.number].lineage == two  # the credit still links to the clause it changed
    assert f'href="#clause-{two}"' in page
    history = client.get(f"/cocreation/{process.id}/clauses/{three}").get_data(as_text=True)
    assert f"Changed in version {final.number}." in history and "After the public consultation" in history
    added = client.get(f"/cocreation/{process.id}/clauses/{four}").get_data(as_text=True)
    assert f"Added in version {final.number}." in added
    event = db.session.scalar(select(TimelineEvent).where(TimelineEvent.process_id == process.id,
                                                          TimelineEvent.kind == EventKind.VERSION))
    assert event is not None and event.version_number == final.number
    timeline = client.get(f"/cocreation/{process.id}/timeline").get_data(as_text=True)
    assert f"Version {final.number} of the draft: the text changed after the public consultation" in timeline
    assert "the text changed after the public consultation" in client.get(f"/cocreation/{process.id}/feed.atom").get_data(as_text=True)


def test_without_a_new_consultation_version_the_last_draft_is_adopted(client, login, people, fixed_now):
    process, youth, two, three = _to_consultation(people, fixed_now)
    before = services.current_version(process.id).number
    services.adopt(process, people["coordinator"], "Nr. 8", date(2026, 3, 24))
    assert services.current_version(process.id).number == before
    assert db.session.scalar(select(func.count(TimelineEvent.id)).where(TimelineEvent.process_id == process.id,
                                                                        TimelineEvent.kind == EventKind.VERSION)) == 0
    assert services.clause_in_force(process.id, two).text == "Suņus ved pavadā visur."


def test_ideas_and_amendments_reach_the_inbox_as_co_created_regulation(client, login, people):
    process = _process(people)
    idea = services.post_idea(process, people["resident"], "Laukums", "Suņu laukums.")
    login(people["responder"])
    page = client.get(f"/cases/{idea.case_id}").get_data(as_text=True)
    assert "Co-created regulation" in page and "Regulation amendment" not in page


def test_a_clause_number_too_large_for_the_database_is_an_error_message_not_a_500(client, login, people):
    huge = "9" * 30
    process = _process(people)
    idea = services.post_idea(process, people["resident"], "Ideja", "Teksts.")
    services.publish_draft(process, people["coordinator"], DRAFT)
    login(people["coordinator"])
    response = client.post(f"/cocreation/{process.id}/ideas/{idea.id}/answer",
                           data={"position": "accepted", "text": "Ņemam vērā.", "clause": huge})
    assert response.status_code == 400 and "Ņemam vērā." in response.get_data(as_text=True)
    response = client.post(f"/cocreation/{process.id}/offline", data={
        "what": "amendment", "source": "letter", "received_on": "2026-01-05", "text": "Jauns teksts.", "clause": huge})
    assert response.status_code == 400 and "Jauns teksts." in response.get_data(as_text=True)
    assert _count(Amendment) == 0


def test_an_ideas_answer_is_due_on_a_latvian_working_day(client, login, people, fixed_now):
    """10 working days (the Submissions Law as amended in 2026) from Monday 9 November 2026 skip the weekends and
    Independence Day (18 November, a Wednesday): Tuesday 24 November, not the 23rd."""
    fixed_now(datetime(2026, 11, 9, 9, 0))
    process = _process(people)
    idea = services.post_idea(process, people["resident"], "Laukums", "Suņu laukums.")
    assert idea.case.due_on == date(2026, 11, 24)
    login(people["resident"])
    page = client.get(f"/cocreation/{process.id}/ideas/{idea.id}").get_data(as_text=True)
    assert "to be answered by 24 November 2026" in page


def test_the_adopted_decision_and_a_partly_accepted_amendment_read_as_elsewhere(client, login, people, fixed_now):
    process, youth, two, three = _to_consultation(people, fixed_now)
    services.adopt(process, people["coordinator"], "Nr. 8", date(2026, 3, 24))
    login(people["resident"])
    page = client.get(f"/cocreation/{process.id}").get_data(as_text=True)
    assert "Adopted by the council's decision Nr. 8 of 24 March 2026." in page
    login(people["coordinator"])
    assert ">Register it<" in client.get(f"/cocreation/{process.id}/offline").get_data(as_text=True).replace("\n", "").replace("  ", "")


def test_the_demo_holds_a_process_in_each_stage_and_an_adopted_one_with_credits(app, session, client):
    """Done when (issue 16): one process in each stage; the adopted one credits the youth council's amendment and its
    text is the version the municipality published after the consultation."""
    assert "demo-parole-2026" in app.test_cli_runner().invoke(args=["seed-demo"]).output
    stages = db.session.scalars(select(CoCreation.stage)).all()
    assert {Stage.IDEAS, Stage.DRAFTING, Stage.CONSULTATION, Stage.ADOPTED, Stage.STOPPED} <= set(stages)
    adopted = db.session.scalars(select(CoCreation).where(CoCreation.stage == Stage.ADOPTED)).one()
    credits = services.credits(adopted)
    assert any(c.is_group and "jauniešu dome" in c.name for c in credits) and all(c.lineage for c in credits)
    assert any(c.name is None for c in credits)  # someone who chose to stay private: "a resident"
    consultation = db.session.get(Consultation, adopted.consultation_id)
    latest = max(consultation.versions, key=lambda v: v.number)
    final = services.clauses_of(services.current_version(adopted.id).id)
    assert latest.number > 1 and [(s.number, s.text) for s in latest.sections] == [(c.number, c.text) for c in final]
    client.get("/language/en")
    page = client.get(f"/cocreation/{adopted.id}").get_data(as_text=True)
    assert 'class="govuk-list govuk-list--bullet app-credits"' in page and "a resident" in page


def _field_error(page: str, field_id: str, message: str) -> bool:
    """The message is in the error summary, linked to the field, and at the field itself."""
    if "govuk-error-summary__list" not in page or f'<p id="{field_id}-error"' not in page:
        return False
    summary = page.split("govuk-error-summary__list")[1].split("</ul>")[0]
    at_field = page.split(f'<p id="{field_id}-error"')[1].split("</p>")[0]
    return f'href="#{field_id}"' in summary and message in summary and message in at_field


def test_a_refusal_about_one_field_is_shown_at_that_field(client, login, people):
    process = _drafting(people)
    lineage = _lineage(process, "2.")
    login(people["resident"])
    response = client.post(f"/cocreation/{process.id}/clauses/{lineage}/amend", data={
        "on_behalf": 0, "kind": "replace", "text": "Suņus  pastaigā ved pavadā.", "reason": "Tā ir labāk."})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Tā ir labāk." in page
    assert _field_error(page, "text", "The wording you propose is the same as the clause&#39;s."), page
    login(people["coordinator"])
    response = client.post(f"/cocreation/{process.id}/consultation", data={
        "summary": "Kopsavilkums par suņiem.", "closes_on": (date.today() + timedelta(days=3)).isoformat()})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Kopsavilkums par suņiem." in page
    assert 'href="#closes_on-day"' in page and '<p id="closes_on-error" class="govuk-error-message">' in page


def test_a_hidden_groups_contribution_never_shows_the_members_name(app, client, login, people, fixed_now):
    process, youth, two, three = _to_consultation(people, fixed_now)  # the youth council's amendment was accepted
    services.adopt(process, people["coordinator"], "Nr. 9", date(2026, 3, 24))
    from participation.moderation import services as moderation_services
    from participation.moderation.models import HideReason
    from tests.test_cocreation import _moderator

    with app.test_request_context("/"):  # hiding tells the group by e-mail, with links
        moderation_services.hide(people["youth"], _moderator(people), HideReason.ABUSE)
    credit = {c.number: c for c in services.credits(process)}[youth.number]
    assert credit.name is None and not credit.is_group
    client.get("/language/en")
    member = people["youth_leader"].display_name
    for path in (f"/cocreation/{process.id}", f"/cocreation/{process.id}/amendments/{youth.id}",
                 f"/cocreation/{process.id}/clauses/{two}"):
        page = client.get(path).get_data(as_text=True)
        assert member not in page and people["youth"].name not in page and "a resident" in page, path
