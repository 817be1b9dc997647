"""The periodic work of follows: sweeps that find events nobody's request causes (a consultation closing soon, every
comment of a consultation answered), the daily and weekly digests, and staff's daily digest of cases nearing their
deadline. participation.follows.tasks runs them on the job queue; `flask follows ...` runs them by hand.

Each sends a fixed number of queries whatever the number of people, and is safe to run twice: a swept event is
claimed once (NotificationEvent), a digest line is marked sent, and staff's digest is claimed once per day.
"""
from datetime import date, timedelta
from itertools import groupby

from flask import current_app
from flask_babel import force_locale
from participation.i18n import gettext as _
from participation.i18n import ngettext
from sqlalchemy import String, cast, exists, literal, select

from participation.accounts.models import User
from participation.cases.calendar import add_working_days
from participation.cases.models import AWAITING_STATES, Case
from participation.clock import riga_today, utcnow
from participation.dates import format_day
from participation.extensions import db
from participation.follows import subjects as subject_registry
from participation.follows.models import (
    Event,
    Follow,
    Frequency,
    NotificationEvent,
    NotificationPreference,
    PendingNotification,
)
from participation.follows.services import DEFAULTS, Notice, Unsubscription, claim_event, notify, send_email, unsubscribe_url
from participation.institutions.models import Membership, StaffRole
from participation.urls import absolute_url


# --- sweeps ------------------------------------------------------------------------------------------------------


def sweep_closing_soon() -> int:
    """Followers of a consultation whose window ends within FOLLOWS_CLOSING_SOON_HOURS are told once (again after an
    extension moves the close). Returns how many consultations were announced."""
    from participation.consultations.models import Consultation

    now = utcnow()
    soon = now + timedelta(hours=current_app.config["FOLLOWS_CLOSING_SOON_HOURS"])
    consultations = db.session.scalars(
        select(Consultation).where(Consultation.published_at.is_not(None), Consultation.opens_at <= now,
                                   Consultation.closes_at > now, Consultation.closes_at <= soon).order_by(Consultation.id)
    ).all()
    announced = 0
    for consultation in consultations:
        if not claim_event(f"closing:{consultation.id}:{consultation.closes_at:%Y%m%d%H%M}"):
            continue
        link = absolute_url("consultations.show", consultation_id=consultation.id)

        def message(consultation=consultation, link=link):
            closes = format_day(consultation.closes_at, "dative")
            return Notice(
                _("\"%(title)s\" closes for comments soon", title=consultation.title),
                _("Comments on \"%(title)s\" are accepted until %(closes)s (the end of the day, Riga time).\n\n"
                  "Read it and comment: %(link)s", title=consultation.title, closes=closes, link=link),
                _("\"%(title)s\": comments until %(closes)s", title=consultation.title, closes=closes),
            )

        notify([("consultation", consultation)], Event.CLOSING, message, link=link)
        announced += 1
    db.session.commit()
    return announced


def sweep_answered_consultations() -> int:
    """When every comment of a closed consultation has the institution's position, its followers are told once."""
    from participation.consultations.models import Consultation

    announced_key = literal("answered:") + cast(Consultation.id, String)
    consultations = db.session.scalars(
        select(Consultation).where(Consultation.cases_opened_at.is_not(None), Consultation.positions_waiting == 0,
                                   Consultation.comment_count > Consultation.hidden_count,
                                   ~exists().where(NotificationEvent.key == announced_key))  # not told before
        .order_by(Consultation.id)
    ).all()
    announced = 0
    for consultation in consultations:
        if not claim_event(f"answered:{consultation.id}"):
            continue
        link = absolute_url("consultations.summary", consultation_id=consultation.id)

        def message(consultation=consultation, link=link):
            return Notice(
                _("Every comment on \"%(title)s\" is answered", title=consultation.title),
                _("%(institution)s has published its position, with the reasons, on every comment on \"%(title)s\". "
                  "The summary table: %(link)s", institution=consultation.institution.name, title=consultation.title,
                  link=link),
            )

        notify([("consultation", consultation), ("institution", consultation.institution)], Event.ANSWER, message,
               link=link)
        announced += 1
    db.session.commit()
    return announced


# --- digests -----------------------------------------------------------------------------------------------------


