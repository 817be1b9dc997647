"""axe-core (WCAG 2.0/2.1 A and AA) on every page of the app, in Latvian and in English, public and staff pages,
and forms in their error state. Ids come from the live demo database, never hard-coded."""
from dataclasses import dataclass
from typing import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import aliased

from participation.clock import riga_today
from participation.cases.models import AWAITING_STATES, Case, CaseState, Response, ResponseKind
from participation.groups.models import Group
from participation.institutions.models import Institution, Membership, StaffRole
from participation.accounts.models import User
from participation.clock import utcnow
from participation.consultations import services as consultation_services
from participation.consultations.models import Comment, Consultation, DraftVersion
from participation.proposals.models import Moderation, Proposal, ProposalStatus
from tests.browser.conftest import html_lang

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LANGUAGES = ["lv", "en"]
STAFF = "rezekne.atbildes@example.lv"
STAFF_SLUG = "rezeknes-novads"
INSTITUTION_ADMIN = "ministrija.admin@example.lv"
ADMIN_SLUG = "varam"
MODERATOR = "moderator@example.lv"
RESIDENT = "iedzivotajs@example.lv"
FROM_DB = "<the account found with the page>"

_axe = Axe()


def check_with_axe(page) -> None:
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


# --- what to look at, found in the live database ---------------------------------------------------------


def _resident_id(s) -> int:
    return s.scalar(select(User.id).where(User.email == RESIDENT))


def _group_slug(s) -> str:
    return s.scalar(select(Group.slug).order_by(Group.id))


def _public_case_with_history(s) -> int:
    """A public case whose page shows answers, including a superseded one when the demo has it."""
    corrected = s.scalar(
        select(Response.case_id).join(Case, Response.case_id == Case.id)
        .where(Response.supersedes_id.is_not(None), Case.is_private.is_(False)).order_by(Response.id)
    )
    return corrected or s.scalar(select(Case.id).where(Case.is_private.is_(False)).order_by(Case.id))


def _actionable_case(s) -> int:
    """A case at the staff member's institution on which every action is still offered."""
    return s.scalar(
        select(Case.id).join(Institution, Case.institution_id == Institution.id)
        .where(
            Institution.slug == STAFF_SLUG,
            Case.state.in_(AWAITING_STATES),
            Case.extended_once.is_(False),
            Case.due_on >= riga_today(),  # an overdue case can no longer be extended
        )
        .order_by(Case.id)
    )


def _correctable_answer(s) -> tuple[int, str]:
    """A current answer (not superseded, case answered by its own institution) and a responder or admin there."""
    later = aliased(Response)
    row = s.execute(
        select(Response.id, User.email)
        .join(Case, Response.case_id == Case.id)
        .join(Membership, Membership.institution_id == Response.institution_id)
        .join(User, Membership.user_id == User.id)
        .where(
            Response.kind == ResponseKind.ANSWER,
            Case.state == CaseState.ANSWERED,
            Case.institution_id == Response.institution_id,
            Membership.role.in_([StaffRole.RESPONDER, StaffRole.ADMIN]),
            ~select(later.id).where(later.supersedes_id == Response.id).exists(),
        )
        .order_by(Response.id, Membership.id)
    ).first()
    assert row is not None, "the demo should have a current answer that its institution may correct"
    return row.id, row.email


def _correction_page(s) -> tuple[str, str]:
    response_id, email = _correctable_answer(s)
    return f"/responses/{response_id}/correct", email


def _public_proposals():
    return (
        select(Proposal.id).join(Case, Proposal.case_id == Case.id)
        .where(
            Proposal.status == ProposalStatus.SUBMITTED,
            Proposal.moderation == Moderation.APPROVED,
            Proposal.merged_into_id.is_(None),
        )
        .order_by(Proposal.id)
    )


def _answered_proposal(s) -> int:
    """A public proposal whose page shows what the institution did."""
    return s.scalar(_public_proposals().where(select(Response.id).where(Response.case_id == Case.id).exists()))


