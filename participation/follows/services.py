"""Following things, choosing how to hear about them, and telling followers: immediately, in a digest, or not at all.

The one function other channels call is `notify`:

    from participation.follows.services import Notice, notify
    from participation.follows.models import Event

    notify([("cocreation", process)], Event.STAGE,
           lambda: Notice(_("\"%(title)s\" moved to drafting", title=process.title),
                          _("The co-creation of \"%(title)s\" is now in drafting: ...", title=process.title)),
           link=absolute_url("cocreation.show", process_id=process.id))

in the transaction of the change (nothing is told if it rolls back). `message` is called once per recipient inside
their language (force_locale), so every text is written with gettext there. Each active follower of any of the
subjects (most specific first; one message per person) is then told as they chose for that kind of event: an e-mail in
the outbox now, with a one-click unsubscribe link for the follow that brought it; a line kept for the daily or weekly
digest (participation.follows.tasks); or nothing. A subject nobody may see (a draft, a hidden group) is told about to
no one.
"""
import inspect
from dataclasses import dataclass
from typing import Callable, Iterable

from flask import current_app
from flask_babel import force_locale
from participation.i18n import gettext as _
from participation.i18n import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from participation.accounts.models import User
from participation.clock import utcnow
from participation.extensions import db
from participation.follows import subjects as subject_registry
from participation.follows.models import (
    Event,
    Follow,
    FollowReason,
    Frequency,
    NotificationEvent,
    NotificationPreference,
    PendingNotification,
)
from participation.outbox import services as outbox
from participation.urls import absolute_url

# How a person hears about each kind of event until they choose.
DEFAULTS: dict[Event, Frequency] = {
    Event.ANSWER: Frequency.IMMEDIATELY,
    Event.OPENING: Frequency.DAILY,
    Event.CLOSING: Frequency.IMMEDIATELY,
    Event.VERSION: Frequency.IMMEDIATELY,
    Event.THRESHOLD: Frequency.IMMEDIATELY,
    Event.STAGE: Frequency.IMMEDIATELY,
    Event.CASES_DUE: Frequency.DAILY,
}
RESIDENT_EVENTS = (Event.ANSWER, Event.OPENING, Event.CLOSING, Event.VERSION, Event.THRESHOLD, Event.STAGE)
STAFF_EVENTS = (Event.CASES_DUE,)
CHOICES: dict[Event, tuple[Frequency, ...]] = {
    event: (Frequency.IMMEDIATELY, Frequency.DAILY, Frequency.WEEKLY, Frequency.NEVER) for event in RESIDENT_EVENTS
}
CHOICES[Event.CASES_DUE] = (Frequency.DAILY, Frequency.NEVER)

EVENT_LABELS = {
    Event.ANSWER: _l("An institution answers (a proposal, or every comment of a consultation)"),
    Event.OPENING: _l("A consultation is published for comments"),
    Event.CLOSING: _l("A consultation closes soon"),
    Event.VERSION: _l("A new version of a draft is published"),
    Event.THRESHOLD: _l("A proposal reaches its number of supporters"),
    Event.STAGE: _l("A co-creation process moves to its next stage"),
    Event.CASES_DUE: _l("Cases of my institution nearing their deadline"),
}
FREQUENCY_LABELS = {
    Frequency.IMMEDIATELY: _l("Immediately"),
    Frequency.DAILY: _l("In a daily digest"),
    Frequency.WEEKLY: _l("In a weekly digest"),
    Frequency.NEVER: _l("Never"),
}
REASON_LABELS = {
    FollowReason.FOLLOWED: _l("you follow it"),
    FollowReason.COMMENTED: _l("you commented"),
    FollowReason.SUBMITTED: _l("you submitted it"),
    FollowReason.SUPPORTED: _l("you support it"),
}


class FollowRefused(Exception):
    pass


@dataclass(frozen=True)
class Notice:
    """What one person is told: the e-mail's subject and body, and (optional) the digest's line (default: subject)."""

    subject: str
    body: str
    line: str = ""


# --- following ---------------------------------------------------------------------------------------------------


def follow_of(user, kind: str, subject_id: int) -> Follow | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(Follow).where(Follow.user_id == user.id, Follow.subject_kind == kind, Follow.subject_id == subject_id)
    )


