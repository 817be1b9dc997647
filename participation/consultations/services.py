"""Consultation actions: prepare and publish a draft, extend the window, comment and reply, open a case
per comment when the window closes, record positions, publish the next version, attachments."""
from datetime import date, datetime, time, timedelta
from functools import cache

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from participation.i18n import gettext as _
from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.util import identity_key

from participation.accounts.models import User
from participation.cases import rules
from participation.cases import services as cases
from participation.cases.models import Case, CaseState, Channel, Position, Response, ResponseKind
from participation.institutions.permissions import can_answer_cases
from participation.clock import riga_to_utc, to_riga, utcnow
from participation.consultations import permissions
from participation.consultations.models import (
    Attachment,
    Comment,
    Consultation,
    ConsultationKind,
    DraftVersion,
    Section,
    WindowExtension,
    WindowState,
)
from participation.consultations.splitter import split_sections
from participation.dates import format_day, format_moment
from participation.extensions import db
from participation.groups.models import Group
from participation.institutions.models import Institution
from participation.moderation.models import Moderation
from participation.moderation.services import initial_state
from participation.outbox.services import send_email
from participation.signals import response_recorded
from participation.text import clean_plain
from participation.urls import absolute_url

COMMENT_LIMIT = 5000
CLOSING_TIME = time(23, 59, 59, 999999)  # a window closes at the very end of its last day, Riga time
MAX_DAYS_AHEAD = 730  # a window opens and closes within two years (no typo reaches the year 9999)
MINIMUM_RULES = {ConsultationKind.MUNICIPAL_REGULATION: rules.CONSULTATION_WINDOW_MIN_MUNICIPAL}


class ConsultationRefused(ValueError):
    """The action is not possible now; the message says why. `step` names what fixes it, where one thing does
    ("summary", "source", "window"): the publish page links the message there."""

    def __init__(self, message: str, step: str | None = None):
        super().__init__(message)
        self.step = step


def site_path(endpoint: str, **values) -> str:
    """A link inside the site, without scheme and host (stored in cases.item_url, used in redirects), also from CLI
    commands where no request is active."""
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context("/"):
        return url_for(endpoint, **values)


def comment_path(comment: "Comment") -> str:
    """Where a comment is read: its permalink, which leads to the page that lists it (views.comment_link)."""
    return site_path("consultations.comment_link", consultation_id=comment.consultation_id, comment_id=comment.id)


# --- the window --------------------------------------------------------------------------------------


def minimum_days(kind: ConsultationKind, on: date) -> int:
    """The shortest window the rule for this kind of document allows (in calendar days)."""
    return rules.rule_in_force(MINIMUM_RULES.get(kind, rules.CONSULTATION_WINDOW_MIN), on).length


def default_closing_day(opens_local: datetime) -> date:
    return opens_local.date() + timedelta(days=rules.rule_in_force(rules.CONSULTATION_WINDOW, opens_local.date()).length)


def closing_moment(closes_on: date) -> datetime:
    """The last second of the closing day in Riga, as naive UTC (summer time handled by zoneinfo)."""
    return riga_to_utc(datetime.combine(closes_on, CLOSING_TIME))


# --- preparing and publishing ------------------------------------------------------------------------


def _write_sections(version: DraftVersion, source: str) -> None:
    for position, draft in enumerate(split_sections(source)):
        heading, text = _fitting_heading(draft.heading, draft.text)
        db.session.add(Section(version=version, position=position, number=draft.number, heading=heading, text=text))


def _fitting_heading(heading: str, text: str, limit: int = 255) -> tuple[str, str]:
    """A heading longer than its column keeps its start (to a word) and the rest begins the section's text: nothing
    pasted is cut away."""
    if len(heading) <= limit:
        return heading, text
    kept = heading[:limit + 1].rsplit(" ", 1)[0] if " " in heading[:limit + 1] else heading[:limit]
    rest = heading[len(kept):].strip()
    return kept, "\n".join(part for part in (rest, text) if part)


