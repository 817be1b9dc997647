"""My activity (issue 18): the signed-in person's comments and replies, proposals, supports, reports and groups, each
with its current state and a link to the answer; nobody else's; a fixed number of queries whatever the number."""
import pytest
from bleach._vendor import html5lib

from participation.cases import services as case_services
from participation.cases.models import Position
from participation.consultations import services as consultation_services
from participation.extensions import db
from participation.groups import services as group_services
from participation.moderation import services as moderation_services
from participation.moderation.models import HideReason, ReportReason
from participation.proposals import services as proposal_services


def _tab(html: str, tab: str) -> str:
    """The text of one tab's panel (its section on the page)."""
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    panel = next(e for e in tree.iter("div") if e.get("id") == f"activity-{tab}")
    return " ".join("".join(panel.itertext()).split())


def _links(html: str, tab: str) -> list[str]:
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    panel = next(e for e in tree.iter("div") if e.get("id") == f"activity-{tab}")
    return [a.get("href") for a in panel.iter("a")]


@pytest.fixture
def world(make_user, make_institution, make_staff, make_consultation, make_proposal, make_group):
    """Anna's activity: a comment and a reply, an answered proposal, one awaiting, a draft, a support, two reports (one
    decided), a group she leads and one she asked to join. Beside it, Pēteris's own things."""
    anna, peteris = make_user(name="Anna Bērziņa"), make_user(name="Pēteris Kalējs")
    moderator = make_user(name="Mārīte Moderatore", is_moderator=True)
    institution = make_institution()
    responder = make_staff(institution)
    consultation = make_consultation(institution=institution, with_comment=False)
    comment = consultation_services.add_comment(consultation, anna, "ANNAS-KOMENTĀRS par soliņiem")
    theirs = consultation_services.add_comment(consultation, peteris, "PĒTERA-KOMENTĀRS par parkiem")
    reply = consultation_services.add_comment(consultation, anna, "ANNAS-ATBILDE Pēterim", parent=theirs)

    answered = make_proposal(institution=institution, author=anna, title="ANNAS-ATBILDĒTAIS priekšlikums")
    case_services.answer_case(answered.case, responder, Position.ACCEPTED, "Uzstādīsim soliņus pavasarī.")
    awaiting = make_proposal(institution=institution, author=anna, title="ANNAS-GAIDOŠAIS priekšlikums")
    draft = make_proposal(institution=institution, author=anna, title="ANNAS-MELNRAKSTS", submit=False)
    peters = make_proposal(institution=institution, author=peteris, title="PĒTERA-PRIEKŠLIKUMS")
    proposal_services.support(peters, anna)
    hidden_supported = make_proposal(institution=institution, author=peteris, title="PĒTERA-PASLĒPTAIS")
    proposal_services.support(hidden_supported, anna)
    moderation_services.hide(hidden_supported, moderator, HideReason.SPAM)

    moderation_services.report(theirs, anna, ReportReason.ABUSE)
    moderation_services.hide(theirs, moderator, HideReason.ABUSE)  # the report is decided: hidden
    other_comment = consultation_services.add_comment(consultation, peteris, "Vēl viens komentārs")
    moderation_services.report(other_comment, anna, ReportReason.OFF_TOPIC)  # still open
    moderation_services.report(comment, peteris, ReportReason.SPAM)  # Pēteris's report: not Anna's

    led = make_group(leader=anna, name="ANNAS-DOME")
    joined = make_group(leader=peteris, name="PĒTERA-BIEDRĪBA")
    group_services.request_membership(joined, anna)
    make_group(leader=peteris, name="CITA-GRUPA")
    db.session.commit()
    return {"anna": anna, "peteris": peteris, "comment": comment, "reply": reply, "answered": answered, "awaiting": awaiting,
            "draft": draft, "peters": peters, "hidden_supported": hidden_supported, "led": led, "joined": joined,
            "theirs": theirs, "other_comment": other_comment}


