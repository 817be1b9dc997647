"""Every route × every role for the moderation and content routes: no one gets what their role should not.

The table below is the specification: for each endpoint of the moderation, consultations, proposals, cases,
groups, institutions and admin blueprints, the roles that get through (every method of the route). The routes
come from the URL map, so a new route fails `test_every_route_is_classified` until it is added to the table.

Roles: the six of the issue (anonymous, resident, a member of another group, another institution's staff,
moderator, platform administrator) and two controls that own the content, so the table is not trivially
"everybody is refused": `staff` (institution A's administrator: answers, edits and manages A) and `author`
(wrote the proposal and the comments, leads the group that submitted the proposal).

"Gets through" means the permission check passed: 200, a redirect that is not to the log-in page, or 400 (the
permission passed and the form then refused the data). "Refused" means 403 or 404 (where the app hides that the
thing exists); for the anonymous visitor also the redirect to the log-in page. Every request runs inside a
savepoint that is rolled back, so each one meets the same data whatever the one before did.
"""
from datetime import datetime, timedelta

import pytest
from flask import url_for
from sqlalchemy import select

from participation.cases import services as case_services
from participation.cases.models import OfflineSource, Position
from participation.clock import riga_today
from participation.consultations import services as consultation_services
from participation.consultations.models import Attachment, Comment
from participation.extensions import db
from participation.groups import services as group_services
from participation.institutions.models import Membership, StaffRole
from participation.moderation import services as moderation_services
from participation.moderation.models import HideReason, ReportReason

ROLES = ["anonymous", "resident", "other_group_member", "other_staff", "moderator", "admin", "staff", "author"]

EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
MODERATORS = frozenset({"moderator", "admin"})  # a platform administrator moderates too (accounts.permissions)
STAFF = frozenset({"staff"})  # institution A's own staff (here its administrator)
NOBODY = frozenset()

BLUEPRINTS = ("moderation", "consultations", "proposals", "cases", "groups", "institutions", "admin", "feedback", "activity",
              "cocreation", "search", "api_institutions", "api_groups", "api_consultations", "api_proposals", "api_cases",
              "api-docs", "open_data", "api_pages")

