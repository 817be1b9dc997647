"""Issue 14, item 1: hidden text is not searchable. A public search leaves out hidden and pending contributions except
for who may read them (moderators; the author their own), and searches are rate limited per address."""
import pytest

from participation.extensions import db
from participation.moderation import services as moderation
from participation.moderation.models import HideReason, Moderation

PHONE = "29999123"


def _found(client, query, proposal) -> bool:
    response = client.get("/proposals/", query_string={"q": query})
    assert response.status_code == 200
    return f'href="/proposals/{proposal.id}"' in response.get_data(as_text=True)


@pytest.fixture
def hidden_proposal(make_proposal, make_user):
    author = make_user(name="Autore")
    proposal = make_proposal(author=author, title="Soliņi parkā", problem=f"Zvaniet man: {PHONE}.")
    moderation.hide(proposal, make_user(name="Moderatore", is_moderator=True), HideReason.PERSONAL_DATA)
    db.session.commit()
    return proposal


def test_a_proposal_hidden_for_personal_data_is_not_found_by_its_text(client, login, hidden_proposal, make_user):
    assert not _found(client, PHONE, hidden_proposal)
    assert not _found(client, PHONE[:4], hidden_proposal)  # nor digit by digit
    assert not _found(client, "Soliņi parkā", hidden_proposal)
    assert _found(client, "", hidden_proposal)  # the list itself still shows its notice
    login(make_user(name="Cits iedzīvotājs"))
    assert not _found(client, PHONE, hidden_proposal)


def test_a_moderator_and_the_author_still_find_it(client, login, hidden_proposal, make_user):
    login(make_user(name="Moderators", is_moderator=True))
    assert _found(client, PHONE, hidden_proposal)
    client.post("/account/logout")
    login(hidden_proposal.author)
    assert _found(client, PHONE, hidden_proposal)


def test_a_pending_proposal_is_not_found(client, login, make_proposal, make_user):
    proposal = make_proposal(problem=f"Mans tālrunis {PHONE}.")
    proposal.moderation = Moderation.PENDING
    db.session.commit()
    assert not _found(client, PHONE, proposal)
    login(make_user(name="Cits"))
    assert not _found(client, PHONE, proposal)
    proposal.moderation = Moderation.APPROVED  # the same search finds it once approved: the test can fail
    db.session.commit()
    assert _found(client, PHONE, proposal)


@pytest.fixture
def limited_app(rate_limited_app):
    return rate_limited_app(RATELIMIT_SEARCH="3 per minute")


