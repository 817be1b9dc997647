"""Moderation actions. Every action is one function, leaves an entry in the append-only log, and never
changes anyone's words: moderators hide, restore, approve, mark and block."""
from datetime import timedelta

from flask_babel import force_locale
from participation.i18n import gettext as _
from sqlalchemy import select, update

from participation.accounts.models import User
from participation.clock import utcnow
from participation.extensions import db
from participation.moderation import registry
from participation.moderation.choices import hide_reason_label
from participation.moderation.models import ActionKind, HideReason, Moderation, ModerationAction, PUBLIC_ACTIONS, Report, ReportReason
from participation.outbox.services import send_email
from participation.security import log_moderation_action
from participation.text import clean_plain
from participation.urls import absolute_url

REPORT_TEXT_LIMIT = 1000
NOTE_LIMIT = 1000


class ModerationRefused(Exception):
    """An action that cannot be taken; the message says why, in the user's language."""


def initial_state(institution, consultation=None) -> Moderation:
    """Pre-moderation is switched on per institution, or per consultation."""
    if institution.premoderation or (consultation is not None and consultation.premoderation):
        return Moderation.PENDING
    return Moderation.APPROVED


def get_item(kind: str, item_id: int):
    channel = registry.channel(kind)
    if channel is None or not 0 < item_id <= 2_147_483_647:
        return None
    item = db.session.get(channel.model, item_id)
    return item if item is not None and channel.moderatable(item) else None


def describe(item) -> registry.ItemView:
    kind = registry.kind_of(item)
    return registry.channel(kind).describe([item.id])[item.id]


def _record(action: ActionKind, moderator: User, item=None, reason: str = "", note: str = "", target: User | None = None) -> ModerationAction:
    entry = ModerationAction(
        action=action,
        item_kind=registry.kind_of(item) if item is not None else "",
        item_id=item.id if item is not None else None,
        target_user=target,
        reason=reason,
        note=clean_plain(note, NOTE_LIMIT),
        is_public=action in PUBLIC_ACTIONS,
        moderator=moderator,
    )
    db.session.add(entry)
    if item is not None:
        log_moderation_action(action.value, entry.item_kind, item.id, actor=moderator, reason=reason)
    else:
        log_moderation_action(action.value, "user", target.id, actor=moderator, reason=reason)
    return entry


def _open_reports_of(item) -> tuple:
    """The conditions that pick an item's open reports (reports and review requests alike)."""
    return Report.item_kind == registry.kind_of(item), Report.item_id == item.id, Report.resolved_at.is_(None)