def send_digests(frequency: Frequency) -> int:
    """One e-mail per person with the lines kept for their `frequency` digest (lines of a follow stopped since, or
    about something hidden since, are left out). Returns how many e-mails were queued."""
    rows = db.session.execute(
        select(PendingNotification, User)
        .join(User, User.id == PendingNotification.user_id)
        .outerjoin(Follow, Follow.id == PendingNotification.follow_id)
        .where(PendingNotification.frequency == frequency, PendingNotification.sent_at.is_(None))
        .order_by(PendingNotification.user_id, PendingNotification.id)
    ).all()
    now = utcnow()
    stopped = set(db.session.scalars(
        select(Follow.id).where(Follow.id.in_({item.follow_id for item, _person in rows if item.follow_id}),
                                Follow.stopped_at.is_not(None)))) if rows else set()
    # A subject hidden or withdrawn since the line was written is left out (one query per kind of subject).
    subjects = subject_registry.load_many((item.subject_kind, item.subject_id) for item, _person in rows)

    def still_public(item) -> bool:
        if not item.subject_kind:
            return True
        return subject_registry.is_public(item.subject_kind, subjects.get((item.subject_kind, item.subject_id)))

    sent = 0
    for _user_id, group in groupby(rows, key=lambda row: row[1].id):
        group = list(group)
        person = group[0][1]
        items = [item for item, _person in group if item.follow_id not in stopped and still_public(item)]
        for item, _person in group:
            item.sent_at = now
        if not items:
            continue
        with force_locale(person.locale):
            if frequency == Frequency.DAILY:
                subject = ngettext("Your daily digest: %(num)d item", "Your daily digest: %(num)d items", len(items))
            else:
                subject = ngettext("Your weekly digest: %(num)d item", "Your weekly digest: %(num)d items", len(items))
            lines = [_("News from what you follow:")]
            lines += [f"• {item.text}\n  {item.link}" if item.link else f"• {item.text}" for item in items]
            send_email(person.email, subject, "\n\n".join(lines),
                       unsubscribe_url(Unsubscription("digest", person.id, frequency=frequency)))
        sent += 1
    db.session.commit()
    return sent


def cases_due_by() -> date:
    """The last due day that counts as "nearing": FOLLOWS_DEADLINE_WORKING_DAYS working days from today (Riga)."""
    return add_working_days(riga_today(), current_app.config["FOLLOWS_DEADLINE_WORKING_DAYS"])


def send_deadline_digests() -> int:
    """Staff who answer cases (responders, institution administrators) get one e-mail a day listing their
    institutions' cases still awaiting an answer that are overdue or due within the next few working days, unless they
    chose never. Runs once per Riga day. Returns how many e-mails were queued."""
    today = riga_today()
    if not claim_event(f"cases_due:{today.isoformat()}"):
        db.session.commit()
        return 0
    limit = cases_due_by()
    cases = db.session.scalars(
        select(Case).where(Case.state.in_(AWAITING_STATES), Case.due_on <= limit)
        .order_by(Case.institution_id, Case.due_on, Case.id)
    ).all()
    by_institution: dict[int, list[Case]] = {}
    for case in cases:
        by_institution.setdefault(case.institution_id, []).append(case)
    if not by_institution:
        db.session.commit()
        return 0
    staff = db.session.execute(
        select(Membership, User).join(User, User.id == Membership.user_id)
        .where(Membership.institution_id.in_(by_institution), Membership.role.in_((StaffRole.RESPONDER, StaffRole.ADMIN)),
               User.email_verified_at.is_not(None))
        .order_by(User.id, Membership.institution_id)
    ).all()
    chosen = {p.user_id: p.frequency for p in db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id.in_({person.id for _m, person in staff}),
                                             NotificationPreference.event == Event.CASES_DUE))} if staff else {}
    shown = current_app.config["FOLLOWS_DIGEST_CASES_SHOWN"]
    sent = 0
    for _user_id, group in groupby(staff, key=lambda row: row[1].id):
        group = list(group)
        person = group[0][1]
        if chosen.get(person.id, DEFAULTS[Event.CASES_DUE]) == Frequency.NEVER:
            continue
        institutions = list(dict.fromkeys(membership.institution for membership, _person in group))
        total = sum(len(by_institution[i.id]) for i in institutions)
        with force_locale(person.locale):
            parts = [_("Cases still awaiting an answer that are overdue or due by %(date)s:", date=format_day(limit, "dative"))]
            for institution in institutions:
                waiting = by_institution[institution.id]
                block = [f"{institution.name} — {absolute_url('cases.inbox', slug=institution.slug)}"]
                for case in waiting[:shown]:
                    due = _("overdue since %(date)s", date=format_day(case.due_on, "genitive")) if case.due_on < today \
                        else _("due by %(date)s", date=format_day(case.due_on, "dative"))
                    block.append(f"• {case.number} \"{case.title}\" — {due}\n  {absolute_url('cases.show', case_id=case.id)}")
                if len(waiting) > shown:
                    block.append(ngettext("… and %(num)d more in the inbox", "… and %(num)d more in the inbox", len(waiting) - shown))
                parts.append("\n".join(block))
            send_email(person.email,
                       _("Cases overdue or to answer soon: %(num)d", num=total),
                       "\n\n".join(parts), unsubscribe_url(Unsubscription("event", person.id, event=Event.CASES_DUE)))
        sent += 1
    db.session.commit()
    return sent
