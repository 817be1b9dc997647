"""The writes the benchmark measures under load (a comment, a reply, a support) run a fixed number of SQL statements,
whatever the data: each statement is CPU on a busy server, where a write waits behind the reads (issue 17). The
numbers are what the services need: the account, the consultation or proposal, what is written, its search document,
its counters, the receipt e-mail, the follow, and where the comment is listed."""
from datetime import datetime

import pytest
from sqlalchemy import func, select

from participation.consultations import services
from participation.consultations.models import Comment
from participation.extensions import db
from participation.proposals import services as proposal_services
from participation.proposals.models import Support
from tests.factories import section


@pytest.fixture
def during(open_consultation, fixed_now):
    fixed_now(datetime(2026, 3, 20, 10, 0))
    return open_consultation


def _statements(counter) -> list[str]:
    return [" ".join(s.split())[:90] for s in counter.statements]


def test_a_comment_and_a_reply_run_a_fixed_number_of_statements(client, login, count_queries, during, make_user):
    resident = make_user(name="Anna Bērziņa")
    other = make_user(name="Pēteris Kalniņš")
    point = section(during, "2.")
    login(resident)
    counts = []
    for round_ in range(2):
        for n in range(30 * round_):  # more comments before it: the same statements
            services.add_comment(during, other, f"Iepriekšējais {n}.", point)
        db.session.expire_all()  # as a new request finds them
        with count_queries() as comment:
            response = client.post(f"/consultations/{during.id}/comments",
                                   data={"section": point.id, "text": f"Mans komentārs {round_}.", "on_behalf": 0,
                                         "submission": f"k-{round_}"})
        assert response.status_code == 302
        statements = [s.lstrip() for s in comment.statements]
        # Neither the groups one may write for nor the sent form's key is read twice; the account is not read again.
        assert sum("FROM groups" in s for s in statements) == 1, _statements(comment)
        assert sum(s.startswith("SELECT") and "submission_key =" in s for s in statements) == 1, _statements(comment)
        assert sum(s.startswith("SELECT users.") for s in statements) == 1, _statements(comment)
        counts.append(len(statements))
    assert counts[0] == counts[1]

    parent = db.session.scalar(select(Comment).where(Comment.text == "Mans komentārs 1."))
    db.session.expire_all()
    with count_queries() as reply:
        response = client.post(f"/consultations/{during.id}/comments/{parent.id}/replies",
                               data={"text": "Mana atbilde.", "submission": "k-3"})
    assert response.status_code == 302
    assert not any("FROM sections" in s for s in reply.statements), _statements(reply)  # the section's id is enough
    assert sum(s.lstrip().startswith("SELECT") and "submission_key =" in s for s in reply.statements) == 1
    stored = db.session.scalar(select(Comment).where(Comment.text == "Mana atbilde."))
    assert stored.section_id == point.id and stored.parent_id == parent.id


def test_a_support_runs_a_fixed_number_of_statements(client, login, count_queries, make_proposal, make_user):
    counts = []
    for supporters_before in (0, 25):  # more supports before it: the same statements
        proposal = make_proposal()
        for n in range(supporters_before):
            proposal_services.support(proposal, make_user(name=f"Atbalstītājs {n}"))
        supporter = make_user(name=f"Līga Ozola {supporters_before}")
        login(supporter)
        db.session.expire_all()
        with count_queries() as support:
            response = client.post(f"/proposals/{proposal.id}/support")
        assert response.status_code == 302
        assert len(support.statements) <= 8, _statements(support)  # account, proposal, lock, insert, counter, …
        assert db.session.scalar(select(func.count(Support.id)).where(Support.proposal_id == proposal.id)) == supporters_before + 1
        counts.append(len(support.statements))
        client.post("/account/logout")
    assert counts[0] == counts[1]
