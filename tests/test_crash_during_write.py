"""Faults (issue 14), "Crash during a write": a worker killed (SIGKILL) in the middle of a comment, a support or an
answer leaves no half record. Each action is one transaction with its e-mail (the outbox row) and its counters in it.

The action runs in a child process against a PostgreSQL database of the test's own. The child stops at a chosen point
(after the first flush, or when it is about to send the n-th COMMIT), says so with a file, and waits; the test then
kills it with SIGKILL and reads the database: either all of the action is there (the comment, its receipt e-mail and
the counters; the support and the proposal's count; the answer, the case's new state and the e-mail to the submitter)
or none of it. Stopping at the second COMMIT finds the action finished in one: a design that committed the row first
and the e-mail or the counter afterwards would be killed in between and leave a half record."""
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from participation.extensions import db

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import sys, time
from pathlib import Path

from sqlalchemy import event

from participation import create_app
from participation.extensions import db

url, action, pause, ready, done, *ids = sys.argv[1:]
app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
with app.app_context(), app.test_request_context("/"):
    from participation.accounts.models import User

    user = db.session.get(User, int(ids[1]))

    def act():
        if action == "comment":
            from participation.consultations import services
            from participation.consultations.models import Consultation
            consultation = db.session.get(Consultation, int(ids[0]))
            services.add_comment(consultation, user, "Komentārs pirms avārijas.", section=consultation.versions[0].sections[0])
        elif action == "support":
            from participation.proposals import services
            from participation.proposals.models import Proposal
            services.support(db.session.get(Proposal, int(ids[0])), user, notify=True)
        else:
            from participation.cases import services
            from participation.cases.models import Case, Position
            services.answer_case(db.session.get(Case, int(ids[0])), user, Position.ACCEPTED, "Atbilde pirms avārijas.")

    kind, number = pause.split(":")
    seen = [0]

    def stop(*_args):
        seen[0] += 1
        if seen[0] == int(number):
            Path(ready).write_text("stopped")
            time.sleep(600)  # killed here

    if kind == "flush":
        event.listen(db.session(), "after_flush", stop)
    else:
        event.listen(db.engine, "commit", stop)  # before the COMMIT is sent
    act()
    Path(done).write_text("finished")