def _collecting_proposal(s) -> int:
    """A public proposal still collecting supports towards a threshold (the progress bar and the support form)."""
    return s.scalar(
        _public_proposals().where(
            Case.state.in_(AWAITING_STATES),
            Proposal.support_threshold.is_not(None),
            (Proposal.collect_until.is_(None)) | (Proposal.collect_until >= riga_today()),
        )
    )


def _draft_check_page(s) -> tuple[str, str]:
    """The check page of a draft, seen by the draft's author."""
    row = s.execute(
        select(Proposal.id, User.email).join(User, Proposal.author_id == User.id)
        .where(Proposal.status == ProposalStatus.DRAFT, User.email == RESIDENT).order_by(Proposal.id)
    ).first()
    assert row is not None, f"the demo should have a draft proposal by {RESIDENT}"
    return f"/proposals/{row.id}/check", row.email


# Consultations, found by the demo's titles and by their window state now.
EDITOR = "ministrija.redaktors@example.lv"
OPEN_CONSULTATION = "Rēzeknes novada sabiedriskās kārtības noteikumi"
AWAITING_CONSULTATION = "Rēzeknes novada pašvaldības nolikuma grozījumi"
FINISHED_CONSULTATION = "Valmieras novada sabiedriskās kārtības noteikumi"
UNPUBLISHED_DRAFT = "Pārbaudes melnraksts: kapsētu uzturēšanas noteikumi"


def _consultation(s, title: str, state: str) -> int:
    """The demo consultation with this title, in the window state the target needs (open or closed)."""
    now = utcnow()
    query = select(Consultation.id).where(Consultation.title == title, Consultation.published_at.is_not(None))
    if state == "open":
        query = query.where(Consultation.opens_at <= now, Consultation.closes_at >= now)
    else:
        query = query.where(Consultation.closes_at < now)
    consultation_id = s.scalar(query.order_by(Consultation.id))
    assert consultation_id is not None, f"the demo should have the {state} consultation {title!r}"
    return consultation_id


def _open_consultation(s) -> int:
    return _consultation(s, OPEN_CONSULTATION, "open")


def _awaiting_consultation(s) -> int:
    return _consultation(s, AWAITING_CONSULTATION, "closed")


def _finished_consultation(s) -> int:
    """Closed, every comment with a position, and a version 2."""
    consultation_id = _consultation(s, FINISHED_CONSULTATION, "closed")
    assert s.scalar(select(DraftVersion.id).where(DraftVersion.consultation_id == consultation_id, DraftVersion.number == 2))
    return consultation_id


def _commented_section(s) -> tuple[str, None]:
    """The comments page of a section of the open consultation that has comments (and replies)."""
    consultation_id = _open_consultation(s)
    section_id = s.scalar(
        select(Comment.section_id).where(Comment.consultation_id == consultation_id, Comment.section_id.is_not(None),
                                         Comment.parent_id.is_(None)).order_by(Comment.id)
    )
    assert section_id is not None, "the demo's open consultation should have a comment on a section"
    return f"/consultations/{consultation_id}/comments?section={section_id}", None


def _unpublished_draft(s) -> int:
    """An unpublished draft at the municipality; the demo has none, so the first lookup prepares one (as the editor
    would) and later ones find it. Unpublished, it is on no public page."""
    consultation_id = s.scalar(
        select(Consultation.id).where(Consultation.title == UNPUBLISHED_DRAFT, Consultation.published_at.is_(None))
    )
    if consultation_id is None:
        institution = s.scalar(select(Institution).where(Institution.slug == STAFF_SLUG))
        editor = s.scalar(select(User).where(User.email == EDITOR))
        consultation_id = consultation_services.save_draft(institution, editor, {
            "title": UNPUBLISHED_DRAFT, "kind": "municipal_regulation", "policy_area": "governance",
            "territory": "Rēzeknes novads", "official_name": "Ilze Kalniņa", "official_contact": "ilze.kalnina@example.lv",
            "problem": "Kapsētu uzturēšanas kārtība nav vienota.", "goal": "Vienoti noteikumi visām novada kapsētām.",
            "summary": "Noteikumi nosaka, kas un kā kopj kapsētas.",
        }, "I. Vispārīgie jautājumi\n1. Noteikumi nosaka kapsētu uzturēšanas kārtību.\n2. Kapsētas apsaimnieko pagasta pārvalde.").id
    return consultation_id


