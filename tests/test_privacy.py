"""Account and privacy (issue 18): deleting an account removes the person from every page, feed and export while the
log stays complete; the data download holds everything the person wrote; change e-mail and password; consent with
versions, and new terms at the next log-in; retention; the admins' audit log."""
import io
import json
import re
import zipfile
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from participation.accounts import retention, services
from participation.accounts.models import SecurityEvent, User
from participation.admin.models import PersonalDataAccess
from participation.cases.models import Position, Response
from participation.cases.services import answer_case
from participation.clock import utcnow
from participation.consultations import services as consultation_services
from participation.extensions import db
from participation.groups import services as group_services
from participation.groups.models import GroupMember
from participation.institutions.models import Membership, StaffRole
from participation.moderation.models import Report
from participation.outbox.models import OutboxMessage
from participation.proposals import services as proposal_services
from participation.proposals.models import Proposal, ProposalStatus, Support
from tests.factories import PASSWORD

NAME = "Zelma Unikālā-Kļaviņa"
EMAIL = "zelma.unikala@example.lv"
DELETED = ("Dzēsts konts", "Deleted account")  # Latvian once the catalogue has the message


def _text(response) -> str:
    return response.get_data(as_text=True)


def _read(response):
    """A streamed file is read at once (its request ends before the next one starts); get_data keeps what it read."""
    response.get_data()
    return response


def _words(html: str) -> str:
    """A page's text without its tags (search marks the matched words)."""
    return re.sub(r"<[^>]+>", "", html)


def _link(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", body).group(1)


def _last_mail(to: str) -> OutboxMessage | None:
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == to).order_by(OutboxMessage.id.desc())).first()


@pytest.fixture
def person_with_everything(fixed_now, make_user, make_institution, make_staff, make_consultation, make_proposal, make_group):
    """A resident who commented (and replied) on a consultation since closed and answered, submitted a proposal and
    kept a draft, supported someone else's, reported a comment, belongs to a group, works for an institution, and has
    a case with an answer."""
    fixed_now(datetime(2026, 3, 2, 9, 0))
    institution = make_institution()
    responder = make_staff(institution, role=StaffRole.RESPONDER, name="Atbildētāja Ilze")
    person = make_user(name=NAME, email=EMAIL)
    consultation = make_consultation(institution=institution, with_comment=False)
    other = make_user(name="Cits Iedzīvotājs")
    other_comment = consultation_services.add_comment(consultation, other, "Cita cilvēka komentārs.")
    comment = consultation_services.add_comment(consultation, person, "ZELMAS-KOMENTĀRS par soliņiem.")
    reply = consultation_services.add_comment(consultation, person, "ZELMAS-ATBILDE citam.", parent=other_comment)
    proposal = make_proposal(institution=institution, author=person, title="ZELMAS-PRIEKŠLIKUMS soliņiem")
    draft = make_proposal(institution=institution, author=person, title="ZELMAS-MELNRAKSTS", submit=False)
    others_proposal = make_proposal(institution=institution, author=other, title="Cita priekšlikums")
    proposal_services.support(others_proposal, person)
    db.session.add(Report(item_kind="comment", item_id=other_comment.id, reporter_id=person.id, reason="spam",
                          text="ZELMAS-ZIŅOJUMS moderatoram"))
    group = make_group(leader=other, name="Zelmas ciema padome")
    group_services.approve_member(group_services.request_membership(group, person))
    make_staff(make_institution(), role=StaffRole.RESPONDER, user=person)
    db.session.commit()
    answer = answer_case(proposal.case, responder, Position.ACCEPTED, "IESTĀDES-ATBILDE: uzstādīsim soliņus.")
    fixed_now(datetime(2026, 3, 25, 9, 0))  # the consultation has closed: every comment gets a position
    consultation_services.process_closed(consultation)
    for top in (other_comment, comment):
        consultation_services.record_position(top, responder, Position.NOTED, "Ņemts vērā.")
    return {"person": person, "institution": institution, "consultation": consultation, "comment": comment,
            "reply": reply, "proposal": proposal, "draft": draft, "others_proposal": others_proposal, "group": group,
            "answer": answer, "responder": responder}