def save_draft(institution: Institution, author: User, fields: dict, source: str, consultation: Consultation | None = None) -> Consultation:
    """Create or change an unpublished consultation; the draft text is split into sections again."""
    if consultation is None:
        consultation = Consultation(institution=institution, created_by_id=author.id)
        db.session.add(consultation)
    elif consultation.published_at is not None:
        raise ConsultationRefused(_("A published consultation cannot be changed; publish a new version instead."))
    for name in ("title", "kind", "policy_area", "territory", "official_name", "official_contact", "problem", "goal", "summary"):
        setattr(consultation, name, clean_plain(fields.get(name) or ""))
    consultation.premoderation = bool(fields.get("premoderation"))
    db.session.flush()
    version = consultation.versions[0] if consultation.versions else DraftVersion(consultation=consultation, number=1)
    db.session.add(version)
    for section in list(version.sections):
        db.session.delete(section)
    db.session.flush()
    _write_sections(version, source)  # the splitter cleans the text itself (keeping non-breaking spaces)
    db.session.commit()
    return consultation


def publish(consultation: Consultation, opens_local: datetime, closes_on: date | None) -> Consultation:
    """Fix the window and make the consultation public (it opens at `opens_local`, Riga time)."""
    if consultation.published_at is not None:
        raise ConsultationRefused(_("This consultation is already published."))
    if not consultation.summary.strip():
        raise ConsultationRefused(_("Write the plain-language summary before publishing."), step="summary")
    if not consultation.versions or not consultation.versions[0].sections:
        raise ConsultationRefused(_("Add the text of the draft before publishing."), step="source")
    now = utcnow()
    _check_not_too_far(opens_local.date())
    if closes_on is not None:
        _check_not_too_far(closes_on)
    opens_at = max(riga_to_utc(opens_local), now)  # a time in the past means: open now
    opening_day = to_riga(opens_at).date()
    closes_on = closes_on or default_closing_day(to_riga(opens_at).replace(tzinfo=None))
    minimum = minimum_days(ConsultationKind(consultation.kind), opening_day)
    if closes_on < opening_day + timedelta(days=minimum):
        raise ConsultationRefused(
            _("The window must be at least %(n)d days: the last day for comments is %(date)s or later.", n=minimum,
              date=format_day(opening_day + timedelta(days=minimum))), step="window"
        )
    consultation.opens_at = opens_at
    consultation.closes_at = closing_moment(closes_on)
    consultation.published_at = now
    consultation.versions[0].published_at = now
    db.session.commit()
    return consultation


def _check_not_too_far(day: date) -> None:
    if day > to_riga(utcnow()).date() + timedelta(days=MAX_DAYS_AHEAD):
        raise ConsultationRefused(_("Choose a date within two years from today."), step="window")


def extend_window(consultation: Consultation, author: User, new_closes_on: date, reason: str) -> WindowExtension:
    """Move the closing day later (never earlier); the change and its reason are shown publicly."""
    _check_not_too_far(new_closes_on)
    if consultation.window_state() not in (WindowState.SCHEDULED, WindowState.OPEN):
        raise ConsultationRefused(_("Only a scheduled or open window can be extended."))
    new_closes_at = closing_moment(new_closes_on)
    if new_closes_at <= consultation.closes_at:
        raise ConsultationRefused(_("The new closing day must be later than the current one; a window is never shortened."))
    extension = WindowExtension(consultation_id=consultation.id, previous_closes_at=consultation.closes_at,
                                new_closes_at=new_closes_at, reason=clean_plain(reason), author_id=author.id)
    consultation.closes_at = new_closes_at
    db.session.add(extension)
    db.session.commit()
    return extension


# --- comments ----------------------------------------------------------------------------------------


def _closed_message(consultation: Consultation) -> str:
    state = consultation.window_state()
    if state == WindowState.UNPUBLISHED:
        return _("The consultation is not published yet.")
    if state == WindowState.SCHEDULED:
        return _("Comments are accepted from %(time)s.", time=format_moment(consultation.opens_at))
    return _("The consultation closed on %(time)s; comments are no longer accepted.", time=format_moment(consultation.closes_at))


def sent_comment(author: User, submission_key: str | None) -> Comment | None:
    """The comment this author already sent with this form (a double click sends it twice), if any."""
    if not submission_key:
        return None
    return db.session.scalar(select(Comment).where(Comment.author_id == author.id, Comment.submission_key == submission_key))