def _resolve_reports(item) -> None:
    db.session.execute(
        update(Report).where(*_open_reports_of(item)).values(resolved_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def open_reports(item) -> list[Report]:
    return list(db.session.scalars(select(Report).where(*_open_reports_of(item)).order_by(Report.id)))


# --- residents -------------------------------------------------------------------------------------------


def report(item, reporter: User, reason: ReportReason, text: str = "") -> Report:
    """Report a contribution; one open report per person and item (a second one is taken as the same)."""
    if reason == ReportReason.REVIEW:
        raise ModerationRefused(_("Choose a reason."))
    if item.is_hidden or item.is_pending:  # only what is shown can be reported (issue 14, item 7)
        raise ModerationRefused(_("This contribution is not public, so it cannot be reported."))
    existing = db.session.scalar(select(Report).where(*_open_reports_of(item), Report.reporter_id == reporter.id))
    if existing is not None:
        return existing
    entry = Report(item_kind=registry.kind_of(item), item_id=item.id, reporter=reporter, reason=reason,
                   text=clean_plain(text, REPORT_TEXT_LIMIT))
    db.session.add(entry)
    db.session.commit()
    return entry


def request_review(item, author: User, text: str) -> Report:
    """The author of a hidden contribution asks for another look: it goes back to the moderators' queue."""
    if not item.is_hidden or item.author_id != author.id:
        raise ModerationRefused(_("Only the author of a hidden contribution can ask for a review."))
    text = clean_plain(text, REPORT_TEXT_LIMIT)
    if not text:
        raise ModerationRefused(_("Write why the contribution should be shown again."))
    existing = db.session.scalar(
        select(Report).where(*_open_reports_of(item), Report.reporter_id == author.id, Report.reason == ReportReason.REVIEW)
    )
    if existing is not None:
        raise ModerationRefused(_("You have already asked for a review; a moderator will answer."))
    entry = Report(item_kind=registry.kind_of(item), item_id=item.id, reporter=author, reason=ReportReason.REVIEW, text=text)
    db.session.add(entry)
    db.session.commit()
    return entry


# --- moderators ------------------------------------------------------------------------------------------


def hide(item, moderator: User, reason: HideReason, note: str = "") -> None:
    """Replace the contribution for everyone by a notice with the reason; tell the author by e-mail."""
    if item.is_hidden:
        raise ModerationRefused(_("This contribution is already hidden."))
    item.hidden_at = utcnow()
    item.hidden_reason = HideReason(reason).value
    registry.channel(registry.kind_of(item)).on_visibility_changed(item)
    _resolve_reports(item)
    _record(ActionKind.HIDE, moderator, item, reason=item.hidden_reason, note=note)
    view = describe(item)
    author = db.session.get(User, item.author_id)
    with force_locale(author.locale):
        send_email(
            author.email,
            _("Your contribution was hidden by a moderator"),
            _("A moderator hid your contribution (%(label)s, %(context)s).\n\nReason: %(reason)s\n\n"
              "You can still read it here, and ask for a review if you think this is a mistake:\n%(link)s",
              label=view.label, context=view.context, reason=hide_reason_label(item.hidden_reason),
              link=absolute_url("moderation.review", kind=view.kind, item_id=item.id)),
        )
    db.session.commit()


def restore(item, moderator: User, note: str = "") -> None:
    if not item.is_hidden:
        raise ModerationRefused(_("This contribution is not hidden."))
    item.hidden_at = None
    item.hidden_reason = ""
    registry.channel(registry.kind_of(item)).on_visibility_changed(item)
    _resolve_reports(item)
    _record(ActionKind.RESTORE, moderator, item, note=note)
    db.session.commit()


def approve(item, moderator: User, note: str = "") -> None:
    """Pre-moderation: make a waiting contribution public, and let its channel do what follows."""
    if not item.is_pending:
        raise ModerationRefused(_("This contribution is not waiting for moderation."))
    item.moderation = Moderation.APPROVED
    registry.channel(registry.kind_of(item)).on_approved(item)
    _record(ActionKind.APPROVE, moderator, item, note=note)
    db.session.commit()


def dismiss(item, moderator: User, note: str = "") -> None:
    """The reports do not call for action: they leave the queue, the contribution stays as it is."""
    if not open_reports(item):
        raise ModerationRefused(_("There are no open reports on this contribution."))
    _resolve_reports(item)
    _record(ActionKind.DISMISS, moderator, item, note=note)
    db.session.commit()


def _mark(item, moderator: User, attribute: str, on: bool, actions: tuple[ActionKind, ActionKind], note: str) -> None:
    if item.is_hidden or item.is_pending:
        raise ModerationRefused(_("Only a shown contribution can be highlighted or marked."))
    setattr(item, attribute, on)
    _record(actions[0] if on else actions[1], moderator, item, note=note)
    db.session.commit()


def set_highlight(item, moderator: User, on: bool, note: str = "") -> None:
    """A constructive contribution is shown first and marked."""
    _mark(item, moderator, "highlighted", on, (ActionKind.HIGHLIGHT, ActionKind.UNHIGHLIGHT), note)


def set_off_topic(item, moderator: User, on: bool, note: str = "") -> None:
    """Marked, and shown after the others."""
    _mark(item, moderator, "off_topic", on, (ActionKind.OFF_TOPIC, ActionKind.ON_TOPIC), note)


def block(user: User, moderator: User, days: int, reason: HideReason, note: str = "") -> None:
    """Block an account for a number of days, or for good (0): it can read but not write."""
    if days < 0 or days > 3650:
        raise ModerationRefused(_("Choose how long the block lasts."))
    now = utcnow()
    user.blocked_at = now
    user.blocked_until = now + timedelta(days=days) if days else None
    user.block_reason = HideReason(reason).value
    _record(ActionKind.BLOCK, moderator, reason=user.block_reason, note=note, target=user)
    db.session.commit()


def record_action(action: ActionKind, moderator: User, item=None, note: str = "") -> ModerationAction:
    """An entry of the log for an action a channel takes itself (e.g. confirming a group); the caller commits."""
    return _record(action, moderator, item, note=note)


def keep_block(user: User, admin: User, note: str = "") -> None:
    """An administrator reviewed a moderator's block of a resident and keeps it (the audit log says so)."""
    if not user.is_blocked():
        raise ModerationRefused(_("This account is not blocked."))
    _record(ActionKind.BLOCK_KEPT, admin, note=note, target=user)
    db.session.commit()


def unblock(user: User, moderator: User, note: str = "") -> None:
    if user.blocked_at is None:
        raise ModerationRefused(_("This account is not blocked."))
    user.blocked_at = None
    user.blocked_until = None
    user.block_reason = ""
    _record(ActionKind.UNBLOCK, moderator, note=note, target=user)
    db.session.commit()