def _public_pages(world) -> list[str]:
    c, p, g, i = world["consultation"], world["proposal"], world["group"], world["institution"]
    return [
        "/", f"/consultations/{c.id}", f"/consultations/{c.id}/comments", f"/consultations/{c.id}/comments/{world['comment'].id}",
        f"/consultations/{c.id}/summary", f"/consultations/{c.id}/summary.csv", "/consultations/feed.atom",
        f"/institutions/{i.slug}",
        "/proposals/", f"/proposals/{p.id}", f"/cases/{p.case_id}", f"/institutions/{i.slug}/log", f"/groups/{g.slug}",
        "/moderation/log",
    ]


def _reuse_paths(world) -> list[str]:
    """Search, the open-data API and the bulk files: the other ways the record leaves the platform."""
    c, p, g, i = world["consultation"], world["proposal"], world["group"], world["institution"]
    api = [f"/api/v1/proposals?institution={i.slug}", f"/api/v1/proposals/{p.id}", f"/api/v1/consultations/{c.id}/comments",
           f"/api/v1/consultations/{c.id}/summary-table", f"/api/v1/cases/{p.case_id}", f"/api/v1/cases?institution={i.slug}",
           "/api/v1/responses", f"/api/v1/groups/{g.slug}", f"/api/v1/consultations/{c.id}"]
    bulk = [f"/open-data/{dataset}.{fmt}" for dataset in ("responses", "proposals", "summary-tables") for fmt in ("csv", "jsonl")]
    bulk += [f"/open-data/institutions/{i.slug}/{dataset}.csv" for dataset in ("responses", "proposals", "summary-tables")]
    searches = ["/search?q=ZELMAS", "/search?q=soliņiem", "/search?q=Zelma", "/search?q=Unikālā", "/search?q=zelma.unikala"]
    return api + bulk + searches