def is_following(user, kind: str, subject_id: int) -> bool:
    found = follow_of(user, kind, subject_id)
    return found is not None and found.is_active


def follow(user: User, kind: str, subject_id: int) -> Follow:
    """The person presses "Follow" (again): an active follow, whatever they did before."""
    from participation.follows.permissions import can_follow

    item = subject_registry.load(kind, subject_id)
    if item is None or not can_follow(user, kind, item):
        raise FollowRefused(_("This cannot be followed."))
    _insert_follows([(user.id, kind, subject_id, FollowReason.FOLLOWED)])
    existing = follow_of(user, kind, subject_id)
    existing.stopped_at = None
    db.session.commit()
    return existing


def unfollow(follow_row: Follow) -> None:
    if follow_row.stopped_at is None:
        follow_row.stopped_at = utcnow()
    db.session.commit()


def unfollow_subject(user: User, kind: str, subject_id: int) -> bool:
    existing = follow_of(user, kind, subject_id)
    if existing is None or not existing.is_active:
        return False
    unfollow(existing)
    return True


def _insert_follows(rows: Iterable[tuple[int, str, int, FollowReason]]) -> None:
    """Insert follows that are not there yet, in one statement; a row that exists (even stopped) is left as it is, so
    an unfollow sticks. INSERT ... ON CONFLICT DO NOTHING: two requests at once never fail on the unique key."""
    values = [{"user_id": u, "subject_kind": k, "subject_id": s, "reason": r.value, "created_at": utcnow()}
              for u, k, s, r in dict.fromkeys(rows)]
    if not values:
        return
    connection = db.session.connection()
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = insert(Follow.__table__).values(values).on_conflict_do_nothing(
        index_elements=["user_id", "subject_kind", "subject_id"]
    )
    connection.execute(statement)


def auto_follow(rows: Iterable[tuple[int, str, int, FollowReason]]) -> None:
    """What a person comments on, submits or supports is followed (in the caller's transaction), unless they have
    unfollowed it before."""
    _insert_follows(rows)


def follows_page(user: User, page: int, per_page: int = 20):
    """The person's active follows, newest first, with their subjects (a fixed number of queries)."""
    result = db.paginate(
        select(Follow).where(Follow.user_id == user.id, Follow.stopped_at.is_(None)).order_by(Follow.id.desc()),
        page=page, per_page=per_page, error_out=False,
    )
    found = subject_registry.load_many((f.subject_kind, f.subject_id) for f in result.items)
    rows = []
    for row in result.items:
        item = found.get((row.subject_kind, row.subject_id))
        visible = item is not None and subject_registry.is_public(row.subject_kind, item)
        rows.append({
            "follow": row,
            "label": subject_registry.SUBJECTS[row.subject_kind].label() if row.subject_kind in subject_registry.SUBJECTS else row.subject_kind,
            "title": subject_registry.title_of(row.subject_kind, item) if visible else None,
            "url": subject_registry.url_of(row.subject_kind, item) if visible else None,
        })
    return result, rows


# --- preferences -------------------------------------------------------------------------------------------------


def preferences_of(user_id: int) -> dict[Event, Frequency]:
    chosen = {p.event: p.frequency for p in db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id == user_id))}
    return {event: chosen.get(event, DEFAULTS[event]) for event in Event}


def set_preferences(user: User, choices: dict[Event, Frequency], commit: bool = True) -> None:
    current = {p.event: p for p in db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id == user.id))}
    for event, frequency in choices.items():
        if frequency not in CHOICES[event]:
            raise FollowRefused(_("Choose how often."))
        if event in current:
            current[event].frequency = frequency
        else:
            db.session.add(NotificationPreference(user_id=user.id, event=event, frequency=frequency))
    if commit:
        db.session.commit()


# --- one-click unsubscribe (RFC 8058) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Unsubscription:
    """What a signed link stops: one follow ("follow"), one digest ("digest") or one kind of e-mail ("event")."""

    what: str
    user_id: int
    follow_id: int | None = None
    frequency: Frequency | None = None
    event: Event | None = None


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="follows.unsubscribe")