def _reported_comment(s) -> int:
    from participation.moderation.models import Report

    return s.scalar(select(Report.item_id).where(Report.item_kind == "comment", Report.resolved_at.is_(None)).order_by(Report.id))


def _shown_comment_of_another(s) -> int:
    """A shown comment the resident did not write (so they may report it)."""
    resident = s.scalar(select(User.id).where(User.email == RESIDENT))
    return s.scalar(select(Comment.id).where(Comment.hidden_at.is_(None), Comment.author_id != resident,
                                             Comment.moderation == "approved").order_by(Comment.id))


def _hidden_comment_review(s) -> tuple[str, str]:
    comment_id, author = s.execute(select(Comment.id, User.email).join(User, User.id == Comment.author_id)
                                   .where(Comment.hidden_at.is_not(None)).order_by(Comment.id)).first()
    return f"/moderation/review/comment/{comment_id}", author


@dataclass(frozen=True)
class Target:
    """A page to check: who looks at it, and how to reach it (a path, or a path plus a form submission)."""

    name: str
    user: str | None  # None: logged out; FROM_DB: the account the path lookup returns
    path: Callable  # (db session) -> (path, account or None)
    submit_empty_form: bool = False
    expect_status: int = 200
    must_show: str | None = None  # a selector proving the page is in the state meant to be checked


def _unsubscribe_path(s) -> str:
    """The one-click unsubscribe page of one of the resident's follows (the link every notification carries)."""
    from participation.follows.models import Follow
    from participation.follows.services import Unsubscription, unsubscribe_token

    row = s.scalars(select(Follow).join(User, User.id == Follow.user_id)
                    .where(User.email == RESIDENT, Follow.stopped_at.is_(None)).order_by(Follow.id)).first()
    return f"/unsubscribe/{unsubscribe_token(Unsubscription('follow', row.user_id, follow_id=row.id))}"


def _fixed(path: str):
    return lambda s: (path, None)


def _cocreation(stage: str, suffix: str = ""):
    """The first demo co-creation process in a stage (issue 16), and a page of it."""
    from participation.cocreation.models import CoCreation

    return lambda s: (f"/cocreation/{s.scalar(select(CoCreation.id).where(CoCreation.stage == stage).order_by(CoCreation.id))}"
                      f"{suffix}", None)


def _cocreation_item(kind: str):
    """A page of the drafting process's first amendment still being evaluated, its clause, or the first idea of the
    process in the ideas stage; "taken": the adopted process's first accepted amendment."""
    from participation.cocreation.models import Amendment, CoCreation, Idea

    def _path(s):
        if kind == "idea":
            row = s.execute(select(Idea.process_id, Idea.id).join(CoCreation, CoCreation.id == Idea.process_id)
                            .where(CoCreation.stage == "ideas").order_by(Idea.id)).first()
            return f"/cocreation/{row[0]}/ideas/{row[1]}", None
        state = "accepted" if kind == "taken" else "evaluating"
        row = s.execute(select(Amendment.process_id, Amendment.id, Amendment.lineage).where(Amendment.state == state)
                        .order_by(Amendment.id)).first()
        if kind == "clause":
            return f"/cocreation/{row[0]}/clauses/{row[2]}", None
        if kind == "amend":
            return f"/cocreation/{row[0]}/clauses/{row[2]}/amend", None
        return f"/cocreation/{row[0]}/amendments/{row[1]}" + ("/decide" if kind == "decide" else ""), None

    return _path