# endpoint -> the roles that get through (every method of the route)
TABLE: dict[str, frozenset] = {
    # moderation
    "moderation.report": SIGNED_IN - {"author"},  # anyone who may write, except about their own words
    "moderation.review": frozenset({"author"}),  # the author of the contribution only
    "moderation.public_log": EVERYONE,
    "moderation.queue": MODERATORS,
    "moderation.audit_log": MODERATORS,
    "moderation.item": MODERATORS,
    "moderation.hide": MODERATORS,
    "moderation.act": MODERATORS,
    "moderation.block": MODERATORS,
    "moderation.unblock": MODERATORS,
    # consultations (C: open; D: closed, summary incomplete, version 2 out; E: an unpublished draft)
    "consultations.index": EVERYONE,
    "consultations.feed": EVERYONE,
    "consultations.institution_feed": EVERYONE,
    "consultations.calendar": EVERYONE,
    "consultations.show": EVERYONE,
    "consultations.comments": EVERYONE,
    "consultations.version": EVERYONE,
    "consultations.changes": EVERYONE,
    "consultations.summary": EVERYONE,
    "consultations.download": EVERYONE,
    "consultations.section": EVERYONE,
    "consultations.comment_link": EVERYONE,  # a redirect to where the comment is listed
    "consultations.comment": SIGNED_IN,
    "consultations.reply": SIGNED_IN,
    "consultations.create": frozenset({"staff", "other_staff"}),  # an editor prepares drafts for their own institution
    "consultations.edit": STAFF,
    "consultations.publish": STAFF,
    "consultations.extend": STAFF,
    "consultations.new_version": STAFF,
    "consultations.upload": STAFF,
    "consultations.position": STAFF,
    "consultations.positions": STAFF,
    "consultations.drafts": frozenset({"staff", "other_staff"}),  # an editor's drafts, of their own institutions
    "consultations.prepare": STAFF,
    "consultations.summary_csv": STAFF,  # public once complete; while positions are missing, only the responders
    # proposals (P: public, of the author's group; a draft of the author's; P2: another public one, to merge)
    "proposals.index": EVERYONE,
    "proposals.submitted": frozenset({"author"}),  # the confirmation with the receipt number: its author's alone
    "proposals.show": EVERYONE,
    "proposals.create": SIGNED_IN,
    "proposals.mine": SIGNED_IN,
    "proposals.support": SIGNED_IN,
    "proposals.withdraw": SIGNED_IN,
    "proposals.edit": frozenset({"author"}),
    "proposals.check": frozenset({"author"}),
    "proposals.submit": frozenset({"author"}),
    "proposals.moderation": MODERATORS,
    "proposals.approve": MODERATORS,
    "proposals.merge": MODERATORS,
    "proposals.settings": frozenset({"staff", "admin"}),  # the institution's administrator, or the platform's
    # cases (K: open and public; K2: answered "accepted", with the response to correct)
    "cases.log": EVERYONE,
    "cases.show": EVERYONE,
    "cases.inbox": STAFF,
    "cases.register_offline": STAFF,
    "cases.answer": STAFF,
    "cases.extend": STAFF,
    "cases.forward": STAFF,
    "cases.not_examined": STAFF,
    "cases.implemented": STAFF,
    "cases.correct": STAFF,
    # groups (G: led by the author, with a member waiting for approval)
    "groups.index": EVERYONE,
    "groups.show": EVERYONE,
    "groups.create": SIGNED_IN,
    "groups.join": SIGNED_IN,
    "groups.approve": frozenset({"author", "admin"}),  # the leader (a platform administrator may step in)
    "groups.remove": frozenset({"author", "admin"}),  # ... and the member themself, who is none of these roles
    # institutions
    "institutions.index": EVERYONE,
    "institutions.show": EVERYONE,
    "institutions.figures": EVERYONE,  # the institutions' figures side by side (issue 19)
    # my activity (issue 18): each signed-in person sees their own only (tests/test_activity.py)
    "activity.overview": SIGNED_IN,
    "activity.tab": SIGNED_IN,
    "institutions.create": frozenset({"admin"}),
    "institutions.staff": frozenset({"staff", "admin"}),
    "institutions.remove_staff": frozenset({"staff", "admin"}),
    # website feedback (S: A's site; F: private feedback on it; F2: published feedback)
    "feedback.index": STAFF,
    "feedback.site": STAFF,
    "feedback.figures_csv": STAFF,
    "feedback.create_site": frozenset({"staff", "admin"}),  # editors and administrators, of A or of the platform
    "feedback.edit_site": frozenset({"staff", "admin"}),
    "feedback.pause_site": frozenset({"staff", "admin"}),
    "feedback.remove_site": frozenset({"staff", "admin"}),
    "feedback.show": STAFF,  # private by default: A's staff only (404 to others)
    "feedback.noted": STAFF,
    "feedback.open_case": STAFF,
    "feedback.publish": STAFF,
    # The public widget answers only for a covered page of a registered origin (?page=…, which this table's URLs do
    # not carry): without one it refuses everyone, whatever the role. Its own refusals: tests/test_feedback.py.
    "feedback.widget": NOBODY,
    # platform administration
    "admin.users": frozenset({"admin"}),
    "admin.set_roles": frozenset({"admin"}),
    "admin.blocks": frozenset({"admin"}),  # moderators' blocks for an administrator to review (issue 14, item 6)
    "admin.lift_block": frozenset({"admin"}),
    "admin.keep_block": frozenset({"admin"}),
    "admin.verify_group": frozenset({"admin"}),  # a platform administrator confirms a group (issue 14, item 5)
    "admin.audit_log": frozenset({"admin"}),  # the audit log of access to personal data (issue 18)
    "admin.person": frozenset({"admin"}),  # a person's data requests received by letter (issue 18)
    "admin.export_person": frozenset({"admin"}),
    "admin.delete_person": frozenset({"admin"}),
    # co-created regulations (issue 16; tests/test_cocreation_world.py): A's process in drafting with the author's
    # amendment and an invited adviser, and one in the ideas stage with the author's idea. A's staff are its working
    # group; B's staff ("other_staff") are another municipality's.
    "cocreation.index": EVERYONE,
    "cocreation.show": EVERYONE,
    "cocreation.timeline": EVERYONE,
    "cocreation.feed": EVERYONE,
    "cocreation.idea": EVERYONE,
    "cocreation.clause": EVERYONE,
    "cocreation.amendment": EVERYONE,
    "cocreation.new_idea": SIGNED_IN,
    "cocreation.support": SIGNED_IN - {"author"},  # not one's own idea
    "cocreation.amend": SIGNED_IN,
    "cocreation.endorse": SIGNED_IN - {"author"},  # not one's own amendment
    "cocreation.withdraw": frozenset({"author"}),  # its author, while it is being evaluated
    "cocreation.answer_idea": STAFF,  # the working group
    "cocreation.decide": STAFF,
    "cocreation.create": STAFF,  # the municipality's editors and administrators
    "cocreation.working_group": STAFF,
    "cocreation.remove_member": STAFF,
    "cocreation.offline": STAFF,
    "cocreation.draft": STAFF,
    "cocreation.consultation": STAFF,
    "cocreation.adopt": STAFF,
    "cocreation.stop": STAFF,
    # issue 19: the one search (what each role finds: tests/test_search_visibility.py)
    "search.index": EVERYONE,
    # issue 19: the open-data API, its description, its human pages and the bulk files answer everyone alike, as a
    # signed-out reader (tests/test_api.py, tests/test_open_data.py); an unknown address under /api/v1/ is a 404
    "api_institutions.institutions": EVERYONE,
    "api_institutions.institution": EVERYONE,
    "api_groups.groups": EVERYONE,
    "api_groups.group": EVERYONE,
    "api_consultations.consultations": EVERYONE,
    "api_consultations.consultation": EVERYONE,
    "api_consultations.sections": EVERYONE,
    "api_consultations.comments": EVERYONE,
    "api_consultations.summary_table": EVERYONE,
    "api_proposals.proposals": EVERYONE,
    "api_proposals.proposal": EVERYONE,
    "api_cases.cases": EVERYONE,
    "api_cases.case": EVERYONE,
    "api_cases.responses": EVERYONE,
    "api-docs.openapi_json": EVERYONE,
    "api_pages.index": EVERYONE,
    "api_pages.open_data": EVERYONE,
    "api_pages.unknown": NOBODY,
    "open_data.platform_file": EVERYONE,
    "open_data.institution_file": EVERYONE,
    "open_data.catalogue": EVERYONE,
}

