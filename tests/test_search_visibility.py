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


@pytest.mark.parametrize("path", ["/proposals/", "/consultations/"])
def test_searches_are_rate_limited_per_address_reading_is_not(limited_app, path):
    client = limited_app.test_client()
    codes = [client.get(path, query_string={"q": f"{PHONE[:n + 1]}"}).status_code for n in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get(path).status_code == 200  # the list without a search is never limited
    other = limited_app.test_client()
    assert other.get(path, query_string={"q": "x"}, environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 200
