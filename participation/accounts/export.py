"""Download my data (issue 18, GDPR art. 15 and 20): one ZIP of JSON files with everything the person wrote and
everything the platform keeps about them, plus the files they uploaded.

Other packages add what they keep with `register_section(name, collect)` (collect(user) -> JSON-able data) and
`register_files(collect)` (collect(user) -> [(file name, bytes)]); rows of any other table with a user_id column
(follows, notification preferences ...) are included on their own, under other.json.
"""
import io
import json
import zipfile
from datetime import date, datetime
from enum import Enum

from sqlalchemy import func, or_, select

from participation.accounts.models import SecurityEvent, User
from participation.clock import utcnow
from participation.extensions import db

_SECTIONS: dict[str, callable] = {}
_FILES: list[callable] = []
# Tables exported by their own section above; tables whose rows name the person but are not theirs (website feedback
# names the member of staff answerable for it, the text is a visitor's; the admins' audit log).
_OWN_SECTIONS = {"users", "comments", "proposals", "supports", "reports", "groups", "group_members", "memberships",
                 "cases", "security_events"}
_NOT_THEIRS = {"feedback", "personal_data_access", "moderation_actions", "proposal_merges"}
_GENERIC_COLUMNS = ("user_id", "author_id", "created_by_id")


def register_section(name: str, collect) -> None:
    _SECTIONS[name] = collect


def register_files(collect) -> None:
    _FILES.append(collect)


def _plain(value):
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds") + "Z"  # stored in UTC
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _row(obj, *names) -> dict:
    return {name: _plain(getattr(obj, name)) for name in names}


def _account(user: User) -> dict:
    data = _row(user, "id", "email", "display_name", "locale", "created_at", "email_verified_at", "is_moderator",
                "is_admin", "blocked_at", "blocked_until", "block_reason")
    data["consent"] = _row(user, "terms_version", "privacy_version", "consented_at")
    return data


def _comments(user: User) -> list:
    from participation.consultations.models import Comment, Consultation

    rows = db.session.execute(
        select(Comment, Consultation.title).join(Consultation, Consultation.id == Comment.consultation_id)
        .where(Comment.author_id == user.id).order_by(Comment.id)
    )
    out = []
    for comment, title in rows:
        item = _row(comment, "id", "number", "consultation_id", "section_id", "parent_id", "group_id", "represents",
                    "show_name", "text", "created_at", "case_id")
        item["consultation"] = title
        item["moderation"] = _plain(getattr(comment, "moderation", None))
        item["hidden"] = bool(getattr(comment, "is_hidden", False))
        out.append(item)
    return out


def _proposals(user: User) -> list:
    from participation.proposals.models import Proposal

    return [
        _row(p, "id", "status", "institution_id", "group_id", "title", "problem", "solution", "benefit", "territory",
             "topics", "submitted_at", "created_at", "updated_at", "case_id", "support_count")
        for p in db.session.scalars(select(Proposal).where(Proposal.author_id == user.id).order_by(Proposal.id))
    ]


def _supports(user: User) -> list:
    from participation.proposals.models import Proposal, Support

    rows = db.session.execute(select(Support, Proposal.title).join(Proposal, Proposal.id == Support.proposal_id)
                              .where(Support.user_id == user.id).order_by(Support.id))
    return [{**_row(s, "proposal_id", "notify", "created_at"), "proposal": title} for s, title in rows]


def _reports(user: User) -> list:
    from participation.moderation.models import Report

    return [_row(r, "id", "item_kind", "item_id", "reason", "text", "created_at", "resolved_at")
            for r in db.session.scalars(select(Report).where(Report.reporter_id == user.id).order_by(Report.id))]


def _groups(user: User) -> dict:
    from participation.groups.models import Group, GroupMember

    led = [_row(g, "id", "slug", "name", "kind", "description", "created_at", "verified_at")
           for g in db.session.scalars(select(Group).where(Group.leader_id == user.id).order_by(Group.id))]
    member = [{**_row(m, "group_id", "status", "requested_at", "approved_at"), "group": name}
              for m, name in db.session.execute(select(GroupMember, Group.name).join(Group, Group.id == GroupMember.group_id)
                                                .where(GroupMember.user_id == user.id).order_by(GroupMember.id))]
    return {"leader_of": led, "member_of": member}


def _staff(user: User) -> list:
    from participation.institutions.models import Institution, Membership

    return [{"institution": name, "role": _plain(m.role)}
            for m, name in db.session.execute(select(Membership, Institution.name)
                                              .join(Institution, Institution.id == Membership.institution_id)
                                              .where(Membership.user_id == user.id))]