def add_comment(consultation: Consultation, author: User, text: str, section: Section | None = None,
                group: Group | None = None, represents: str = "", show_name: bool = True, parent: Comment | None = None,
                submission_key: str | None = None, key_unused: bool = False) -> Comment:
    """Accept a comment (or a reply) only inside the window, decided now on the server; e-mail a receipt.
    The same `submission_key` sent again by the same author (a double click) stores nothing and gives the first one.
    `key_unused`: the caller has just looked the key up in this transaction (`sent_comment`) and found nothing, so it
    is not read again (one sent at the same moment still meets the unique index below)."""
    if not key_unused and (already := sent_comment(author, submission_key)) is not None:
        return already
    if consultation.window_state() != WindowState.OPEN:
        raise ConsultationRefused(_closed_message(consultation))
    if not permissions.can_comment_for_group(author, group):
        raise ConsultationRefused(_("Only an approved member may write on the group's behalf."))
    text = clean_plain(text, COMMENT_LIMIT)
    if not text:
        raise ConsultationRefused(_("Write the comment."))
    if parent is not None:
        if parent.consultation_id != consultation.id or parent.parent_id is not None:
            raise ConsultationRefused(_("Reply to a comment of this consultation."))
        if parent.is_hidden or parent.is_pending:
            raise ConsultationRefused(_("This comment is not public, so it cannot be replied to."))
    # A reply is on its comment's section: the id is enough (the section itself is not read).
    placed = {"section_id": parent.section_id} if parent is not None else {"section": section}
    comment = Comment(consultation_id=consultation.id, **placed, parent=parent, author=author, group=group,
                      represents=clean_plain(represents, 200), show_name=show_name, text=text,
                      moderation=initial_state(consultation.institution, consultation), submission_key=submission_key or None)
    db.session.add(comment)
    try:
        db.session.flush()
    except IntegrityError:  # the same form sent at the same moment: the first one was stored
        db.session.rollback()
        if (already := sent_comment(author, submission_key)) is not None:
            return already
        raise
    if not comment.is_pending:
        count_comment(comment, 1)  # a pre-moderated comment is counted when a moderator approves it
    link = absolute_url("consultations.comment_link", consultation_id=consultation.id, comment_id=comment.id)
    with force_locale(author.locale):
        if comment.is_pending:
            where = _("It will be public once a moderator approves it; you can see it here: %(link)s", link=link)
        else:
            where = _("It is public here: %(link)s", link=link)
        send_email(
            author.email,
            _("Your comment %(number)s on \"%(title)s\"", number=comment.number, title=consultation.title),
            _("We received your comment %(number)s. This is what you submitted:\n\n%(text)s\n\n%(where)s",
              number=comment.number, text=text, where=where),
        )
    db.session.commit()
    return comment


def count_comment(comment: Comment, delta: int) -> None:
    """The one place that keeps the comment counters (top-level comments per consultation and per section, and those
    waiting for a position), in the transaction that adds (+1) or removes (-1; only a comment still waiting for a
    position) a comment: pages read them instead of counting rows. An atomic `count = count + delta` in SQL, so
    concurrent comments are all counted. A newly counted comment always waits: approved after the close, its new case
    has no position yet."""
    if comment.parent_id is not None or comment.parent is not None:
        return  # replies are shown under their comment, not counted
    db.session.execute(
        update(Consultation).where(Consultation.id == comment.consultation_id)
        .values(comment_count=Consultation.comment_count + delta,
                positions_waiting=Consultation.positions_waiting + delta)
        .execution_options(synchronize_session=False)
    )
    if comment.section_id is not None:
        db.session.execute(
            update(Section).where(Section.id == comment.section_id)
            .values(comment_count=Section.comment_count + delta).execution_options(synchronize_session=False)
        )
    _expire(Consultation, comment.consultation_id, "comment_count", "positions_waiting")
    if comment.section_id is not None:
        _expire(Section, comment.section_id, "comment_count")


def count_hidden(comment: Comment, delta: int) -> None:
    """A counted top-level comment hidden (+1) or shown again (-1) by a moderator: the public totals (per consultation and
    per section) leave hidden comments out; the comment stays counted for the summary (it is still answered)."""
    if comment.parent_id is not None or comment.is_pending:
        return
    db.session.execute(
        update(Consultation).where(Consultation.id == comment.consultation_id)
        .values(hidden_count=Consultation.hidden_count + delta).execution_options(synchronize_session=False)
    )
    if comment.section_id is not None:
        db.session.execute(
            update(Section).where(Section.id == comment.section_id)
            .values(hidden_count=Section.hidden_count + delta).execution_options(synchronize_session=False)
        )
    _expire(Consultation, comment.consultation_id, "hidden_count")
    if comment.section_id is not None:
        _expire(Section, comment.section_id, "hidden_count")


