"""Follows, notification preferences, and the items waiting for a digest (issue 18).

A follow names its subject generically (`subject_kind`, `subject_id`), so any channel can be followed once it registers
its kind in participation.follows.subjects (consultation, proposal, institution, group; co-creation processes and
websites plug in the same way). A follow is never deleted when it is stopped: `stopped_at` remembers that the person
said no, so taking part again (a comment, a support) does not silently follow it again.
"""
import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.accounts.models import User
from participation.clock import utcnow
from participation.extensions import db, enum_type


class Event(enum.StrEnum):
    """The kinds of event a person chooses how to hear about."""

    ANSWER = "answer"  # an institution answered (a proposal; all positions of a consultation)
    OPENING = "opening"  # a consultation is published for comments
    CLOSING = "closing"  # a consultation closes soon
    VERSION = "version"  # a new version of a draft
    THRESHOLD = "threshold"  # a proposal reached its collective-submission threshold
    STAGE = "stage"  # a co-creation process (or another channel with stages) moved to its next stage
    CASES_DUE = "cases_due"  # staff: the institution's cases nearing their deadline (a daily digest)


class Frequency(enum.StrEnum):
    IMMEDIATELY = "immediately"
    DAILY = "daily"
    WEEKLY = "weekly"
    NEVER = "never"


class FollowReason(enum.StrEnum):
    FOLLOWED = "followed"  # the person pressed "Follow"
    COMMENTED = "commented"
    SUBMITTED = "submitted"
    SUPPORTED = "supported"


class Follow(db.Model):
    __tablename__ = "follows"
    __table_args__ = (
        UniqueConstraint("user_id", "subject_kind", "subject_id"),
        Index("ix_follows_subject", "subject_kind", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    subject_kind: Mapped[str] = mapped_column(String(30))
    subject_id: Mapped[int] = mapped_column(Integer)
    reason: Mapped[FollowReason] = mapped_column(enum_type(FollowReason))
    stopped_at: Mapped[datetime | None] = mapped_column(doc="Unfollowed (UTC); kept so taking part does not follow again")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()

    @property
    def is_active(self) -> bool:
        return self.stopped_at is None


class NotificationPreference(db.Model):
    """How one person hears about one kind of event; no row: the default (services.DEFAULTS)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    event: Mapped[Event] = mapped_column(enum_type(Event), primary_key=True)
    frequency: Mapped[Frequency] = mapped_column(enum_type(Frequency))


class PendingNotification(db.Model):
    """One line waiting for a person's daily or weekly digest, written in their language when the event happened."""

    __tablename__ = "pending_notifications"
    __table_args__ = (Index("ix_pending_notifications_due", "frequency", "sent_at", "user_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    follow_id: Mapped[int | None] = mapped_column(ForeignKey("follows.id", ondelete="CASCADE"), index=True,
                                                  doc="Deleting a follow (an account deleted) deletes its waiting lines")
    event: Mapped[Event] = mapped_column(enum_type(Event))
    frequency: Mapped[Frequency] = mapped_column(enum_type(Frequency))
    subject_kind: Mapped[str] = mapped_column(String(30), default="")
    subject_id: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(doc="When the digest carrying it was queued in the outbox")


class NotificationEvent(db.Model):
    """An event found by a periodic sweep (a consultation closing soon, ...), remembered so it is told once."""

    __tablename__ = "notification_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