def _cases(user: User) -> list:
    """The cases opened for what the person sent, with every answer in the public log."""
    from participation.cases.models import Case, Response

    out = []
    cases = list(db.session.scalars(select(Case).where(Case.raised_by_id == user.id).order_by(Case.id)))
    answers: dict[int, list] = {}
    if cases:
        for response in db.session.scalars(select(Response).where(Response.case_id.in_([c.id for c in cases])).order_by(Response.id)):
            answers.setdefault(response.case_id, []).append(_row(response, "kind", "position", "text", "effective_on", "created_at"))
    for case in cases:
        item = _row(case, "number", "channel", "title", "body", "received_at", "due_on", "state", "answered_at")
        item["institution"] = case.institution.name
        item["responses"] = answers.get(case.id, [])
        out.append(item)
    return out


def _emails(user: User) -> list:
    from participation.outbox.models import OutboxMessage

    return [_row(m, "subject", "body", "created_at", "sent_at")
            for m in db.session.scalars(select(OutboxMessage).where(func.lower(OutboxMessage.recipient) == user.email)
                                        .order_by(OutboxMessage.id))]


def _security(user: User) -> list:
    return [_row(e, "kind", "address", "created_at")
            for e in db.session.scalars(select(SecurityEvent).where(SecurityEvent.user_id == user.id).order_by(SecurityEvent.id))]


def _other(user: User) -> dict:
    """Rows of every other table that names the person as its user, author or creator (follows, notification
    settings, co-creation ideas and amendments, answers written for an institution ... as they are added)."""
    out = {}
    for table in db.metadata.sorted_tables:
        if table.name in _OWN_SECTIONS or table.name in _NOT_THEIRS:
            continue
        columns = [table.columns[name] for name in _GENERIC_COLUMNS if name in table.columns
                   and any(fk.column.table.name == "users" for fk in table.columns[name].foreign_keys)]
        if not columns:
            continue
        rows = [{key: _plain(value) for key, value in row._mapping.items()}
                for row in db.session.execute(table.select().where(or_(*(column == user.id for column in columns))))]
        if rows:
            out[table.name] = rows
    return out


README = """Līdzdalība: jūsu dati ({when} UTC)

account.json    jūsu konts: e-pasta adrese, vārds, valoda, lomas, piekrišana noteikumiem un privātuma paziņojumam
comments.json   visi jūsu komentāri un atbildes apspriešanās (arī moderatoru paslēptie)
proposals.json  jūsu priekšlikumi, arī melnraksti
supports.json   priekšlikumi, kurus atbalstījāt
reports.json    jūsu ziņojumi moderatoriem
groups.json     grupas, kuras vadāt vai kurās esat
staff.json      iestādes, kurās strādājat platformā
cases.json      lietas, kas atvērtas par jūsu iesniegto, ar visām atbildēm
emails.json     vēstules, ko jums nosūtījām
logins.json     jūsu pieteikšanās un neveiksmīgie mēģinājumi, ko kādu laiku glabājam
other.json      viss cits, kas par jums glabāts vai ko esat rakstījis (sekošana, paziņojumu iestatījumi,
                koprades idejas un grozījumi, atbildes, ko rakstījāt iestādes vārdā)
files/          jūsu augšupielādētie faili

Laiki ir UTC. Jautājumi: skatiet privātuma paziņojumu tīmekļvietnē.

----------------------------------------------------------------------

Līdzdalība: your data ({when} UTC)

account.json    your account: e-mail address, name, language, roles, consent to the terms and privacy notice
comments.json   every comment and reply you wrote on consultations (also those a moderator hid)
proposals.json  your proposals, drafts included
supports.json   the proposals you supported
reports.json    what you reported to moderators
groups.json     the groups you lead or belong to
staff.json      the institutions you work for on the platform
cases.json      the cases opened for what you sent, with every answer
emails.json     the e-mails the platform sent you
logins.json     your log-ins and failed attempts that we keep for a while
other.json      anything else kept about you or written by you (follows, notification settings,
                co-creation ideas and amendments, answers you wrote for an institution)
files/          the files you uploaded

Times are in UTC. Questions: see the privacy notice on the website.
"""


def build_zip(user: User) -> bytes:
    sections = {
        "account": _account(user),
        "comments": _comments(user),
        "proposals": _proposals(user),
        "supports": _supports(user),
        "reports": _reports(user),
        "groups": _groups(user),
        "staff": _staff(user),
        "cases": _cases(user),
        "emails": _emails(user),
        "logins": _security(user),
        "other": _other(user),
    }
    for name, collect in _SECTIONS.items():
        sections[name] = collect(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README.format(when=utcnow().isoformat(timespec="minutes")))
        for name, data in sections.items():
            archive.writestr(f"{name}.json", json.dumps(data, ensure_ascii=False, indent=2, default=str))
        for collect in _FILES:
            for file_name, content in collect(user):
                archive.writestr(f"files/{file_name}", content)
    return buffer.getvalue()