# The same endpoint on content in another state: "endpoint#variant" -> (the URL arguments to change, the roles).
VARIANTS: dict[str, tuple[dict, frozenset]] = {
    "cases.show#private": ({"case_id": "private_case"}, STAFF),  # personal data: the institution only (404 to others)
    "proposals.show#pending": ({"proposal_id": "pending_proposal"}, frozenset({"author", "staff", "moderator", "admin"})),
    "proposals.show#draft": ({"proposal_id": "draft"}, frozenset({"author"})),
    "proposals.show#hidden": ({"proposal_id": "hidden_proposal"}, EVERYONE),  # the notice, with the reason
    "consultations.show#draft": ({"consultation_id": "draft_consultation"}, STAFF),
    "consultations.comments#draft": ({"consultation_id": "draft_consultation"}, STAFF),
    "consultations.section#draft": ({"consultation_id": "draft_consultation", "section_id": "draft_section"}, STAFF),
    "consultations.download#draft": ({"attachment_id": "draft_attachment"}, STAFF),
    "moderation.review#hidden": ({"item_id": "hidden_comment"}, frozenset({"author"})),
    "moderation.report#hidden": ({"item_id": "hidden_comment"}, NOBODY),  # nothing to report while it is hidden
    "moderation.report#proposal": ({"kind": "proposal", "item_id": "public_proposal"}, SIGNED_IN - {"author"}),
    "moderation.item#proposal": ({"kind": "proposal", "item_id": "public_proposal"}, MODERATORS),
    "moderation.hide#proposal": ({"kind": "proposal", "item_id": "public_proposal"}, MODERATORS),
    "moderation.act#restore": ({"item_id": "hidden_comment", "action": "restore"}, MODERATORS),
    # A draft is its author's alone (proposals.permissions.can_view_proposal: not even moderators see drafts), so
    # nobody reports it, and the moderators' pages do not open it either.
    "moderation.report#draft": ({"kind": "proposal", "item_id": "draft"}, NOBODY),
    "moderation.item#draft": ({"kind": "proposal", "item_id": "draft"}, NOBODY),
    "moderation.hide#draft": ({"kind": "proposal", "item_id": "draft"}, NOBODY),
    "cases.answer#other": ({"case_id": "other_case"}, frozenset({"other_staff"})),  # B's case: B's staff, not A's
    "institutions.staff#other": ({"slug": "other_slug"}, frozenset({"other_staff", "admin"})),
    "proposals.settings#other": ({"slug": "other_slug"}, frozenset({"other_staff", "admin"})),
    "cases.inbox#other": ({"slug": "other_slug"}, frozenset({"other_staff"})),
    "feedback.show#published": ({"feedback_id": "published_feedback"}, EVERYONE),
    "feedback.index#other": ({"slug": "other_slug"}, frozenset({"other_staff"})),
    # the API is a signed-out reader's view: drafts, pending and private things are no one's there
    "api_cases.case#private": ({"case_id": "private_case"}, NOBODY),
    "api_proposals.proposal#pending": ({"proposal_id": "pending_proposal"}, NOBODY),
    "api_proposals.proposal#draft": ({"proposal_id": "draft"}, NOBODY),
    "api_proposals.proposal#hidden": ({"proposal_id": "hidden_proposal"}, EVERYONE),  # the notice, with the reason
    "api_consultations.consultation#draft": ({"consultation_id": "draft_consultation"}, NOBODY),
    "api_consultations.comments#draft": ({"consultation_id": "draft_consultation"}, NOBODY),
    "api_consultations.comments#closed": ({"consultation_id": "closed"}, EVERYONE),
    "open_data.platform_file#summary": ({"dataset": "summary-tables", "fmt": "csv"}, EVERYONE),
    "open_data.institution_file#responses": ({"dataset": "responses", "fmt": "csv"}, EVERYONE),
}