def unsubscribe_token(unsubscription: Unsubscription) -> str:
    if unsubscription.what == "follow":
        payload = ["f", unsubscription.user_id, unsubscription.follow_id]
    elif unsubscription.what == "digest":
        payload = ["d", unsubscription.user_id, unsubscription.frequency.value]
    else:
        payload = ["e", unsubscription.user_id, unsubscription.event.value]
    return _serializer().dumps(payload)


def unsubscribe_url(unsubscription: Unsubscription) -> str:
    return absolute_url("follows.unsubscribe", token=unsubscribe_token(unsubscription))


def follow_unsubscribe_url(follow_row: Follow) -> str:
    return unsubscribe_url(Unsubscription("follow", follow_row.user_id, follow_id=follow_row.id))


def read_unsubscribe_token(token: str) -> Unsubscription | None:
    """The signed link's meaning, or None (forged, changed, or of a follow that is no longer its person's)."""
    try:
        payload = _serializer().loads(token)
    except (BadSignature, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(payload, list) or len(payload) != 3 or not isinstance(payload[1], int):
        return None
    kind, user_id, value = payload
    try:
        if kind == "f" and isinstance(value, int):
            return Unsubscription("follow", user_id, follow_id=value)
        if kind == "d":
            return Unsubscription("digest", user_id, frequency=Frequency(value))
        if kind == "e":
            return Unsubscription("event", user_id, event=Event(value))
    except ValueError:
        return None
    return None


def describe_unsubscription(unsubscription: Unsubscription) -> dict | None:
    """What the page says the button stops; None when there is nothing (any more) of that person's to stop."""
    if db.session.get(User, unsubscription.user_id) is None:
        return None
    if unsubscription.what == "follow":
        row = db.session.get(Follow, unsubscription.follow_id)
        if row is None or row.user_id != unsubscription.user_id:
            return None
        item = subject_registry.load(row.subject_kind, row.subject_id)
        title = subject_registry.title_of(row.subject_kind, item) if item is not None and subject_registry.is_public(row.subject_kind, item) else ""
        return {"follow": row, "title": title, "active": row.is_active}
    if unsubscription.what == "digest":
        preferences = preferences_of(unsubscription.user_id)
        return {"frequency": unsubscription.frequency,
                "active": any(f == unsubscription.frequency for f in preferences.values())}
    return {"event": unsubscription.event,
            "active": preferences_of(unsubscription.user_id)[unsubscription.event] != Frequency.NEVER}


def apply_unsubscription(unsubscription: Unsubscription) -> bool:
    """Stop exactly what the link names, for its person only. Returns False when the link names nothing of theirs."""
    if db.session.get(User, unsubscription.user_id) is None:
        return False
    if unsubscription.what == "follow":
        row = db.session.get(Follow, unsubscription.follow_id)
        if row is None or row.user_id != unsubscription.user_id:
            return False
        unfollow(row)
        return True
    user = db.session.get(User, unsubscription.user_id)
    if unsubscription.what == "digest":
        preferences = preferences_of(user.id)
        set_preferences(user, {e: Frequency.NEVER for e, f in preferences.items()
                               if f == unsubscription.frequency and Frequency.NEVER in CHOICES[e]})
        return True
    set_preferences(user, {unsubscription.event: Frequency.NEVER})
    return True


# --- telling followers -------------------------------------------------------------------------------------------


def send_email(recipient: str, subject: str, body: str, unsubscribe_url: str) -> None:
    """Into the outbox with the one-click unsubscribe link: where the outbox takes it, in the List-Unsubscribe and
    List-Unsubscribe-Post headers (RFC 8058) and its footer; else in the body. The body ends with where to choose."""
    body = "\n\n".join((body, _("Choose how you hear from us: %(link)s", link=absolute_url("follows.settings"))))
    if "unsubscribe_url" in inspect.signature(outbox.send_email).parameters:
        outbox.send_email(recipient, subject, body, unsubscribe_url=unsubscribe_url)
    else:  # an outbox without headers: the link goes in the body
        outbox.send_email(recipient, subject, "\n\n".join((body, _("To stop these e-mails with one click: %(link)s",
                                                                     link=unsubscribe_url))))


def notify(subjects, event: Event, message: Callable[[], Notice], *, link: str = "", exclude: Iterable[int] = ()) -> int:
    """Tell the followers of `subjects` ([(kind, item), ...], most specific first) about `event`, each as they chose.
    Call it inside the transaction of the change. Returns how many people were told or had a digest line kept."""
    subjects = [(kind, item) for kind, item in subjects if item is not None and subject_registry.is_public(kind, item)]
    if not subjects:
        return 0
    excluded = set(exclude)
    conditions = [(Follow.subject_kind == kind) & (Follow.subject_id == item.id) for kind, item in subjects]
    order = {(kind, item.id): n for n, (kind, item) in enumerate(subjects)}
    rows = db.session.execute(
        select(Follow, User).join(User, User.id == Follow.user_id)
        .where(db.or_(*conditions), Follow.stopped_at.is_(None), User.email_verified_at.is_not(None))
    ).all()
    chosen: dict[int, tuple[Follow, User]] = {}
    for row, person in sorted(rows, key=lambda r: (order[(r[0].subject_kind, r[0].subject_id)], r[0].id)):
        if person.id not in excluded:
            chosen.setdefault(person.id, (row, person))
    if not chosen:
        return 0
    preferences = {(p.user_id, p.event): p.frequency for p in db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id.in_(chosen), NotificationPreference.event == event))}
    told = 0
    for person_id, (row, person) in chosen.items():
        frequency = preferences.get((person_id, event), DEFAULTS[event])
        if frequency == Frequency.NEVER:
            continue
        with force_locale(person.locale):
            notice = message()
            if frequency == Frequency.IMMEDIATELY:
                send_email(person.email, notice.subject, notice.body, follow_unsubscribe_url(row))
            else:
                db.session.add(PendingNotification(
                    user_id=person.id, follow_id=row.id, event=event, frequency=frequency, subject_kind=row.subject_kind,
                    subject_id=row.subject_id, text=str(notice.line or notice.subject), link=link[:500]))
        told += 1
    return told