def test_deleting_an_account_removes_the_person_everywhere_while_the_log_stays_complete(
        client, login, make_user, person_with_everything):
    world = person_with_everything
    person, proposal = world["person"], world["proposal"]
    pages = _public_pages(world) + _reuse_paths(world)
    before = {path: _read(client.get(path, follow_redirects=True)) for path in pages}
    assert all(r.status_code == 200 for r in before.values()), [(p, r.status_code) for p, r in before.items() if r.status_code != 200]
    c = world["consultation"].id
    for path in (f"/proposals/{proposal.id}", f"/consultations/{c}/comments", f"/consultations/{c}/summary.csv",
                 f"/consultations/{c}/summary", f"/cases/{proposal.case_id}"):
        assert NAME in _text(before[path]), path  # shown before, so its absence afterwards means something
    i = world["institution"].slug
    for path in (f"/api/v1/proposals/{proposal.id}", f"/api/v1/consultations/{c}/comments", f"/api/v1/consultations/{c}/summary-table",
                 "/open-data/proposals.csv", "/open-data/proposals.jsonl", "/open-data/summary-tables.csv",
                 f"/open-data/institutions/{i}/proposals.csv", f"/open-data/institutions/{i}/summary-tables.csv"):
        assert NAME in _text(before[path]), path
    found = _words(_text(before["/search?q=ZELMAS"]))
    assert "ZELMAS-KOMENTĀRS" in found and "ZELMAS-PRIEKŠLIKUMS" in found
    from participation.follows.models import Follow

    assert db.session.scalars(select(Follow).where(Follow.user_id == person.id)).first() is not None  # followed by taking part
    responses_before = db.session.scalar(select(func.count()).select_from(Response))
    supports_before = world["others_proposal"].support_count
    login(person)
    assert client.get("/account/delete").status_code == 200
    # a wrong password or a missing confirmation deletes nothing
    assert client.post("/account/delete", data={"current_password": "nepareiza parole", "understood": "y"}).status_code == 400
    assert client.post("/account/delete", data={"current_password": PASSWORD}).status_code == 400
    assert db.session.get(User, person.id).deleted_at is None
    response = client.post("/account/delete", data={"current_password": PASSWORD, "understood": "y"})
    assert response.status_code == 302
    assert client.get("/account/profile").status_code == 302  # logged out

    # Every page, feed and export: the name and the address are gone; what was written stays, under "Deleted account".
    for path in pages:
        page = _text(client.get(path, follow_redirects=True))
        assert NAME not in page and EMAIL not in page, path
    comments = _text(client.get(f"/consultations/{world['consultation'].id}/comments"))
    assert "ZELMAS-KOMENTĀRS" in comments and "ZELMAS-ATBILDE" in comments and any(d in comments for d in DELETED)
    shown = _text(client.get(f"/proposals/{proposal.id}"))
    assert "ZELMAS-PRIEKŠLIKUMS" in shown and any(d in shown for d in DELETED)
    csv_text = _text(client.get(f"/consultations/{world['consultation'].id}/summary.csv"))
    assert "ZELMAS-KOMENTĀRS" in csv_text and any(d in csv_text for d in DELETED)
    # Search, the API and the bulk files: the name is gone, the contributions are still found, under "Deleted account".
    found = _words(_text(client.get("/search?q=ZELMAS")))
    assert "ZELMAS-KOMENTĀRS" in found and "ZELMAS-PRIEKŠLIKUMS" in found and "ZELMAS-MELNRAKSTS" not in found
    api_proposal = client.get(f"/api/v1/proposals/{proposal.id}").get_json()
    assert api_proposal["title"] == "ZELMAS-PRIEKŠLIKUMS soliņiem" and api_proposal["author"] in DELETED
    api_comments = _text(client.get(f"/api/v1/consultations/{c}/comments"))
    assert "ZELMAS-KOMENTĀRS" in api_comments and any(d in api_comments for d in DELETED)
    for path in ("/open-data/proposals.csv", "/open-data/proposals.jsonl", f"/open-data/institutions/{i}/summary-tables.csv"):
        bulk = _text(client.get(path))
        assert "ZELMAS" in bulk and any(d in bulk for d in DELETED), path

    # The log stays complete: every answer is still there and public.
    assert db.session.scalar(select(func.count()).select_from(Response)) == responses_before
    assert "IESTĀDES-ATBILDE" in _text(client.get(f"/institutions/{world['institution'].slug}/log"))
    assert "IESTĀDES-ATBILDE" in _text(client.get(f"/cases/{proposal.case_id}"))
    # Supports still count; the person's own data went.
    assert db.session.get(Proposal, world["others_proposal"].id).support_count == supports_before
    deleted = db.session.get(User, person.id)
    assert deleted.is_deleted and deleted.email != EMAIL and deleted.display_name in DELETED
    assert db.session.scalars(select(User).where(User._display_name == NAME)).first() is None
    assert db.session.get(Proposal, world["draft"].id) is None
    assert db.session.scalars(select(GroupMember).where(GroupMember.user_id == person.id)).first() is None
    assert db.session.scalars(select(Membership).where(Membership.user_id == person.id)).first() is None
    assert db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == EMAIL)).first() is None
    assert db.session.scalars(select(SecurityEvent).where(SecurityEvent.user_id == person.id)).first() is None
    assert db.session.scalars(select(Follow).where(Follow.user_id == person.id)).first() is None
    assert db.session.scalars(select(Report).where(Report.reporter_id == person.id)).one().text == ""
    # Nobody can log in to it, and the address is free to register again.
    assert client.post("/account/login", data={"email": EMAIL, "password": PASSWORD}).status_code == 400
    assert services.find_user_by_email(EMAIL) is None

    # An administrator's list shows no trace either.
    login(make_user(is_admin=True, name="Administrators"))
    admin_page = _text(client.get("/admin/users"))
    assert NAME not in admin_page and EMAIL not in admin_page


def test_the_deleted_name_is_shown_in_the_readers_language(app, session, make_user):
    from flask_babel import force_locale

    user = make_user(name=NAME)
    services.delete_account(user)
    with app.test_request_context():
        with force_locale("en"):
            assert user.display_name == "Deleted account"
            assert db.session.scalar(select(User.display_name).where(User.id == user.id)) == "Deleted account"