# Outside this test's scope, but listed, so that a new blueprint's routes must be classified somewhere.
OUT_OF_SCOPE = {
    "static", "main.home", "main.set_language", "accounts.login", "accounts.logout", "accounts.profile",
    "accounts.register", "accounts.request_reset", "accounts.reset_password", "accounts.verify_email",
    "accounts.resend_verification", "accounts.logout_everywhere", "metrics", "ops.healthz", "ops.readyz",
    # issue 18: one's own account (signed in; tests/test_privacy.py), the pages about the service (public)
    "accounts.accept_terms", "accounts.change_email", "accounts.confirm_email_change", "accounts.change_password",
    "accounts.data", "accounts.download_data", "accounts.delete_account",
    "legal.privacy", "legal.terms", "legal.accessibility", "legal.contact",
    # issue 18: follows (signed in, one's own) and the signed one-click unsubscribe link (tests/test_follows.py)
    "follows.follow", "follows.unfollow", "follows.settings", "follows.unsubscribe",
}

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Words that only some roles may read, wherever they turn up: hidden contributions (their author and the moderators;
# the institution's staff, who answer them, are not judged here) and private cases (the institution).
HIDDEN = {"comment_c": "SLĒPTS-KOMENTĀRS-C", "comment_d": "SLĒPTS-KOMENTĀRS-D", "proposal": "SLĒPTS-PRIEKŠLIKUMS"}
PRIVATE = "PRIVĀTA-LIETA"
MAY_READ_HIDDEN = frozenset({"author", "moderator", "admin", "staff"})
MAY_READ_PRIVATE = frozenset({"staff"})


def test_every_route_is_classified(sqlite_app):
    endpoints = {rule.endpoint for rule in sqlite_app.url_map.iter_rules()}
    in_scope = {e for e in endpoints if e.split(".")[0] in BLUEPRINTS}
    assert not in_scope - set(TABLE), f"routes missing from TABLE (say who may use them): {sorted(in_scope - set(TABLE))}"
    assert not set(TABLE) - endpoints, f"TABLE lists routes that no longer exist: {sorted(set(TABLE) - endpoints)}"
    unclassified = endpoints - set(TABLE) - OUT_OF_SCOPE
    assert not unclassified, f"routes of a new blueprint: add them to TABLE or OUT_OF_SCOPE: {sorted(unclassified)}"
    assert all(v.split("#")[0] in TABLE for v in VARIANTS)
    assert all(roles <= EVERYONE for roles in [*TABLE.values(), *(r for _, r in VARIANTS.values())])


# --- the content ---------------------------------------------------------------------------------------------


@pytest.fixture
def world(app, session, tmp_path, fixed_now, make_user, make_institution, make_staff, make_group, make_case,
          make_proposal, make_consultation):
    """Institution A with its content; institution B; one account per role."""
    fixed_now(datetime(2026, 3, 2, 9, 0))
    a, b = make_institution(), make_institution()
    users = {
        "resident": make_user(name="Iedzīvotājs"),
        "moderator": make_user(name="Moderators", is_moderator=True),
        "admin": make_user(name="Administrators", is_admin=True),
        "staff": make_staff(a, role=StaffRole.ADMIN, name="A administrators"),
        "other_staff": make_staff(b, role=StaffRole.ADMIN, name="B administrators"),
        "author": make_user(name="Autors"),
        "other_group_member": make_user(name="Citas grupas biedrs"),
    }
    group = make_group(leader=users["author"])
    other_group = make_group()
    member = group_services.request_membership(other_group, users["other_group_member"])
    group_services.approve_member(member)
    waiting = group_services.request_membership(group, make_user(name="Gaida apstiprinājumu"))
    responder_membership = Membership(user=make_user(name="A atbildētājs"), institution=a, role=StaffRole.RESPONDER)
    db.session.add(responder_membership)
    target = make_user(name="Bloķējamais")
    db.session.commit()

    # D: published now, closed three weeks later, with a comment (a case without a position) and version 2.
    closed = make_consultation(institution=a, with_comment=False)
    closed_comment = consultation_services.add_comment(closed, users["author"], "Komentārs slēgtajai apspriešanai.")
    hidden_before_close = consultation_services.add_comment(closed, users["author"], f"{HIDDEN['comment_d']} personas kods")
    moderation_services.hide(hidden_before_close, users["moderator"], HideReason.PERSONAL_DATA)
    fixed_now(datetime(2026, 3, 25, 9, 0))
    assert consultation_services.process_closed(closed) == 2
    consultation_services.publish_version(closed, users["staff"], "1. Soliņi un galdi.\n2. Parki.", "Pielikti galdi.")

    # C: open, with the author's comment, a hidden comment of theirs, a reply, and an attachment on disk.
    open_ = make_consultation(institution=a, with_comment=False)
    comment = consultation_services.add_comment(open_, users["author"], "Vairāk soliņu.")
    hidden = consultation_services.add_comment(open_, users["author"], f"{HIDDEN['comment_c']} rupjš komentārs.")
    moderation_services.hide(hidden, users["moderator"], HideReason.ABUSE)
    moderation_services.report(comment, users["resident"], ReportReason.SPAM, "Reklāma")
    attachment = db.session.scalars(select(Attachment).where(Attachment.consultation_id == open_.id)).one()
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    (uploads / attachment.stored_name).write_bytes(PDF)

    # E: an unpublished draft, with an attachment record.
    draft_consultation = consultation_services.save_draft(
        a, users["staff"], {"title": "Melnraksts", "kind": "other", "policy_area": "governance", "territory": "Rēzeknes novads",
                            "official_name": "Ilze", "official_contact": "ilze@example.lv", "problem": "P", "goal": "G",
                            "summary": "S"}, "1. Pirmais.\n2. Otrais.")
    draft_attachment = Attachment(consultation_id=draft_consultation.id, original_name="m.pdf",
                                  stored_name=f"{draft_consultation.id + 7_000_000:032x}.pdf", kind="pdf", mime="application/pdf", size=len(PDF))
    db.session.add(draft_attachment)
    db.session.commit()
    (uploads / draft_attachment.stored_name).write_bytes(PDF)

    # Proposals: the author's public one (for the group), another resident's (to merge), a draft, a pending one.
    proposal = make_proposal(institution=a, author=users["author"], group=group)
    duplicate = make_proposal(institution=a, title="Soliņi pie bibliotēkas (vēlreiz)")
    draft = make_proposal(institution=a, author=users["author"], submit=False, title="Melnraksts")
    a.premoderation = True
    db.session.commit()
    pending = make_proposal(institution=a, author=users["author"], title="Gaida moderatoru")
    a.premoderation = False
    db.session.commit()
    assert pending.is_pending and not proposal.is_pending
    hidden_proposal = make_proposal(institution=a, author=users["author"], group=group, title=f"{HIDDEN['proposal']} virsraksts",
                                    problem=f"{HIDDEN['proposal']} problēma")
    moderation_services.hide(hidden_proposal, users["moderator"], HideReason.PERSONAL_DATA)
    case_services.answer_case(hidden_proposal.case, users["staff"], Position.NOTED, "Atbilde uz slēpto.")  # in the log now

    # Cases: an open public one, an answered one ("accepted"), a private offline one, one of B's.
    case = make_case(institution=a)
    answered = make_case(institution=a, title="Atbildēts")
    response = case_services.answer_case(answered, users["staff"], Position.ACCEPTED, "Pieņemts.")
    private_case = case_services.register_offline(a, f"{PRIVATE} virsraksts", f"{PRIVATE} personas dati", OfflineSource.LETTER,
                                                  riga_today(), "Jānis", True)
    case_services.answer_case(private_case, users["staff"], Position.NOTED, "Atbilde privātā lietā.")
    private_case = case_services.register_offline(a, f"{PRIVATE} otrs", f"{PRIVATE} vēl", OfflineSource.EMAIL, riga_today(), "", True)
    other_case = make_case(institution=b)

    # Website feedback: A's site, a private piece of feedback and a published one.
    from participation.feedback import services as feedback_services

    site = feedback_services.register_site(a, users["staff"], {
        "name": "A vietne", "key": "a-vietne", "origins": ["https://a.example"], "path_prefixes": [], "ask_email": True,
        "languages": ["lv"], "premoderation": False})

    def _feedback(text, nonce):
        claims = feedback_services.TokenClaims(site.id, "https://a.example", "https://a.example/lapa", nonce)
        return feedback_services.receive(site, claims, False, text, "", False, "lv")

    private_feedback = _feedback(f"{PRIVATE} atsauksme", "n1")
    published_feedback = _feedback("Publiska atsauksme", "n2")
    feedback_services.request_publication(published_feedback, users["staff"])
    moderation_services.approve(published_feedback, users["moderator"])

    ids = {
        "case_id": case.id, "response_id": response.id, "member_id": waiting.id, "membership_id": responder_membership.id,
        "user_id": target.id, "proposal_id": proposal.id, "consultation_id": open_.id, "comment_id": comment.id,
        "attachment_id": attachment.id, "number": 1, "kind": "comment", "item_id": comment.id, "action": "dismiss",
        "slug": a.slug, "group_slug": group.slug, "token": "x", "code": "lv", "filename": "favicon.svg",
        # variants and per-endpoint choices
        "private_case": private_case.id, "pending_proposal": pending.id, "draft": draft.id, "duplicate": duplicate.id,
        "draft_consultation": draft_consultation.id, "draft_attachment": draft_attachment.id, "hidden_comment": hidden.id,
        "public_proposal": proposal.id, "other_case": other_case.id, "other_slug": b.slug, "closed": closed.id,
        "closed_comment": closed_comment.id, "answered": answered.id,
        "hidden_proposal": hidden_proposal.id, "section_id": open_.versions[0].sections[0].id,
        "draft_section": draft_consultation.versions[0].sections[0].id,
        "hidden_cases": [hidden_before_close.case_id, hidden_proposal.case_id],
        "site_id": site.id, "feedback_id": private_feedback.id, "published_feedback": published_feedback.id,
        "site_key": site.key,
    }
    from tests.test_cocreation_world import build as build_cocreation  # issue 16

    ids.update(build_cocreation(a, users["staff"], users["author"], make_user(name="Padomniece")))
    payload = {
        "text": "Teksts", "reason": "Iemesls", "note": "Piezīme", "position": "noted", "title": "Virsraksts", "body": "Teksts",
        "source": "letter", "received_on": riga_today().isoformat(), "new_due_on": (case.due_on + timedelta(days=1)).isoformat(),
        "target": str(b.id), "name": "Nosaukums", "description": "Apraksts", "days": "1", "section": "0", "on_behalf": "0",
        "represents": "", "show_name": "y", "problem": "Problēma", "solution": "Risinājums", "territory": "Rēzeknes novads",
        "topics": "social", "institution": str(a.id), "email": users["resident"].email, "role": "responder",
        "implemented_on": riga_today().isoformat(), "new_closes_on": (riga_today() + timedelta(days=40)).isoformat(),
        "opens_on": riga_today().isoformat(), "opens_time": "09:00", "closes_on": (riga_today() + timedelta(days=40)).isoformat(),
        f"c{closed_comment.id}-position": "noted", f"c{closed_comment.id}-reason": "Pamatojums",
        f"u{target.id}-is_moderator": "y",
    }
    app.config["UPLOAD_FOLDER"] = str(uploads)
    return users, ids, payload


# Which of the ids each endpoint's URL takes where the default (the open consultation C, case K, proposal P) is not it.
PER_ENDPOINT = {
    "activity.tab": {"tab": "reports"},
    "consultations.edit": {"consultation_id": "draft_consultation"},
    "consultations.publish": {"consultation_id": "draft_consultation"},
    "consultations.new_version": {"consultation_id": "closed"},
    "consultations.summary": {"consultation_id": "closed"},
    "consultations.summary_csv": {"consultation_id": "closed"},
    "consultations.position": {"consultation_id": "closed", "comment_id": "closed_comment"},
    "consultations.positions": {"consultation_id": "closed"},
    "consultations.prepare": {"consultation_id": "draft_consultation"},
    "consultations.changes": {"consultation_id": "closed", "number": 2},
    "cases.implemented": {"case_id": "answered"},
    "proposals.edit": {"proposal_id": "draft"},
    "proposals.check": {"proposal_id": "draft"},
    "proposals.submit": {"proposal_id": "draft"},
    "proposals.merge": {"proposal_id": "duplicate"},
    "admin.verify_group": {"slug": "group_slug"},
    "api_groups.group": {"slug": "group_slug"},
    "api_consultations.summary_table": {"consultation_id": "closed"},
    "open_data.platform_file": {"dataset": "proposals", "fmt": "jsonl"},
    "open_data.institution_file": {"dataset": "summary-tables", "fmt": "jsonl"},
    "cocreation.idea": {"process_id": "cc_ideas"},
    "cocreation.new_idea": {"process_id": "cc_ideas"},
    "cocreation.support": {"process_id": "cc_ideas"},
    "cocreation.answer_idea": {"process_id": "cc_ideas"},
}


def _url(app, rule, ids, overrides):
    args = {}
    for name in rule.arguments:
        value = overrides.get(name, name)
        value = ids.get(value, value) if isinstance(value, str) else value
        if name == "slug" and rule.endpoint.startswith("groups.") and "slug" not in overrides:
            value = ids["group_slug"]
        args[name] = value
    with app.test_request_context():
        return url_for(rule.endpoint, **args)


def _outcome(response) -> str:
    if response.status_code in (301, 302, 303) and "/account/login" in response.headers.get("Location", ""):
        return "login"
    if response.status_code in (401, 403, 404):
        return "refused"
    if response.status_code >= 500:
        return "error"
    return "through"


def _checks(app):
    """(label, rule, method, URL-argument overrides, allowed roles) for every route and variant."""
    rules = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in TABLE:
            rules.setdefault(rule.endpoint, rule)
    checks = []
    for endpoint, allowed in TABLE.items():
        rule = rules[endpoint]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            checks.append((endpoint, rule, method, PER_ENDPOINT.get(endpoint, {}), allowed))
    for label, (overrides, allowed) in VARIANTS.items():
        endpoint = label.split("#")[0]
        rule = rules[endpoint]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            checks.append((label, rule, method, {**PER_ENDPOINT.get(endpoint, {}), **overrides}, allowed))
    return checks


def _become(client, login, users, role):
    client.post("/account/logout")
    if role != "anonymous":
        login(users[role])


def _rolled_back_request(client, url, method, data):
    """One request inside a savepoint that is rolled back afterwards: the next request meets the same data."""
    connection = db.session.get_bind()
    db.session.commit()  # the test's session holds no transaction of its own across the savepoint
    savepoint = connection.begin_nested()
    try:
        return client.open(url, method=method, data=data)
    finally:
        db.session.rollback()
        if savepoint.is_active:
            savepoint.rollback()
        db.session.expire_all()


def test_each_role_gets_exactly_what_the_table_allows(app, client, login, world):
    """Every (route, method, role): one world per database, each request rolled back (see the module's docstring)."""
    users, ids, payload = world
    checks = _checks(app)
    wrong, seen = [], 0
    for role in ROLES:
        _become(client, login, users, role)
        for label, rule, method, overrides, allowed in checks:
            url = _url(app, rule, ids, overrides)
            response = _rolled_back_request(client, url, method, payload if method == "POST" else None)
            seen += 1
            outcome = _outcome(response)
            got = f"got {response.status_code} {response.headers.get('Location', '')}".rstrip()
            if outcome == "error":
                wrong.append(f"{method} {url} ({label}): {response.status_code} for {role}")
            elif role in allowed and outcome != "through":
                wrong.append(f"{method} {url} ({label}): {role} should get through, {got}")
            elif role not in allowed and outcome == "through":
                wrong.append(f"{method} {url} ({label}): {role} must be refused, {got}")
            elif role not in allowed and outcome == "login" and role != "anonymous":
                wrong.append(f"{method} {url} ({label}): {role} is signed in but was sent to log in")
    assert seen == len(checks) * len(ROLES) and len(checks) >= 100
    assert not wrong, f"{len(wrong)} of {seen} requests:\n" + "\n".join(wrong)


def test_the_savepoints_undo_what_an_allowed_request_did(app, client, login, world):
    """The control for the test above: the moderator's hide and block go through inside the savepoint and are
    gone afterwards; a resident's attempts are refused and change nothing either."""
    from participation.accounts.models import User
    from participation.cases.models import Case

    users, ids, payload = world
    login(users["resident"])
    assert client.post(f"/moderation/item/comment/{ids['comment_id']}/hide", data={"reason": "spam"}).status_code == 403
    assert client.post(f"/moderation/users/{ids['user_id']}/block", data={"days": "1", "reason": "spam"}).status_code == 403
    assert client.post(f"/cases/{ids['case_id']}/answer", data={"position": "noted", "text": "x"}).status_code == 403
    _become(client, login, users, "moderator")
    seen_inside = []

    def hidden_now(response):
        seen_inside.append(db.session.get(Comment, ids["comment_id"]).hidden_at is not None)
        return response

    app.after_request_funcs.setdefault(None, []).append(hidden_now)
    try:
        hide = _rolled_back_request(client, f"/moderation/item/comment/{ids['comment_id']}/hide", "POST", {"reason": "spam"})
    finally:
        app.after_request_funcs[None].remove(hidden_now)
    block = _rolled_back_request(client, f"/moderation/users/{ids['user_id']}/block", "POST", {"days": "1", "reason": "spam"})
    assert hide.status_code == 302 and block.status_code == 302 and seen_inside == [True]
    assert db.session.get(Comment, ids["comment_id"]).hidden_at is None
    assert db.session.get(User, ids["user_id"]).blocked_at is None
    assert db.session.get(Case, ids["case_id"]).is_awaiting


def test_hidden_and_private_text_reaches_no_one_else(app, client, login, world):
    """Every page each role can open (every GET route of the table and its variants, and the CSV): the words of a
    hidden comment (hidden before and after its consultation closed), of a hidden proposal and of a private case
    appear only for the roles that may read them."""
    users, ids, _ = world
    leaks = []
    for role in ROLES:
        _become(client, login, users, role)
        leaks += _leaks_for(app, client, ids, role)
    assert not leaks, "\n" + "\n".join(sorted(set(leaks)))


def _leaks_for(app, client, ids, role) -> list[str]:
    leaks, seen, own = [], 0, 0
    for label, rule, method, overrides, _allowed in _checks(app):
        if method != "GET":
            continue
        url = _url(app, rule, ids, overrides)
        response = client.get(url)
        if response.status_code != 200:
            continue
        seen += 1
        body = response.get_data(as_text=True)
        for what, word in [*HIDDEN.items(), ("private case", PRIVATE)]:
            if word in body:
                own += 1
                may = MAY_READ_PRIVATE if word == PRIVATE else MAY_READ_HIDDEN
                if role not in may:
                    leaks.append(f"GET {url} ({label}) shows {role} the {what} text {word!r}")
    # ... including the pages of the cases that the hidden contributions became
    for case_id in ids["hidden_cases"]:
        response = client.get(f"/cases/{case_id}")
        body = response.get_data(as_text=True)
        for what, word in HIDDEN.items():
            if response.status_code == 200 and word in body and role not in MAY_READ_HIDDEN:
                leaks.append(f"GET /cases/{case_id} shows {role} the hidden {what} text {word!r}")
    assert seen >= 15, role
    if role in ("author", "moderator", "staff"):
        assert own, f"the control: {role} may read hidden or private text and finds it somewhere"
    return leaks