TARGETS = [
    # Public pages, logged out.
    Target("home", None, _fixed("/")),
    Target("institutions", None, _fixed("/institutions/")),
    Target("institution", None, _fixed(f"/institutions/{STAFF_SLUG}"), must_show="main section.app-chart svg[role=img]"),
    Target("institution-figures", None, _fixed("/institutions/figures"), must_show="main section.app-chart table tbody tr"),
    Target("institution-figures-month", None, lambda s: (f"/institutions/figures?month={riga_today():%Y-%m}", None),
           must_show="main section.app-chart svg[role=img]"),
    Target("response-log", None, _fixed(f"/institutions/{STAFF_SLUG}/log")),
    Target("groups", None, _fixed("/groups/")),
    Target("group", None, lambda s: (f"/groups/{_group_slug(s)}", None)),
    Target("case-public", None, lambda s: (f"/cases/{_public_case_with_history(s)}", None)),
    Target("register", None, _fixed("/account/register")),
    Target("login", None, _fixed("/account/login")),
    Target("reset", None, _fixed("/account/reset")),
    Target("not-found", None, _fixed("/no-such-page-here"), expect_status=404),
    Target("privacy", None, _fixed("/about/privacy")),
    Target("terms", None, _fixed("/about/terms")),
    Target("accessibility-statement", None, _fixed("/about/accessibility")),
    Target("contact", None, _fixed("/about/contact")),
    # issue 19: the open-data API's human page (its endpoints) and the open-data page (the bulk files, the licence)
    Target("api", None, _fixed("/api/"), must_show="main dl.app-endpoints code"),
    Target("open-data", None, _fixed("/open-data/"), must_show="main table tbody tr a[download]"),
    # issue 19: the one search, with results (marked words) and with its filters' errors
    Target("search", None, _fixed("/search")),
    Target("search-results", None, _fixed("/search?q=soliņi"), must_show="ol.app-search-results li mark"),
    # (%26: the path travels as the language switch's ?next=)
    Target("search-filtered", None, _fixed("/search?q=bibliotēka%26kind=proposal%26kind=comment%26state=open"),
           must_show="details.govuk-details[open]"),
    Target("search-errors", None, _fixed("/search?q=soli%26date_from=31%26date_from=2%26date_from=2026"), expect_status=400),
    # Staff of an institution.
    Target("inbox", STAFF, _fixed(f"/institutions/{STAFF_SLUG}/inbox"), must_show="table.app-inbox tbody tr"),
    Target("case-with-actions", STAFF, lambda s: (f"/cases/{_actionable_case(s)}", None), must_show="main nav a[href$='/answer']"),
    Target("answer", STAFF, lambda s: (f"/cases/{_actionable_case(s)}/answer", None)),
    Target("extend", STAFF, lambda s: (f"/cases/{_actionable_case(s)}/extend", None)),
    Target("forward", STAFF, lambda s: (f"/cases/{_actionable_case(s)}/forward", None)),
    Target("not-examined", STAFF, lambda s: (f"/cases/{_actionable_case(s)}/not-examined", None)),
    Target("correct", FROM_DB, lambda s: _correction_page(s), must_show="main form textarea"),
    Target("offline", STAFF, _fixed(f"/institutions/{STAFF_SLUG}/offline")),
    Target("profile", STAFF, _fixed("/account/profile")),
    Target("notification-settings", RESIDENT, _fixed("/account/notifications"),
           must_show="main .govuk-radios input[type=radio]"),  # issue 18: follows and how one hears of them
    Target("unsubscribe", None, lambda s: (_unsubscribe_path(s), None), must_show="main form button[type=submit]"),
    Target("new-group", STAFF, _fixed("/groups/new")),
    # Institution administrator.
    Target("staff", INSTITUTION_ADMIN, _fixed(f"/institutions/{ADMIN_SLUG}/staff"), must_show="main table tbody tr"),
    # Platform administrator.
    Target("people-and-roles", "admin@example.lv", _fixed("/admin/users"), must_show="main table tbody tr"),
    Target("admin-audit-log", "admin@example.lv", _fixed("/admin/audit")),  # issue 18
    Target("admin-person", "admin@example.lv", lambda s: (f"/admin/users/{_resident_id(s)}", None), must_show="main form input"),
    Target("admin-person-with-errors", "admin@example.lv", lambda s: (f"/admin/users/{_resident_id(s)}", None),
           submit_empty_form=True, expect_status=400),
    # One's own account and data (issue 18).
    Target("account-email", RESIDENT, _fixed("/account/email")),
    Target("account-password", RESIDENT, _fixed("/account/password")),
    Target("account-data", RESIDENT, _fixed("/account/data"), must_show="main form[action$='/data/download'] button"),
    Target("account-delete", RESIDENT, _fixed("/account/delete"), must_show="main input[type=checkbox]"),
    Target("account-terms", RESIDENT, _fixed("/account/terms")),
    # Proposals.
    Target("proposals", None, _fixed("/proposals/?state=awaiting&sort=supported"), must_show="main ul.app-card-list li"),
    Target("proposal-answered", None, lambda s: (f"/proposals/{_answered_proposal(s)}", None), must_show="main ol.app-entries li"),
    Target("proposal-collecting", MODERATOR, lambda s: (f"/proposals/{_collecting_proposal(s)}", None),
           must_show="main form[action$='/support'] input[type=checkbox]"),
    Target("proposal-new", RESIDENT, _fixed("/proposals/new")),
    Target("proposal-check", FROM_DB, lambda s: _draft_check_page(s), must_show="main .app-check-answers"),
    Target("proposals-mine", RESIDENT, _fixed("/proposals/mine"), must_show="main table tbody tr"),
    Target("my-activity", RESIDENT, _fixed("/account/activity/"), must_show="main .govuk-tabs li.app-activity-item"),
    Target("my-activity-tab", RESIDENT, _fixed("/account/activity/comments"), must_show="main li.app-activity-item"),
    Target("proposal-moderation", MODERATOR, _fixed("/proposals/moderation"), must_show="main ul.app-entries li"),
    Target("proposal-merge", MODERATOR, lambda s: (f"/proposals/{_collecting_proposal(s)}/merge", None)),
    Target("proposal-settings", INSTITUTION_ADMIN, _fixed(f"/institutions/{ADMIN_SLUG}/proposal-settings")),
    # Consultations: public pages, the comment form, the institution's pages.
    Target("consultations", None, _fixed("/consultations/"), must_show="main ul.app-card-list li"),
    Target("consultation-open", None, lambda s: (f"/consultations/{_open_consultation(s)}", None),
           must_show="main ol.app-sections li.app-section"),
    Target("consultation-comment-form", RESIDENT, lambda s: (f"/consultations/{_open_consultation(s)}", None),
           must_show="main form[action*='/comments'] textarea"),
    Target("consultation-comments", RESIDENT, lambda s: _commented_section(s), must_show="main ol.app-entries li details"),
    Target("consultation-summary-awaiting", None, lambda s: (f"/consultations/{_awaiting_consultation(s)}/summary", None),
           must_show="main .govuk-inset-text"),
    Target("consultation-summary-positions", STAFF, lambda s: (f"/consultations/{_awaiting_consultation(s)}/summary", None),
           must_show="main table.app-summary-table select"),
    Target("consultation-summary-table", None, lambda s: (f"/consultations/{_finished_consultation(s)}/summary", None),
           must_show="main table.app-summary-table tbody tr"),
    Target("consultation-changes", None, lambda s: (f"/consultations/{_finished_consultation(s)}/changes/2", None),
           must_show="main .app-diff ins"),
    Target("consultation-version", None, lambda s: (f"/consultations/{_finished_consultation(s)}/versions/2", None),
           must_show="main ol.app-sections li"),
    Target("consultation-section", RESIDENT, lambda s: (_commented_section(s)[0].replace("/comments?section=", "/sections/"), None),
           must_show="main form textarea"),
    Target("consultation-drafts", EDITOR, lambda s: (f"/consultations/drafts#{_unpublished_draft(s)}", None),
           must_show="main table tbody tr, main .govuk-summary-card, main ul li"),
    Target("consultation-prepare", EDITOR, lambda s: (f"/consultations/{_unpublished_draft(s)}/prepare", None),
           must_show="main .govuk-task-list"),
    Target("consultation-new", EDITOR, _fixed("/consultations/new")),
    Target("consultation-edit", EDITOR, lambda s: (f"/consultations/{_unpublished_draft(s)}/edit", None),
           must_show="main ol.app-sections-preview li"),
    Target("consultation-publish", EDITOR, lambda s: (f"/consultations/{_unpublished_draft(s)}/publish", None)),
    Target("consultation-extend", EDITOR, lambda s: (f"/consultations/{_open_consultation(s)}/extend", None)),
    Target("consultation-new-version", EDITOR, lambda s: (f"/consultations/{_awaiting_consultation(s)}/versions/new", None)),
    # Moderation.
    Target("moderation-queue", MODERATOR, _fixed("/moderation/"), must_show="main ol.app-entries li"),
    Target("moderation-item", MODERATOR, lambda s: (f"/moderation/item/comment/{_reported_comment(s)}", None),
           must_show="main .govuk-radios input[type=radio]"),
    Target("moderation-log", None, _fixed("/moderation/log"), must_show="main table tbody tr"),
    Target("moderation-audit", MODERATOR, _fixed("/moderation/audit"), must_show="main table tbody tr"),
    Target("moderation-report", RESIDENT, lambda s: (f"/moderation/report/comment/{_shown_comment_of_another(s)}", None),
           must_show="main fieldset input[type=radio]"),
    Target("moderation-review", FROM_DB, lambda s: _hidden_comment_review(s), must_show="main form textarea"),
    Target("report-form-with-errors", RESIDENT, lambda s: (f"/moderation/report/comment/{_shown_comment_of_another(s)}", None),
           submit_empty_form=True, expect_status=400),
    # Forms in their error state (error summary, messages at the fields, aria-invalid).
    Target("register-with-errors", None, _fixed("/account/register"), submit_empty_form=True, expect_status=400),
    Target("account-password-with-errors", RESIDENT, _fixed("/account/password"), submit_empty_form=True, expect_status=400),
    Target("account-delete-with-errors", RESIDENT, _fixed("/account/delete"), submit_empty_form=True, expect_status=400),
    Target("answer-with-errors", STAFF, lambda s: (f"/cases/{_actionable_case(s)}/answer", None),
           submit_empty_form=True, expect_status=400),
    Target("proposal-form-with-errors", RESIDENT, _fixed("/proposals/new"), submit_empty_form=True, expect_status=400),
    Target("comment-form-with-errors", RESIDENT, lambda s: (f"/consultations/{_open_consultation(s)}", None),
           submit_empty_form=True, expect_status=400),
    # Co-created regulations (issue 16): every page of the channel, one process in each stage.
    Target("cocreation-list", None, _fixed("/cocreation/"), must_show="main ul.app-card-list li"),
    Target("cocreation-ideas-stage", RESIDENT, _cocreation("ideas"), must_show="main ul.app-entries li"),
    Target("cocreation-drafting-stage", RESIDENT, _cocreation("drafting"), must_show="main ol.app-clauses li"),
    Target("cocreation-consultation-stage", None, _cocreation("consultation"), must_show="main a[href*='/summary']"),
    Target("cocreation-adopted", None, _cocreation("adopted"), must_show="main ul.app-credits li"),
    Target("cocreation-stopped", None, _cocreation("stopped")),
    Target("cocreation-working-group-tools", STAFF, _cocreation("drafting"), must_show="main .app-cocreation-tools"),
    Target("cocreation-timeline", None, _cocreation("adopted", "/timeline"), must_show="main ol.app-entries li"),
    Target("cocreation-idea", RESIDENT, _cocreation_item("idea")),
    Target("cocreation-clause", RESIDENT, _cocreation_item("clause"), must_show="main .app-diff ins"),
    Target("cocreation-amendment", None, _cocreation_item("amendment"), must_show="main .app-diff"),
    Target("cocreation-amendment-taken", None, _cocreation_item("taken"), must_show="main ol.app-entries li"),
    Target("cocreation-new", STAFF, _fixed(f"/cocreation/new/{STAFF_SLUG}")),
    Target("cocreation-new-idea", RESIDENT, _cocreation("ideas", "/ideas/new")),
    Target("cocreation-new-idea-with-errors", RESIDENT, _cocreation("ideas", "/ideas/new"), submit_empty_form=True,
           expect_status=400),
    Target("cocreation-amend", RESIDENT, _cocreation_item("amend")),
    Target("cocreation-amend-with-errors", RESIDENT, _cocreation_item("amend"), submit_empty_form=True, expect_status=400),
    Target("cocreation-answer-idea", STAFF, lambda s: (_cocreation_item("idea")(s)[0] + "/answer", None)),
    Target("cocreation-answer-idea-with-errors", STAFF, lambda s: (_cocreation_item("idea")(s)[0] + "/answer", None),
           submit_empty_form=True, expect_status=400),
    Target("cocreation-decide", STAFF, _cocreation_item("decide")),
    Target("cocreation-decide-with-errors", STAFF, _cocreation_item("decide"), submit_empty_form=True, expect_status=400),
    Target("cocreation-working-group", STAFF, _cocreation("drafting", "/working-group"), must_show="main table tbody tr"),
    Target("cocreation-offline", STAFF, _cocreation("drafting", "/offline")),
    Target("cocreation-draft", STAFF, _cocreation("ideas", "/draft")),
    Target("cocreation-open-consultation", STAFF, _cocreation("drafting", "/consultation")),
    Target("cocreation-adopt", STAFF, _cocreation("consultation", "/adopt")),
    Target("cocreation-stop", STAFF, _cocreation("drafting", "/stop")),
]