def test_the_data_download_contains_everything_the_person_wrote(client, login, person_with_everything):
    world = person_with_everything
    login(world["person"])
    assert "ZIP" in _text(client.get("/account/data"))
    assert client.get("/account/data/download").status_code == 405  # a button (POST), never a link to follow
    response = client.post("/account/data/download")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    files = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    data = {name[:-5]: json.loads(text) for name, text in files.items() if name.endswith(".json")}
    assert data["account"]["email"] == EMAIL and data["account"]["display_name"] == NAME
    assert data["account"]["consent"]["terms_version"]
    assert {c["text"] for c in data["comments"]} == {"ZELMAS-KOMENTĀRS par soliņiem.", "ZELMAS-ATBILDE citam."}
    titles = {p["title"]: p for p in data["proposals"]}
    assert set(titles) == {"ZELMAS-PRIEKŠLIKUMS soliņiem", "ZELMAS-MELNRAKSTS"}
    assert titles["ZELMAS-PRIEKŠLIKUMS soliņiem"]["problem"] == "Nav kur atpūsties."
    assert titles["ZELMAS-MELNRAKSTS"]["status"] == ProposalStatus.DRAFT.value
    assert [s["proposal"] for s in data["supports"]] == ["Cita priekšlikums"]
    assert [r["text"] for r in data["reports"]] == ["ZELMAS-ZIŅOJUMS moderatoram"]
    assert data["groups"]["member_of"][0]["group"] == world["group"].name
    assert len(data["staff"]) == 1
    case = data["cases"][0]
    assert case["title"] == "ZELMAS-PRIEKŠLIKUMS soliņiem" and case["responses"][0]["text"].startswith("IESTĀDES-ATBILDE")
    assert any("ZELMAS-KOMENTĀRS" in m["body"] or m["subject"] for m in data["emails"])
    assert any(e["kind"] == "login_ok" for e in data["logins"])
    assert "README.txt" in files
    assert data["other"]["follows"]  # what they follow (taking part follows it), from the follows package's table
    # Nothing of anyone else's: the other resident's comment is not in it.
    assert "Cita cilvēka komentārs" not in "".join(files.values())


def test_data_pages_need_a_log_in(client):
    for path in ("/account/data", "/account/delete", "/account/email", "/account/password"):
        assert client.get(path).status_code == 302, path
    assert client.post("/account/data/download").status_code in (302, 400)  # no session: log in (or no CSRF token)


def test_change_email_is_verified_first_and_the_old_address_is_told(client, login, make_user):
    person = login(make_user(name=NAME, email=EMAIL))
    wrong = client.post("/account/email", data={"email": "jauna@example.lv", "current_password": "nav tā"})
    assert wrong.status_code == 400 and 'id="current_password-error"' in _text(wrong) and 'value="jauna@example.lv"' in _text(wrong)
    response = client.post("/account/email", data={"email": "Jauna@Example.lv", "current_password": PASSWORD})
    assert response.status_code == 200 and "jauna@example.lv" in _text(response)
    assert person.email == EMAIL  # nothing changes until the link is opened
    mail = _last_mail("jauna@example.lv")
    assert mail is not None
    assert client.get(_link(mail.body)).status_code == 302
    db.session.refresh(person)
    assert person.email == "jauna@example.lv" and person.is_verified
    notice = _last_mail(EMAIL)
    assert notice is not None and "jauna@example.lv" in notice.body
    assert client.get(_link(mail.body)).status_code == 400  # used once


def test_change_email_to_a_taken_address_writes_to_nobody_and_changes_nothing(client, login, make_user):
    make_user(email="aiznemta@example.lv")
    person = login(make_user(email=EMAIL))
    sent_before = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    response = client.post("/account/email", data={"email": "aiznemta@example.lv", "current_password": PASSWORD})
    assert response.status_code == 200  # the same page: the form tells nothing about who has an account
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == sent_before
    assert person.email == EMAIL


def test_change_password_ends_other_sessions(app, client, login, make_user):
    person = login(make_user(email=EMAIL))
    other_device = app.test_client()
    other_device.post("/account/login", data={"email": EMAIL, "password": PASSWORD})
    assert other_device.get("/account/profile").status_code == 200
    short = client.post("/account/password", data={"current_password": PASSWORD, "password": "īsa", "confirm": "īsa"})
    assert short.status_code == 400 and 'id="password-error"' in _text(short)
    wrong = client.post("/account/password", data={"current_password": "nav tā", "password": "jauna gara parole", "confirm": "jauna gara parole"})
    assert wrong.status_code == 400 and 'id="current_password-error"' in _text(wrong)
    response = client.post("/account/password", data={"current_password": PASSWORD, "password": "jauna gara parole", "confirm": "jauna gara parole"})
    assert response.status_code == 302
    assert client.get("/account/profile").status_code == 200  # this device stays in
    assert other_device.get("/account/profile").status_code == 302  # every other session ended
    assert person.check_password("jauna gara parole")
    assert _last_mail(EMAIL).subject  # the owner is told