def test_the_page_is_for_signed_in_people(client):
    for url in ("/account/activity/", "/account/activity/comments"):
        response = client.get(url)
        assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    assert client.get("/account/activity/nothing").status_code == 404


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_each_tab_shows_what_became_of_each_item(client, login, world, lang):
    login(world["anna"])
    client.get(f"/language/{lang}")
    response = client.get("/account/activity/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'class="govuk-tabs"' in html and 'data-module="govuk-tabs"' in html

    comments = _tab(html, "comments")
    assert "ANNAS-KOMENTĀRS" in comments and "ANNAS-ATBILDE" in comments
    assert world["comment"].number in comments and world["reply"].number in comments
    assert f"/consultations/{world['comment'].consultation_id}/comments/{world['comment'].id}" in _links(html, "comments")

    proposals = _tab(html, "proposals")
    for title in ("ANNAS-ATBILDĒTAIS", "ANNAS-GAIDOŠAIS", "ANNAS-MELNRAKSTS"):
        assert title in proposals
    links = _links(html, "proposals")
    assert f"/cases/{world['answered'].case_id}" in links  # the answer
    assert f"/cases/{world['awaiting'].case_id}" in links
    assert f"/proposals/{world['draft'].id}/edit" in links
    assert ("Atbildēts" if lang == "lv" else "Answered") in proposals

    supports = _tab(html, "supports")
    assert "PĒTERA-PRIEKŠLIKUMS" in supports
    assert "PĒTERA-PASLĒPTAIS" not in html  # hidden by a moderator: its title is not shown to a supporter
    assert f"/proposals/{world['hidden_supported'].id}" in _links(html, "supports")
    db.session.refresh(world["hidden_supported"].case)
    assert world["hidden_supported"].case.is_private  # hidden: its case left the public log ...
    assert f"/cases/{world['hidden_supported'].case_id}" not in _links(html, "supports")  # ... and is not linked
    assert f"/cases/{world['peters'].case_id}" in _links(html, "supports")

    reports = _tab(html, "reports")
    assert world["theirs"].number in reports and world["other_comment"].number in reports
    assert world["comment"].number not in reports  # Pēteris reported Anna's comment: not Anna's report
    assert "PĒTERA-KOMENTĀRS" not in html  # the reported (now hidden) text is not repeated

    groups = _tab(html, "groups")
    assert "ANNAS-DOME" in groups and "PĒTERA-BIEDRĪBA" in groups and "CITA-GRUPA" not in groups

    assert "PĒTERA-PRIEKŠLIKUMS" not in proposals and "Vēl viens komentārs" not in html


def test_states_are_shown_in_english(client, login, world):
    login(world["anna"])
    client.get("/language/en")
    html = client.get("/account/activity/").get_data(as_text=True)
    proposals = _tab(html, "proposals")
    assert "Answered — Accepted" in proposals and "Read the institution's answer" in proposals
    assert "Awaiting answer" in proposals and "answer due by" in proposals and "Draft" in proposals
    reports = _tab(html, "reports")
    assert "Hidden by a moderator: abusive or insulting" in reports and "Waiting for a moderator" in reports
    groups = _tab(html, "groups")
    assert "Leader" in groups and "Asked to join: waiting for the leader" in groups
    comments = _tab(html, "comments")
    assert "The institution answers each comment after the consultation closes" in comments
    supports = _tab(html, "supports")
    assert "A proposal hidden by a moderator" in supports and "Hidden by a moderator: spam or advertising" in supports


def test_other_people_see_only_their_own(client, login, world):
    login(world["peteris"])
    html = client.get("/account/activity/").get_data(as_text=True)
    assert "ANNAS-KOMENTĀRS" not in _tab(html, "comments") and "ANNAS-MELNRAKSTS" not in html
    assert "PĒTERA-PRIEKŠLIKUMS" in _tab(html, "proposals")
    assert world["comment"].number in _tab(html, "reports")  # his report about Anna's comment


def test_a_comment_after_the_close_links_to_its_answer(client, login, world, fixed_now, make_staff):
    from datetime import timedelta

    from participation.clock import utcnow

    comment = world["comment"]
    consultation = comment.consultation
    fixed_now(consultation.closes_at + timedelta(hours=1))
    consultation_services.process_closed(consultation)
    db.session.refresh(comment)
    assert comment.case is not None
    responder = make_staff(consultation.institution)
    consultation_services.record_position(comment, responder, Position.PARTLY_ACCEPTED, "Daļēji ņemts vērā.")
    login(world["anna"])
    client.get("/language/en")
    html = client.get("/account/activity/").get_data(as_text=True)
    comments = _tab(html, "comments")
    assert "Answered — Partly accepted" in comments and "Read the institution's answer" in comments
    assert f"/cases/{comment.case_id}" in _links(html, "comments")
    assert utcnow() > consultation.closes_at


def test_each_tab_lists_everything_page_by_page(client, login, make_user, make_institution, make_proposal):
    anna = make_user()
    institution = make_institution()
    for i in range(23):
        make_proposal(institution=institution, author=anna, title=f"Priekšlikums Nr. {i:02d}", submit=False)
    login(anna)
    client.get("/language/en")
    html = client.get("/account/activity/").get_data(as_text=True)
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    panel = next(e for e in tree.iter("div") if e.get("id") == "activity-proposals")
    assert len([li for li in panel.iter("li") if li.get("class") == "app-activity-item"]) == 10
    assert "/account/activity/proposals" in _links(html, "proposals")
    assert "Proposals (23)" in html
    first = client.get("/account/activity/proposals").get_data(as_text=True)
    second = client.get("/account/activity/proposals?page=2").get_data(as_text=True)
    assert first.count('class="app-activity-item"') == 20 and second.count('class="app-activity-item"') == 3
    assert "Priekšlikums Nr. 22" in first and "Priekšlikums Nr. 00" in second  # newest first
    assert client.get("/account/activity/proposals?page=99").status_code == 200
    assert client.get("/account/activity/reports").status_code == 200


def _bulk(anna, peteris, institution, consultation, n, make_proposal, make_group):
    from participation.moderation.models import Report
    from participation.proposals.models import Support

    others = []
    for i in range(n):
        mine = make_proposal(institution=institution, author=anna, title=f"A {i}", submit=bool(i % 2))
        theirs = make_proposal(institution=institution, author=peteris, title=f"P {i}")
        others.append(theirs)
        db.session.add(Support(proposal_id=theirs.id, user_id=anna.id))
        comment = consultation_services.add_comment(consultation, anna, f"Komentārs {i}")
        their_comment = consultation_services.add_comment(consultation, peteris, f"Pētera {i}")
        db.session.add(Report(item_kind="comment", item_id=their_comment.id, reporter_id=anna.id, reason=ReportReason.SPAM))
        db.session.add(Report(item_kind="proposal", item_id=theirs.id, reporter_id=anna.id, reason=ReportReason.SPAM))
        group_services.request_membership(make_group(leader=peteris, name=f"Grupa {i}"), anna)
        assert mine and comment
    db.session.commit()


def _bulk_cocreation(institution, make_staff, peteris, people: dict):
    """For each person: n ideas and amendments of their own, n of Pēteris's supported and endorsed."""
    from datetime import timedelta

    from participation.clock import riga_today
    from participation.cocreation import services as cocreation
    from participation.cocreation.models import AmendmentKind
    from participation.institutions.models import StaffRole

    coordinator = make_staff(institution, role=StaffRole.EDITOR)
    today = riga_today()
    process = cocreation.create_process(institution, coordinator, "Noteikumi", "Problēma.", today + timedelta(days=10),
                                        today + timedelta(days=40), today + timedelta(days=90))
    for person, n in people.items():
        for i in range(n):
            cocreation.post_idea(process, person, f"Ideja {i}", "Teksts.")
            cocreation.support_idea(cocreation.post_idea(process, peteris, f"Pētera ideja {i}", "Teksts."), person)
    cocreation.publish_draft(process, coordinator, "1. Pirmais punkts.\n2. Otrais punkts.")
    lineage = cocreation.clauses_of(cocreation.current_version(process.id).id)[0].lineage
    for person, n in people.items():
        for i in range(n):
            cocreation.propose_amendment(process, lineage, person, AmendmentKind.REPLACE, f"Jauns teksts {i}.", "Iemesls.")
            theirs = cocreation.propose_amendment(process, lineage, peteris, AmendmentKind.REPLACE, f"Pētera teksts {i}.", "Iemesls.")
            cocreation.endorse(theirs, person)


def test_the_page_runs_the_same_queries_for_3_and_30_items_a_tab(client, login, count_queries, make_user, make_institution,
                                                              make_consultation, make_proposal, make_group, make_staff):
    def count(url):
        client.get(url)
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count

    institution = make_institution()
    consultation = make_consultation(institution=institution, with_comment=False)
    few, many, peteris = make_user(), make_user(), make_user()
    _bulk(few, peteris, institution, consultation, 3, make_proposal, make_group)
    _bulk(many, peteris, institution, consultation, 30, make_proposal, make_group)
    _bulk_cocreation(institution, make_staff, peteris, {few: 3, many: 30})
    login(few)
    small = {url: count(url) for url in ("/account/activity/", "/account/activity/reports", "/account/activity/supports",
                                         "/account/activity/cocreation")}
    client.post("/account/logout")
    login(many)
    large = {url: count(url) for url in small}
    assert small == large
    assert small["/account/activity/"] <= 14  # the user, the navigation, the counts, one per tab (co-creation 3, reports 1 + 1 per kind reported)


def test_co_creation_ideas_amendments_supports_and_endorsements(client, login, make_user, make_institution, make_staff):
    from datetime import timedelta

    from participation.clock import riga_today
    from participation.cocreation import services as cocreation
    from participation.cocreation.models import AmendmentKind
    from participation.institutions.models import StaffRole

    municipality = make_institution()
    coordinator = make_staff(municipality, role=StaffRole.EDITOR)
    anna, peteris = make_user(name="Anna Bērziņa"), make_user(name="Pēteris Kalējs")
    today = riga_today()
    process = cocreation.create_process(municipality, coordinator, "Mājdzīvnieku noteikumi", "Suņi bez pavadas.",
                                        today + timedelta(days=10), today + timedelta(days=40), today + timedelta(days=90))
    own_idea = cocreation.post_idea(process, anna, "ANNAS-IDEJA: pastaigu laukums", "Laukums pie parka.")
    their_idea = cocreation.post_idea(process, peteris, "PĒTERA-IDEJA: soliņi", "Soliņi pie laukuma.")
    cocreation.support_idea(their_idea, anna)
    cocreation.publish_draft(process, coordinator, "1. Suņus ved pavadā.\n2. Laukumā suņi var skraidīt brīvi.")
    lineage = next(c.lineage for c in cocreation.clauses_of(cocreation.current_version(process.id).id) if c.number == "1.")
    own = cocreation.propose_amendment(process, lineage, anna, AmendmentKind.REPLACE, "Suņus ved īsā pavadā.", "Drošāk.")
    theirs = cocreation.propose_amendment(process, lineage, peteris, AmendmentKind.DELETE, "", "Nav vajadzīgs.")
    cocreation.endorse(theirs, anna)

    login(anna)
    client.get("/language/en")
    html = client.get("/account/activity/").get_data(as_text=True)
    assert "Co-creation (4)" in html
    tab = _tab(html, "cocreation")
    assert "Your idea" in tab and "ANNAS-IDEJA" in tab and "An idea you supported" in tab and "PĒTERA-IDEJA" in tab
    assert "Your amendment" in tab and own.number in tab and "An amendment you endorsed" in tab and theirs.number in tab
    assert "Being evaluated" in tab
    links = _links(html, "cocreation")
    for path in (f"/cocreation/{process.id}/ideas/{own_idea.id}", f"/cocreation/{process.id}/ideas/{their_idea.id}",
                 f"/cocreation/{process.id}/amendments/{own.id}", f"/cocreation/{process.id}/amendments/{theirs.id}"):
        assert path in links
    assert client.get("/account/activity/cocreation").status_code == 200

    client.post("/account/logout")
    login(peteris)
    tab = _tab(client.get("/account/activity/").get_data(as_text=True), "cocreation")
    assert "ANNAS-IDEJA" not in tab and own.number not in tab and theirs.number in tab