@pytest.mark.parametrize("path", ["/proposals/", "/consultations/", "/institutions/"])
def test_searches_are_rate_limited_per_address_reading_is_not(limited_app, path):
    client = limited_app.test_client()
    codes = [client.get(path, query_string={"q": f"{PHONE[:n + 1]}"}).status_code for n in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get(path).status_code == 200  # the list without a search is never limited
    other = limited_app.test_client()
    assert other.get(path, query_string={"q": "x"}, environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 200


# --- issue 19: the one search (/search) finds hidden, pending, draft and private items only for who may see them ----

from participation.cases import services as case_services  # noqa: E402
from participation.cases.models import OfflineSource, Position  # noqa: E402
from participation.clock import riga_today  # noqa: E402
from participation.consultations import services as consultation_services  # noqa: E402
from participation.institutions.models import StaffRole  # noqa: E402

ROLES = ("anonymous", "resident", "author", "moderator", "editor", "responder", "other_staff")


@pytest.fixture
def people(make_institution, make_staff, make_user):
    institution = make_institution(name="Siguldas novada pašvaldība")
    other = make_institution(name="Cita iestāde")
    return institution, {
        "resident": make_user(name="Cits iedzīvotājs"), "author": make_user(name="Autors"),
        "moderator": make_user(name="Moderatore", is_moderator=True),
        "editor": make_staff(institution, role=StaffRole.EDITOR, name="Redaktors"),
        "responder": make_staff(institution, role=StaffRole.RESPONDER, name="Atbildētāja"),
        "other_staff": make_staff(other, role=StaffRole.ADMIN, name="Citas iestādes vadītājs"),
    }


def _finders(client, login, users, query, href) -> set[str]:
    """The roles whose /search for `query` links to `href`."""
    finders = set()
    for role in ROLES:
        client.post("/account/logout")
        if role != "anonymous":
            login(users[role])
        response = client.get("/search", query_string={"q": query})
        assert response.status_code == 200
        if f'href="{href}"' in response.get_data(as_text=True):
            finders.add(role)
    client.post("/account/logout")
    return finders


def _public(client, query, href) -> bool:
    return f'href="{href}"' in client.get("/search", query_string={"q": query}).get_data(as_text=True)


def _consultation(institution, editor, premoderation=False, publish=True):
    from datetime import timedelta

    from participation.clock import to_riga, utcnow

    fields = {"title": "Noteikumi par kapsētām", "kind": "municipal_regulation", "policy_area": "governance",
              "territory": "Siguldas novads", "official_name": "Ilze", "official_contact": "ilze@example.lv",
              "problem": "Kapsētu kārtība.", "goal": "Skaidri noteikumi.", "summary": "Kapsētu kopšana.",
              "premoderation": premoderation}
    consultation = consultation_services.save_draft(institution, editor, fields, "1. Kapsētas vārti ir atvērti.\n2. Sveces.")
    if publish:
        opens = to_riga(utcnow()).replace(tzinfo=None) - timedelta(hours=1)
        consultation_services.publish(consultation, opens, riga_today() + timedelta(days=20))
    db.session.commit()
    return consultation


def test_a_hidden_comment_is_found_by_its_author_and_moderators_only(client, login, people):
    institution, users = people
    consultation = _consultation(institution, users["editor"])
    comment = consultation_services.add_comment(consultation, users["author"], "Zvaniet man, Ozolkalna ielā 7.")
    href = f"/consultations/{consultation.id}/comments/{comment.id}"
    assert _finders(client, login, users, "Ozolkalna", href) == set(ROLES)  # the control: found while shown
    moderation.hide(comment, users["moderator"], HideReason.PERSONAL_DATA)
    db.session.commit()
    assert _finders(client, login, users, "Ozolkalna", href) == {"author", "moderator"}
    moderation.restore(comment, users["moderator"])
    assert _public(client, "Ozolkalna", href)


def test_a_pending_comment_is_found_by_its_author_and_moderators_only(client, login, people):
    institution, users = people
    consultation = _consultation(institution, users["editor"], premoderation=True)
    comment = consultation_services.add_comment(consultation, users["author"], "Vajag vairāk soliņu pie Rožu kapiem.")
    db.session.commit()
    href = f"/consultations/{consultation.id}/comments/{comment.id}"
    assert _finders(client, login, users, "Rožu kapiem", href) == {"author", "moderator"}
    moderation.approve(comment, users["moderator"])
    assert _public(client, "Rožu kapiem", href)


def test_an_unpublished_consultation_and_its_sections_are_found_by_the_institutions_editors_only(client, login, people):
    institution, users = people
    consultation = _consultation(institution, users["editor"], publish=False)
    section = consultation.versions[0].sections[0]
    for query, href in (("kapsētām", f"/consultations/{consultation.id}"),
                        ("vārti", f"/consultations/{consultation.id}/sections/{section.id}")):
        assert _finders(client, login, users, query, href) == {"editor"}, query
    from datetime import timedelta

    from participation.clock import to_riga, utcnow

    consultation_services.publish(consultation, to_riga(utcnow()).replace(tzinfo=None) - timedelta(hours=1),
                                  riga_today() + timedelta(days=20))
    db.session.commit()
    assert _public(client, "vārti", f"/consultations/{consultation.id}/sections/{section.id}")


def test_a_draft_proposal_is_found_by_its_author_only(client, login, people, make_proposal):
    institution, users = people
    draft = make_proposal(institution=institution, author=users["author"], title="Melnraksts par Gaujas tiltu", submit=False)
    href = f"/proposals/{draft.id}"
    assert _finders(client, login, users, "Gaujas tilts", href) == {"author"}


def test_a_hidden_or_pending_proposal_is_found_by_its_author_and_moderators_only(client, login, people, make_proposal):
    institution, users = people
    hidden = make_proposal(institution=institution, author=users["author"], title="Turaidas pils autostāvvieta")
    moderation.hide(hidden, users["moderator"], HideReason.SPAM)
    db.session.commit()
    assert _finders(client, login, users, "Turaidas", f"/proposals/{hidden.id}") == {"author", "moderator"}
    pending = make_proposal(institution=institution, author=users["author"], title="Krimuldas skolas sporta zāle")
    pending.moderation = Moderation.PENDING
    db.session.commit()
    assert _finders(client, login, users, "Krimuldas", f"/proposals/{pending.id}") == {"author", "moderator"}


def test_a_hidden_group_is_found_by_its_leader_and_moderators_only(app, client, login, people, make_group):
    institution, users = people
    group = make_group(leader=users["author"], name="Līgatnes senioru biedrība")
    with app.test_request_context():  # hiding describes the item with its link
        moderation.hide(group, users["moderator"], HideReason.ABUSE)
    db.session.commit()
    assert _finders(client, login, users, "Līgatnes", f"/groups/{group.slug}") == {"author", "moderator"}


def test_a_private_cases_responses_are_found_by_the_institutions_staff_only(client, login, people):
    institution, users = people
    case = case_services.register_offline(institution, "Vēstule par Mores ceļu", "Personas dati.", OfflineSource.LETTER,
                                          riga_today(), "Jānis", True)
    response = case_services.answer_case(case, users["responder"], Position.NOTED, "Mores ceļu sakārtosim vasarā.")
    db.session.commit()
    href = f"/cases/{case.id}#response-{response.id}"
    assert _finders(client, login, users, "Mores", href) == {"editor", "responder"}


def test_a_hidden_comments_case_and_its_answer_leave_the_public_search(client, login, people, fixed_now):
    """The closing step makes a case of the comment; hiding the comment makes the case private, so its answer (which
    carries the comment's words in its title) is found by the institution's staff and the comment's author only."""
    from datetime import timedelta

    from participation.clock import utcnow

    institution, users = people
    consultation = _consultation(institution, users["editor"])
    comment = consultation_services.add_comment(consultation, users["author"], "Inčukalna kapsētas vārti čīkst.")
    fixed_now(utcnow() + timedelta(days=25))
    consultation_services.process_closed(consultation)
    db.session.commit()
    db.session.refresh(comment)
    response = case_services.answer_case(comment.case, users["responder"], Position.ACCEPTED, "Vārtus ieeļļosim.")
    db.session.commit()
    href = f"/cases/{comment.case_id}#response-{response.id}"
    assert _public(client, "ieeļļosim", href)
    moderation.hide(comment, users["moderator"], HideReason.ABUSE)
    db.session.commit()
    assert _finders(client, login, users, "ieeļļosim", href) == {"author", "editor", "responder"}


def test_the_search_page_is_rate_limited_per_address(limited_app):
    client = limited_app.test_client()
    codes = [client.get("/search", query_string={"q": f"soliņi {n}"}).status_code for n in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get("/search").status_code == 200  # the page without a search is never limited


def test_co_creation_processes_and_ideas_are_found_and_a_hidden_idea_only_by_its_author_and_moderators(client, login, people):
    from datetime import timedelta

    from participation.cocreation import services as cocreation

    institution, users = people
    today = riga_today()
    process = cocreation.create_process(institution, users["editor"], "Mājdzīvnieku turēšanas noteikumi",
                                        "Suņi skraida bez pavadas.", today + timedelta(days=10), today + timedelta(days=40),
                                        today + timedelta(days=90))
    idea = cocreation.post_idea(process, users["author"], "Suņu laukums", "Iežogots laukums pie Vējupītes.")
    db.session.commit()
    assert _public(client, "mājdzīvnieki", f"/cocreation/{process.id}")
    href = f"/cocreation/{process.id}/ideas/{idea.id}"
    assert _finders(client, login, users, "Vējupītes", href) == set(ROLES)
    moderation.hide(idea, users["moderator"], HideReason.ABUSE)
    db.session.commit()
    assert _finders(client, login, users, "Vējupītes", href) == {"author", "moderator"}