def count_position(response: Response) -> None:
    """`response_recorded`: a comment's case answered on substance for the first time (a correction changes a position,
    not whether there is one) or closed as not examined no longer waits for a position, whichever page or inbox
    recorded it. Its consultation is found from the case in the same statement."""
    first_answer = response.kind == ResponseKind.ANSWER and response.supersedes_id is None
    if response.case.channel != Channel.CONSULTATION or not (first_answer or response.kind == ResponseKind.NOT_EXAMINED):
        return
    consultation_id = select(Comment.consultation_id).where(Comment.case_id == response.case_id).scalar_subquery()
    changed = db.session.scalar(
        update(Consultation).where(Consultation.id == consultation_id)
        .values(positions_waiting=Consultation.positions_waiting - 1).returning(Consultation.id)
        .execution_options(synchronize_session=False)
    )
    if changed is not None:
        _expire(Consultation, changed, "positions_waiting")


def _expire(model, ident: int, *names: str) -> None:
    """A counter changed in SQL is read again from the database when next asked."""
    if (loaded := db.session.identity_map.get(identity_key(model, ident))) is not None:
        db.session.expire(loaded, list(names))


def connect() -> None:
    response_recorded.connect(count_position)


def recount_counters() -> int:
    """Repair (`flask recount-counters`, best run while the site is quiet): every consultation's and section's comment
    counters counted again from the rows, e.g. after a manual fix in the database. Returns how many rows were wrong."""
    top_level = (Comment.parent_id.is_(None), Comment.moderation == Moderation.APPROVED)
    comments = select(func.count(Comment.id)).where(Comment.consultation_id == Consultation.id, *top_level).scalar_subquery()
    waiting = (
        select(func.count(Comment.id)).select_from(Comment).outerjoin(Case, Case.id == Comment.case_id)
        .where(Comment.consultation_id == Consultation.id, *top_level,
               or_(Comment.case_id.is_(None), Case.position.is_(None) & (Case.state != CaseState.NOT_EXAMINED)))
        .scalar_subquery()
    )
    on_section = select(func.count(Comment.id)).where(Comment.section_id == Section.id, *top_level).scalar_subquery()
    hidden = Comment.hidden_at.is_not(None)
    hidden_comments = (select(func.count(Comment.id)).where(Comment.consultation_id == Consultation.id, *top_level, hidden)
                       .scalar_subquery())
    hidden_on_section = select(func.count(Comment.id)).where(Comment.section_id == Section.id, *top_level, hidden).scalar_subquery()
    fixed = db.session.execute(
        update(Consultation).where((Consultation.comment_count != comments) | (Consultation.positions_waiting != waiting)
                                   | (Consultation.hidden_count != hidden_comments))
        .values(comment_count=comments, positions_waiting=waiting, hidden_count=hidden_comments)
        .execution_options(synchronize_session=False)
    ).rowcount
    fixed += db.session.execute(
        update(Section).where((Section.comment_count != on_section) | (Section.hidden_count != hidden_on_section))
        .values(comment_count=on_section, hidden_count=hidden_on_section).execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return fixed


# --- after the close ----------------------------------------------------------------------------------


def process_closed(consultation: Consultation) -> int:
    """The closing step: every top-level comment becomes a case, due under the summary rule from the close.
    Safe to run again and from anywhere (page views, the inbox, `flask close-consultations`)."""
    if consultation.cases_opened_at is not None or consultation.window_state() != WindowState.CLOSED:
        return 0
    # Claim the step atomically, so concurrent page views never open the cases twice.
    claimed = db.session.execute(
        update(Consultation).where(Consultation.id == consultation.id, Consultation.cases_opened_at.is_(None))
        .values(cases_opened_at=utcnow()).execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        return 0
    comments = db.session.scalars(
        select(Comment).where(Comment.consultation_id == consultation.id, Comment.parent_id.is_(None),
                              Comment.case_id.is_(None), Comment.moderation == Moderation.APPROVED)
        .order_by(Comment.id)
    ).all()
    for comment in comments:
        open_comment_case(comment, consultation)
    consultation.cases_opened_at = utcnow()
    db.session.commit()
    return len(comments)


def open_comment_case(comment: Comment, consultation: Consultation | None = None) -> None:
    """A top-level comment becomes a case, due under the summary rule from the close (in the caller's transaction)."""
    consultation = consultation or comment.consultation
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):  # the same title whoever triggers the step
        title = _("Comment %(number)s on \"%(title)s\"", number=comment.number, title=consultation.title)[:255]
    group = comment.group if comment.show_name and comment.group and permissions.can_comment_for_group(comment.author, comment.group) else None
    comment.case = cases.open_case(
        consultation.institution, Channel.CONSULTATION, title,
        rule_code=rules.CONSULTATION_SUMMARY, received_at=consultation.closes_at, raised_by=comment.author,
        raised_by_group=group,
        item_url=comment_path(comment),  # relative: the case page links to the comment on this site
        body=comment.text, submitter_hidden=not comment.show_name, commit=False,
        is_private=comment.is_hidden,  # a hidden comment's text stays out of the public log
    )


def process_all_closed(institution_id: int | None = None) -> int:
    """Run the closing step for every consultation whose window has ended (one query when there is none)."""
    params = {"now": utcnow(), "institution_id": institution_id}
    return sum(process_closed(c) for c in db.session.scalars(_due_for_closing(institution_id is not None), params).all())


@cache
def _due_for_closing(of_one_institution: bool):
    """Published consultations whose window ended and whose cases are not opened yet (built once per shape)."""
    query = select(Consultation).where(
        Consultation.published_at.is_not(None), Consultation.cases_opened_at.is_(None),
        Consultation.closes_at < bindparam("now"),
    )
    return query.where(Consultation.institution_id == bindparam("institution_id")) if of_one_institution else query


POSITIONS = (Position.ACCEPTED, Position.PARTLY_ACCEPTED, Position.NOT_ACCEPTED, Position.NOTED)


def record_position(comment: Comment, author: User, position: Position, reason: str):
    """The institution's position and reason on one comment: a response in the spine's log
    (a changed position is a correction that supersedes the earlier one)."""
    if position not in POSITIONS:
        raise ConsultationRefused(_("Choose a position."))
    if comment.case is None:
        raise ConsultationRefused(_("Positions are recorded after the consultation closes."))
    if not can_answer_cases(author, comment.case.institution):
        raise ConsultationRefused(_("This comment's case is now with another institution."))
    if comment.case.state == CaseState.NOT_EXAMINED:
        raise ConsultationRefused(_("This comment was closed as not examined; its reason is in the response log."))
    if comment.case.is_awaiting:
        return cases.answer_case(comment.case, author, position, reason)
    from participation.cases.queries import case_history

    current = [r for r in case_history(comment.case.id) if r.kind == "answer" and r.superseded_by is None]
    return cases.correct_response(current[-1], author, position, reason)


def publish_version(consultation: Consultation, author: User, source: str, note: str) -> DraftVersion:
    """The next version of the draft. Its followers are told as each chose (participation.follows; whoever commented
    follows the consultation unless they stopped)."""
    if consultation.window_state() != WindowState.CLOSED:
        raise ConsultationRefused(_("A new version is published after the consultation closes."))
    latest = max(consultation.versions, key=lambda v: v.number)
    if [(d.number, d.heading, d.text) for d in split_sections(source)] == [(s.number, s.heading, s.text) for s in latest.sections]:
        # Also what a double click would send: the same text again is not a new version.
        raise ConsultationRefused(_("This text is the same as version %(n)d.", n=latest.number))
    number = latest.number + 1
    version = DraftVersion(consultation=consultation, number=number, note=clean_plain(note), published_at=utcnow())
    db.session.add(version)
    db.session.flush()
    _write_sections(version, source)
    db.session.commit()
    return version


def add_attachment(consultation: Consultation, stream, filename: str) -> Attachment:
    from participation.consultations.attachments import store_attachment
    from participation.storage import file_storage

    stored = store_attachment(stream, filename, file_storage(), current_app.config["MAX_ATTACHMENT_BYTES"])
    attachment = Attachment(consultation_id=consultation.id, original_name=stored.original_name, stored_name=stored.stored_name,
                            kind=stored.kind, mime=stored.mime, size=stored.size)
    db.session.add(attachment)
    db.session.commit()
    return attachment
