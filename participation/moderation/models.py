"""What moderation stores: the state every moderated contribution carries (one mixin), reports, and the
append-only moderation log."""
import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, event, false
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from participation.accounts.models import User
from participation.clock import utcnow
from participation.extensions import db, enum_type


class Moderation(enum.StrEnum):
    PENDING = "pending"  # pre-moderation: public only after a moderator approves
    APPROVED = "approved"


class HideReason(enum.StrEnum):
    ABUSE = "abuse"
    PERSONAL_DATA = "personal_data"
    SPAM = "spam"
    OFF_TOPIC = "off_topic"
    ILLEGAL = "illegal"
    OTHER = "other"


class ReportReason(enum.StrEnum):
    ABUSE = "abuse"
    PERSONAL_DATA = "personal_data"
    SPAM = "spam"
    OFF_TOPIC = "off_topic"
    OTHER = "other"
    REVIEW = "review"  # the author asks for a hidden contribution to be looked at again


class ActionKind(enum.StrEnum):
    HIDE = "hide"
    RESTORE = "restore"
    APPROVE = "approve"
    DISMISS = "dismiss"
    HIGHLIGHT = "highlight"
    UNHIGHLIGHT = "unhighlight"
    OFF_TOPIC = "off_topic"
    ON_TOPIC = "on_topic"
    BLOCK = "block"
    UNBLOCK = "unblock"
    BLOCK_KEPT = "block_kept"  # an administrator reviewed a moderator's block and kept it
    VERIFY = "verify"  # an administrator confirmed a group (its contributions carry the mark)


# What the public moderation log shows; the rest stays in the internal audit log.
PUBLIC_ACTIONS = (ActionKind.HIDE, ActionKind.RESTORE)


class ModerationState:
    """What a moderated contribution's state means, for mapped rows and for plain rows read for a list alike."""

    __slots__ = ()

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_pending(self) -> bool:
        return self.moderation == Moderation.PENDING


class Moderated(ModerationState):
    """Mixed into every model that stores user text, so every channel is moderated the same way."""

    moderation: Mapped[Moderation] = mapped_column(
        enum_type(Moderation), default=Moderation.APPROVED, server_default=Moderation.APPROVED.value, index=True
    )
    hidden_at: Mapped[datetime | None] = mapped_column(doc="Hidden by a moderator (UTC); None: shown")
    hidden_reason: Mapped[str] = mapped_column(String(20), default="", server_default="")
    highlighted: Mapped[bool] = mapped_column(default=False, server_default=false(), doc="A constructive contribution, shown first")
    off_topic: Mapped[bool] = mapped_column(default=False, server_default=false())


class Report(db.Model):
    """One person's report of one contribution; open until a moderator acts on the item."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_kind: Mapped[str] = mapped_column(String(20))
    item_id: Mapped[int] = mapped_column(Integer)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[ReportReason] = mapped_column(enum_type(ReportReason))
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(index=True)

    reporter: Mapped[User] = relationship()

    __table_args__ = (db.Index("ix_reports_item", "item_kind", "item_id"),)


class ModerationAction(db.Model):
    """The append-only log: public entries (hide, restore) show what, when and why, never who or the text;
    the internal audit log shows every entry with the moderator."""

    __tablename__ = "moderation_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[ActionKind] = mapped_column(enum_type(ActionKind))
    item_kind: Mapped[str] = mapped_column(String(20), default="")
    item_id: Mapped[int | None] = mapped_column(Integer)
    target_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True, doc="Blocks: the account")
    reason: Mapped[str] = mapped_column(String(20), default="")
    note: Mapped[str] = mapped_column(Text, default="", doc="Internal: the moderator's note, never public")
    is_public: Mapped[bool] = mapped_column(default=False, index=True)
    moderator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    moderator: Mapped[User] = relationship(foreign_keys=[moderator_id])
    target_user: Mapped[User | None] = relationship(foreign_keys=[target_user_id])

    @property
    def action_label(self) -> str:
        from participation.moderation.choices import ACTIONS

        return str(ACTIONS[ActionKind(self.action)])


class ModerationLogIsAppendOnly(Exception):
    """Raised when anything tries to change or delete an entry of the moderation log."""


@event.listens_for(Session, "before_flush")
def _refuse_log_changes(session, flush_context, instances):
    for obj in session.dirty:
        if isinstance(obj, ModerationAction) and session.is_modified(obj, include_collections=False):
            raise ModerationLogIsAppendOnly("the moderation log is append-only")
    for obj in session.deleted:
        if isinstance(obj, ModerationAction):
            raise ModerationLogIsAppendOnly("the moderation log is append-only")