def test_registration_records_consent_with_versions(client):
    from participation import legal

    data = {"display_name": "Anna", "email": "anna@example.lv", "password": "garš-labs-teikums",
            "confirm": "garš-labs-teikums", "locale": "lv"}
    refused = client.post("/account/register", data=data)
    assert refused.status_code == 400 and 'id="agree-error"' in _text(refused) and 'value="anna@example.lv"' in _text(refused)
    assert db.session.scalars(select(User)).first() is None
    assert client.post("/account/register", data={**data, "agree": "y"}).status_code == 200
    user = db.session.scalars(select(User).where(User.email == "anna@example.lv")).one()
    assert user.terms_version == legal.terms_version() and user.privacy_version == legal.privacy_version()
    assert user.consented_at is not None
    page = _text(client.get("/account/register"))
    assert 'href="/about/terms"' in page and 'href="/about/privacy"' in page


def test_new_terms_are_shown_at_the_next_log_in(client, make_user):
    from participation import legal

    person = make_user(email=EMAIL)
    person.terms_version = "2020-01-01"  # accepted an older version
    db.session.commit()
    response = client.post("/account/login?next=/proposals/", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 302 and "/account/terms" in response.headers["Location"]
    # until accepted, other pages lead back to the terms; the terms themselves and log-out stay open
    assert "/account/terms" in client.get("/consultations/").headers.get("Location", "")
    assert client.get("/about/terms").status_code == 200
    page = _text(client.get("/account/terms"))
    assert 'href="/about/terms"' in page
    accepted = client.post("/account/terms?next=/proposals/")
    assert accepted.status_code == 302 and accepted.headers["Location"].endswith("/proposals/")
    assert person.terms_version == legal.terms_version()
    assert client.get("/consultations/").status_code == 200


def test_an_account_with_current_terms_goes_straight_on(client, make_user):
    make_user(email=EMAIL)
    response = client.post("/account/login?next=/proposals/", data={"email": EMAIL, "password": PASSWORD})
    assert response.headers["Location"].endswith("/proposals/")


def test_retention_removes_stale_unverified_accounts_and_old_events(app, session, make_user, make_institution, make_proposal,
                                                                    make_consultation):
    old = utcnow() - timedelta(days=app.config["UNVERIFIED_ACCOUNT_DAYS"] + 1)
    quiet = make_user(email="klusais@example.lv", verified=False, created_at=old)
    fresh = make_user(email="jauns@example.lv", verified=False)
    verified = make_user(email="apstiprinats@example.lv", created_at=old)
    writer = make_user(email="rakstitajs@example.lv", verified=False, created_at=old, name="Rakstītājs Nepārbaudītais")
    consultation = make_consultation(with_comment=False)
    consultation_services.add_comment(consultation, writer, "Komentārs pirms apstiprināšanas.")
    draft = make_proposal(author=quiet, submit=False)
    assert retention.remove_unverified_accounts() == 2
    assert db.session.get(User, quiet.id) is None and db.session.get(Proposal, draft.id) is None
    assert db.session.get(User, fresh.id) is not None and db.session.get(User, verified.id) is not None
    kept = db.session.get(User, writer.id)  # wrote in public: anonymised, its comment keeps an author
    assert kept.is_deleted and kept.email != "rakstitajs@example.lv"

    db.session.add_all([
        SecurityEvent(kind="login_failed", created_at=utcnow() - timedelta(days=app.config["SECURITY_EVENTS_RETENTION_DAYS"] + 1)),
        SecurityEvent(kind="login_failed"),
        PersonalDataAccess(admin_id=verified.id, action="users.list", created_at=utcnow() - timedelta(days=app.config["AUDIT_LOG_RETENTION_DAYS"] + 1)),
        PersonalDataAccess(admin_id=verified.id, action="users.list"),
    ])
    db.session.commit()
    assert retention.remove_old_security_events() == 1 and retention.remove_old_audit_entries() == 1
    assert db.session.scalar(select(func.count()).select_from(SecurityEvent)) == 1
    assert db.session.scalar(select(func.count()).select_from(PersonalDataAccess)) == 1


def test_retention_runs_as_periodic_tasks(app, session, make_user):
    from participation.accounts import tasks
    from participation.jobs import run_now

    stale = make_user(verified=False, created_at=utcnow() - timedelta(days=app.config["UNVERIFIED_ACCOUNT_DAYS"] + 1))
    assert run_now(tasks.remove_unverified_accounts) == 1
    assert db.session.get(User, stale.id) is None
    assert run_now(tasks.remove_old_security_events) == 0 and run_now(tasks.remove_old_audit_entries) == 0
    # as the consumer runs it: claimed once for its minute, however many consumers
    assert tasks.remove_old_security_events.call_local() == 0
    assert tasks.remove_old_security_events.call_local() is None
    from participation.jobs import task_modules

    assert "participation.accounts.tasks" in task_modules()


def test_log_ins_are_recorded_as_security_events(client, make_user):
    person = make_user(email=EMAIL)
    client.post("/account/login", data={"email": EMAIL, "password": "nepareizi"})
    client.post("/account/login", data={"email": EMAIL, "password": PASSWORD})
    events = db.session.scalars(select(SecurityEvent).order_by(SecurityEvent.id)).all()
    assert [e.kind for e in events] == ["login_failed", "login_ok"]
    assert events[1].user_id == person.id and EMAIL not in events[0].email_hash and events[0].email_hash


def test_the_admins_audit_log_records_every_access_to_personal_data(client, login, make_user):
    admin = login(make_user(is_admin=True, name="Administrators"))
    person = make_user(name="Meklētā Persona", email="mekleta@example.lv")
    client.get("/admin/users?q=mekleta")
    client.post(f"/admin/users/{person.id}/roles", data={f"u{person.id}-is_moderator": "y"})
    client.get("/admin/blocks")
    entries = db.session.scalars(select(PersonalDataAccess).order_by(PersonalDataAccess.id)).all()
    assert [e.action for e in entries] == ["users.list", "users.set_roles", "blocks.list"]
    assert all(e.admin_id == admin.id for e in entries)
    assert entries[0].query == "mekleta" and entries[0].subject_ids == str(person.id)
    assert entries[1].subject_ids == str(person.id)
    page = _text(client.get("/admin/audit"))
    assert "/admin/users?q=mekleta" in page and str(person.id) in page
    assert db.session.scalars(select(PersonalDataAccess).order_by(PersonalDataAccess.id.desc())).first().action == "audit.view"


def test_only_platform_admins_read_the_audit_log(client, login, make_user):
    assert client.get("/admin/audit").status_code == 302
    login(make_user(is_moderator=True))
    assert client.get("/admin/audit").status_code == 403


def test_a_rate_limit_hit_is_kept_as_a_security_event(rate_limited_app):
    app = rate_limited_app()
    client = app.test_client()
    statuses = [client.post("/account/register", data={}).status_code for _ in range(11)]
    assert statuses[-1] == 429
    with app.app_context():
        events = db.session.scalars(select(SecurityEvent).where(SecurityEvent.kind == "rate_limited")).all()
        assert [e.endpoint for e in events] == ["accounts.register"] and events[0].address


def test_a_member_of_staff_gets_the_answers_they_wrote(client, login, make_case, make_institution, make_staff):
    institution = make_institution()
    responder = make_staff(institution, role=StaffRole.RESPONDER)
    answer_case(make_case(institution=institution), responder, Position.NOTED, "ATBILDĒTĀJA-TEKSTS")
    login(responder)
    archive = zipfile.ZipFile(io.BytesIO(client.post("/account/data/download").data))
    other = json.loads(archive.read("other.json"))
    assert [r["text"] for r in other["responses"]] == ["ATBILDĒTĀJA-TEKSTS"]
    assert "feedback" not in other


def test_an_unverified_account_with_only_settings_is_removed_outright(app, session, make_user):
    from participation.follows.models import Follow

    stale = make_user(verified=False, created_at=utcnow() - timedelta(days=app.config["UNVERIFIED_ACCOUNT_DAYS"] + 1))
    db.session.add(Follow(user_id=stale.id, subject_kind="institution", subject_id=1, reason="followed"))
    db.session.add(SecurityEvent(kind="login_failed", user_id=stale.id))
    db.session.commit()
    assert retention.remove_unverified_accounts() == 1
    assert db.session.get(User, stale.id) is None