def open_target(target: Target, lang: str, new_context, live_db):
    """The page of a target in a language, as its user sees it (after sending the form empty where asked), and the
    server's response to the last request (its HTML as sent, for the HTML checker)."""
    with live_db() as s:
        path, user_override = target.path(s)
    assert path and "None" not in path, f"{target.name}: nothing suitable in the demo data ({path})"
    user = user_override or target.user
    assert user != FROM_DB, f"{target.name}: no account found for the page"

    page = new_context(user).new_page()
    response = page.goto(f"/language/{lang}?next={path}")
    assert response is not None
    assert html_lang(page) == lang, page.url

    if target.submit_empty_form:
        form = page.locator("main form[method=post]").last
        form.locator("input:not([type=hidden]), textarea").evaluate_all("els => els.forEach(e => e.value = '')")
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            form.locator("button[type=submit]").first.click()  # the main action when a form has several
        response = posted.value
        expect(page.locator(".govuk-error-summary [role=alert]")).to_be_visible()
        expect(page.locator("main .govuk-form-group--error").first).to_be_visible()

    assert response.status == target.expect_status, f"{target.name}: {page.url} answered {response.status}"
    if user is not None:
        assert "/account/login" not in page.url, f"{target.name}: {user} is not logged in"
    if target.must_show:
        expect(page.locator(target.must_show).first).to_be_attached()
    return page, response


def assert_no_sideways_scroll(page, width: int = 320) -> None:
    """At 320 CSS pixels (WCAG 1.4.10 reflow) the document itself never scrolls sideways; a wide table may scroll
    inside its own labelled container."""
    page.set_viewport_size({"width": width, "height": 800})
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        culprits = page.evaluate("""(width) => [...document.querySelectorAll('main *, header *, footer *')]
            .filter(e => e.getBoundingClientRect().right > width + 1 && !e.closest('.app-table-scroll'))
            .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : ''))""", width)
        raise AssertionError(f"{page.url} scrolls sideways at {width} px ({scroll_width} px wide): {culprits}")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("target", TARGETS, ids=[t.name for t in TARGETS])
def test_page_has_no_wcag_violations_and_reflows_at_320_px(target: Target, lang, new_context, live_db):
    page, _response = open_target(target, lang, new_context, live_db)
    check_with_axe(page)
    assert_no_sideways_scroll(page)