def tell_supporters(proposal, user_ids: Iterable[int], event: Event, message: Callable[[], Notice], *, link: str = "") -> int:
    """The supporters who asked for e-mail about a proposal (Support.notify): a notification like any other, so each
    hears through their follow of the proposal, as they chose for `event`, and every e-mail carries the one-click
    unsubscribe (List-Unsubscribe, RFC 8058). The follow is made now where it is missing (a support older than follows,
    or moved onto this proposal by a merge); a follow they stopped (unsubscribed, unfollowed) stays silent. The body is
    the proposal's own notice, unchanged: the unsubscribe link and its words are in the footer. Returns how many were
    told or had a digest line kept."""
    ids = set(user_ids)
    if not ids:
        return 0
    _insert_follows([(user_id, "proposal", proposal.id, FollowReason.SUPPORTED) for user_id in sorted(ids)])
    rows = db.session.execute(
        select(Follow, User).join(User, User.id == Follow.user_id)
        .where(Follow.subject_kind == "proposal", Follow.subject_id == proposal.id, Follow.user_id.in_(ids),
               Follow.stopped_at.is_(None), User.email_verified_at.is_not(None), User.deleted_at.is_(None))
        .order_by(User.id)
    ).all()
    preferences = {p.user_id: p.frequency for p in db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id.in_(ids), NotificationPreference.event == event))}
    told = 0
    for row, person in rows:
        frequency = preferences.get(person.id, DEFAULTS[event])
        if frequency == Frequency.NEVER:
            continue
        with force_locale(person.locale):
            notice = message()
            if frequency == Frequency.IMMEDIATELY:
                outbox.send_email(person.email, notice.subject, notice.body, unsubscribe_url=follow_unsubscribe_url(row))
            else:
                db.session.add(PendingNotification(
                    user_id=person.id, follow_id=row.id, event=event, frequency=frequency, subject_kind="proposal",
                    subject_id=proposal.id, text=str(notice.line or notice.subject), link=link[:500]))
        told += 1
    return told


def claim_event(key: str) -> bool:
    """Remember a swept event once (a consultation closing soon, ...): True the first time, False after."""
    connection = db.session.connection()
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    result = connection.execute(
        insert(NotificationEvent.__table__).values(key=key[:120], created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["key"]).returning(NotificationEvent.__table__.c.id)
    )
    return result.first() is not None  # (rowcount is not reliable here under psycopg)