"""


@pytest.fixture
def world(committed_app):
    """Committed data: a published consultation with its sections, a submitted proposal (its case), their people."""
    from participation.accounts.models import User
    from participation.clock import riga_today, to_riga, utcnow
    from participation.consultations import services as consultation_services
    from participation.institutions.models import Institution, InstitutionKind, Membership, StaffRole
    from participation.proposals import services as proposal_services

    app = committed_app
    with app.app_context(), app.test_request_context("/"):
        def person(email):
            user = User(email=email, display_name=email.split("@")[0], locale="lv", email_verified_at=utcnow())
            user.set_password("correct horse battery")
            db.session.add(user)
            db.session.commit()
            return user

        institution = Institution(slug="rezekne", name="Rēzeknes novada pašvaldība", kind=InstitutionKind.MUNICIPALITY)
        db.session.add(institution)
        db.session.commit()
        editor, responder, author, resident = (person(f"{n}@example.lv") for n in ("editor", "responder", "author", "resident"))
        db.session.add_all([Membership(user=editor, institution=institution, role=StaffRole.EDITOR),
                            Membership(user=responder, institution=institution, role=StaffRole.RESPONDER)])
        db.session.commit()
        fields = {"title": "Saistošie noteikumi par soliņiem", "kind": "municipal_regulation", "policy_area": "governance",
                  "territory": "Rēzeknes novads", "official_name": "Ilze", "official_contact": "ilze@example.lv",
                  "problem": "Nav soliņu.", "goal": "Būs soliņi.", "summary": "Soliņi parkos."}
        consultation = consultation_services.save_draft(institution, editor, fields, "1. Soliņi.\n2. Parki.")
        consultation_services.publish(consultation, to_riga(utcnow()).replace(tzinfo=None) - timedelta(hours=1),
                                      riga_today() + timedelta(days=20))
        proposal = proposal_services.save_draft(author, institution, None, {
            "title": "Soliņi pie bibliotēkas", "problem": "Nav kur atpūsties.", "solution": "Uzstādīt trīs soliņus.",
            "benefit": "Senioriem būs vieglāk.", "territory": "Rēzeknes novads", "topics": ["social"]})
        proposal_services.submit(proposal, author)
        ids = {"consultation": consultation.id, "proposal": proposal.id, "case": proposal.case.id,
               "responder": responder.id, "author": author.id, "resident": resident.id}
        db.session.remove()
    return app, ids


def _one(app, sql: str, **params):
    with app.app_context():
        try:
            return db.session.execute(sa.text(sql), params).scalar()
        finally:
            db.session.remove()


def _state(app, action: str, ids: dict) -> dict:
    """What the action changes, read from the committed rows."""
    if action == "comment":
        return {
            "comments": _one(app, "SELECT count(*) FROM comments WHERE consultation_id = :c", c=ids["consultation"]),
            "receipts": _one(app, "SELECT count(*) FROM outbox_messages WHERE recipient = 'resident@example.lv'"),
            "comment_count": _one(app, "SELECT comment_count FROM consultations WHERE id = :c", c=ids["consultation"]),
            "positions_waiting": _one(app, "SELECT positions_waiting FROM consultations WHERE id = :c", c=ids["consultation"]),
            "section_counts": _one(app, "SELECT sum(comment_count) FROM sections"),
        }
    if action == "support":
        return {
            "supports": _one(app, "SELECT count(*) FROM supports WHERE proposal_id = :p", p=ids["proposal"]),
            "support_count": _one(app, "SELECT support_count FROM proposals WHERE id = :p", p=ids["proposal"]),
        }
    return {
        "responses": _one(app, "SELECT count(*) FROM responses WHERE case_id = :c", c=ids["case"]),
        "answered": _one(app, "SELECT count(*) FROM cases WHERE id = :c AND answered_at IS NOT NULL", c=ids["case"]),
        "e-mails": _one(app, "SELECT count(*) FROM outbox_messages WHERE recipient = 'author@example.lv'"),
    }


ACTIONS = {"comment": ("consultation", "resident"), "support": ("proposal", "resident"), "answer": ("case", "responder")}


@pytest.mark.parametrize("pause", ["flush:1", "commit:1", "commit:2"])
@pytest.mark.parametrize("action", ["comment", "support", "answer"])
def test_a_worker_killed_mid_action_leaves_all_or_nothing(world, tmp_path, action, pause):
    app, ids = world
    before = _state(app, action, ids)
    ready, done = tmp_path / "ready", tmp_path / "done"
    target, actor = ACTIONS[action]
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    child = subprocess.Popen([sys.executable, "-c", CHILD, url, action, pause, str(ready), str(done),
                              str(ids[target]), str(ids[actor])], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while not ready.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    if ready.exists():
        os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    output = child.stdout.read().decode(errors="replace")
    after = _state(app, action, ids)
    changed = {key for key in before if after[key] != before[key]}

    if pause == "commit:2":
        # every action commits once: the child finished, and all of it is there
        assert not ready.exists() and done.exists() and child.returncode == 0, output
        assert changed == set(before), (before, after)
    else:
        assert ready.exists() and child.returncode == -signal.SIGKILL, output
        assert changed == set(), (before, after)  # killed before its one COMMIT: nothing of it
    # the counters always agree with the rows
    if action == "comment":
        assert after["comment_count"] - before["comment_count"] == after["comments"] - before["comments"]
        assert after["receipts"] - before["receipts"] == after["comments"] - before["comments"]
    elif action == "support":
        assert after["support_count"] == after["supports"]
    else:
        assert after["responses"] - before["responses"] == after["answered"] - before["answered"] == after["e-mails"] - before["e-mails"]
