"""The Nu HTML checker on the proposal and case pages the shared check does not visit: every staff action page (an
answer that came too late included), the correction and implementation pages, forms in their error state, the
confirmation panel, and the pages a blocked account sees."""
from pathlib import Path

import pytest
from sqlalchemy import select
from participation.cases.models import Case, AWAITING_STATES, CaseState, Response, ResponseKind
from participation.proposals.models import Proposal, ProposalStatus
from participation.institutions.models import Institution
from tests.browser.test_html_valid import run_checker
pytestmark = pytest.mark.browser

def test_proposal_and_case_pages_are_valid_html(page_as, live_db, tmp_path):
    with live_db() as s:
        rz = s.scalar(select(Institution.id).where(Institution.slug == "rezeknes-novads"))
        awaiting = s.scalar(select(Case.id).where(Case.state.in_(AWAITING_STATES), Case.institution_id == rz).order_by(Case.id.desc()))
        answered = s.scalar(select(Case.id).where(Case.state == CaseState.ANSWERED, Case.institution_id == rz).order_by(Case.id))
        resp = s.scalar(select(Response.id).where(Response.case_id == answered, Response.kind == ResponseKind.ANSWER).order_by(Response.id.desc()))
        pids = s.scalars(select(Proposal.id).where(Proposal.status == ProposalStatus.SUBMITTED)).all()
        draft = s.scalars(select(Proposal).where(Proposal.status == ProposalStatus.DRAFT)).first()
        draft_email, draft_id = draft.author.email, draft.id
        submitted = s.scalars(select(Proposal).where(Proposal.status == ProposalStatus.SUBMITTED, Proposal.case_id.is_not(None))).first()
        submitted_email, submitted_id = submitted.author.email, submitted.id
    files = []
    def save(page, name, path):
        r = page.goto(path)
        p = tmp_path / f"{name}.html"; p.write_bytes(r.body()); files.append(p)
    staff = page_as("rezekne.atbildes@example.lv")
    for n, path in [("inbox", "/institutions/rezeknes-novads/inbox"), ("log", "/institutions/rezeknes-novads/log"),
                    ("case", f"/cases/{awaiting}"), ("answer", f"/cases/{awaiting}/answer"), ("extend", f"/cases/{awaiting}/extend"),
                    ("forward", f"/cases/{awaiting}/forward"), ("ne", f"/cases/{awaiting}/not-examined"),
                    ("answered", f"/cases/{answered}"), ("already", f"/cases/{answered}/answer"), ("correct", f"/responses/{resp}/correct"),
                    ("impl", f"/cases/{answered}/implemented"), ("offline", "/institutions/rezeknes-novads/offline"),
                    ("proposals", "/proposals/"), ("mine", "/proposals/mine"), ("new", "/proposals/new")]:
        save(staff, n, path)
    for pid in pids:
        save(staff, f"proposal{pid}", f"/proposals/{pid}")
    mod = page_as("moderator@example.lv")
    save(mod, "pmod", "/proposals/moderation"); save(mod, "merge", f"/proposals/{pids[0]}/merge")
    adm = page_as("ministrija.admin@example.lv")
    save(adm, "settings", "/institutions/varam/proposal-settings")
    author = page_as(draft_email)
    save(author, "check", f"/proposals/{draft_id}/check"); save(author, "edit", f"/proposals/{draft_id}/edit")
    save(page_as(submitted_email), "panel", f"/proposals/{submitted_id}/submitted")
    blocked = page_as("trollis@example.lv")
    save(blocked, "blocked-new", "/proposals/new"); save(blocked, "blocked-show", f"/proposals/{pids[0]}")
    for form_path, name in [(f"/cases/{awaiting}/extend", "extend-err"), ("/proposals/new", "new-err"), (f"/cases/{awaiting}/answer", "answer-err")]:
        staff.goto(form_path)
        with staff.expect_response(lambda r: r.request.method == "POST") as posted:
            staff.locator("main form[novalidate] button[type=submit]").first.click()
        p = tmp_path / f"{name}.html"; p.write_bytes(posted.value.body()); files.append(p)
    errors = run_checker(files)
    report = "\n".join(f"{Path(e.get('url', '')).name}:{e.get('lastLine')}: {e.get('message')} [{e.get('extract', '').strip()[:160]}]" for e in errors)
    assert not errors, report
