"""Draft-document consultations: the draft and its versions split into sections, the comment window
and its extensions, comments with replies, and attachments."""
import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.accounts.models import User
from participation.cases.models import Case
from participation.clock import utcnow
from participation.extensions import db, enum_type
from participation.groups.models import Group
from participation.institutions.models import Institution
from participation.moderation.models import Moderated
from participation.text import html_column, keeps_html, policy_column


class ConsultationKind(enum.StrEnum):
    DEVELOPMENT_PLAN = "development_plan"
    LAW_DRAFT = "law_draft"
    CABINET_REGULATION = "cabinet_regulation"
    MUNICIPAL_REGULATION = "municipal_regulation"
    OTHER = "other"


class WindowState(enum.StrEnum):
    UNPUBLISHED = "unpublished"
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"


class Consultation(db.Model):
    __tablename__ = "consultations"

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True)
    title: Mapped[str] = mapped_column(String(255))
    kind: Mapped[ConsultationKind] = mapped_column(enum_type(ConsultationKind, 30), index=True)
    policy_area: Mapped[str] = mapped_column(String(40), default="", index=True)
    territory: Mapped[str] = mapped_column(String(80), default="")
    official_name: Mapped[str] = mapped_column(String(120), default="", doc="The responsible official")
    official_contact: Mapped[str] = mapped_column(String(200), default="")
    problem: Mapped[str] = mapped_column(Text, default="")
    goal: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="", doc="Plain-language summary, required before opening")
    opens_at: Mapped[datetime | None] = mapped_column(index=True, doc="UTC")
    closes_at: Mapped[datetime | None] = mapped_column(index=True, doc="UTC; only ever moved later once published")
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    premoderation: Mapped[bool] = mapped_column(
        default=False, server_default=false(), doc="Comments are public only after a moderator approves"
    )
    cases_opened_at: Mapped[datetime | None] = mapped_column(doc="When the closing step opened a case per comment")
    comment_count: Mapped[int] = mapped_column(
        default=0, server_default="0", doc="Top-level comments, kept by services.count_comment (never counted per page)"
    )
    hidden_count: Mapped[int] = mapped_column(
        default=0, server_default="0",
        doc="Counted top-level comments a moderator hid (kept by services.count_hidden): public totals leave them out",
    )
    positions_waiting: Mapped[int] = mapped_column(
        default=0, server_default="0",
        doc="Top-level comments still without a position (nor closed as not examined), kept by services.count_comment "
            "and services.count_position: the summary table reads it instead of counting rows",
    )
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    institution: Mapped[Institution] = relationship()
    versions: Mapped[list["DraftVersion"]] = relationship(back_populates="consultation", order_by="DraftVersion.number")

    def window_state(self, now: datetime | None = None) -> WindowState:
        """Scheduled, open or closed, decided by the server clock (never stored)."""
        now = now or utcnow()
        if self.published_at is None or self.opens_at is None or self.closes_at is None:
            return WindowState.UNPUBLISHED
        if now < self.opens_at:
            return WindowState.SCHEDULED
        if now <= self.closes_at:
            return WindowState.OPEN
        return WindowState.CLOSED

    @property
    def state(self) -> WindowState:
        return self.window_state()


class DraftVersion(db.Model):
    __tablename__ = "draft_versions"
    __table_args__ = (UniqueConstraint("consultation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="", doc="What changed, in the institution's words")
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    consultation: Mapped[Consultation] = relationship(back_populates="versions")
    sections: Mapped[list["Section"]] = relationship(back_populates="version", order_by="Section.position")


class Section(db.Model):
    """A numbered point, heading or annex of one version of the draft."""

    __tablename__ = "sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("draft_versions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(20), default="")
    heading: Mapped[str] = mapped_column(String(255), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    comment_count: Mapped[int] = mapped_column(
        default=0, server_default="0", doc="Top-level comments on it, kept by services.count_comment"
    )
    hidden_count: Mapped[int] = mapped_column(
        default=0, server_default="0", doc="Of those, the ones a moderator hid (services.count_hidden)"
    )

    version: Mapped[DraftVersion] = relationship(back_populates="sections")

    @property
    def label(self) -> str:
        return section_label(self.number, self.heading, self.text)

    @property
    def choice_label(self) -> str:
        return section_choice_label(self.number, self.heading, self.text)

    @property
    def key(self) -> str:
        """What matches a section across versions: its number, else its heading."""
        return self.number or self.heading


class WindowExtension(db.Model):
    """A public record of moving the closing time later."""

    __tablename__ = "window_extensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    previous_closes_at: Mapped[datetime]
    new_closes_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


@keeps_html("text")
class Comment(Moderated, db.Model):
    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id"), index=True, doc="None: the whole draft")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"), index=True, doc="A reply in a thread")
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"))
    represents: Mapped[str] = mapped_column(String(200), default="", doc="An organisation the author speaks for")
    show_name: Mapped[bool] = mapped_column(default=True)
    text: Mapped[str] = mapped_column(Text)
    text_html: Mapped[str | None] = html_column()
    html_policy: Mapped[int | None] = policy_column()
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), unique=True)
    submission_key: Mapped[str | None] = mapped_column(
        String(64), doc="The random key of the form that sent it: the same form sent twice (a double click) is stored once"
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    consultation: Mapped[Consultation] = relationship()
    author: Mapped[User] = relationship()
    group: Mapped[Group | None] = relationship()
    section: Mapped[Section | None] = relationship()
    case: Mapped[Case | None] = relationship()
    parent: Mapped["Comment | None"] = relationship(remote_side=[id], back_populates="replies")
    replies: Mapped[list["Comment"]] = relationship(back_populates="parent", order_by="Comment.id")

    @property
    def number(self) -> str:
        """The public receipt number."""
        return comment_number(self.id)


def shorten(text: str, limit: int = 60) -> str:
    """The start of a text on one line, cut at a word boundary with an ellipsis ("…") when it is longer."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit + 1]
    cut = cut.rsplit(" ", 1)[0] if " " in cut else text[:limit]
    return cut.rstrip(" ,;:.–—-") + "…"


def section_label(number: str, heading: str, text: str) -> str:
    """How a section is named on screen: its number and heading, else the start of its text."""
    return " ".join(part for part in (number, heading) if part) or shorten(text)


def section_choice_label(number: str, heading: str, text: str) -> str:
    """A section in a choice list: its number with its heading or its first words ("2. Noteikumi attiecas uz…"),
    never a bare "2."."""
    return " ".join(part for part in (number, heading or shorten(text, 50)) if part)


def point_number(number: str) -> str:
    """A point's number as a sentence names it: "3." → "3", "2.1." → "2.1"."""
    return number.rstrip(".")


def comment_number(comment_id: int) -> str:
    return f"K-{comment_id:06d}"


class Attachment(db.Model):
    __tablename__ = "consultation_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    original_name: Mapped[str] = mapped_column(String(160))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(8))
    mime: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# The consultation list's order (open, scheduled, closed) is found from this index alone (queries.public_list).
Index("ix_consultations_listing", Consultation.closes_at, Consultation.opens_at, Consultation.id,
      postgresql_where=text("published_at IS NOT NULL"), sqlite_where=text("published_at IS NOT NULL"))
# The comments page and the summary read a consultation's (or a section's) top-level comments in id order.
# A form's submission key is used once per author (a second POST with it lands on the comment it made).
Index("ix_comments_submission", Comment.author_id, Comment.submission_key, unique=True)
Index("ix_comments_thread_order", Comment.consultation_id, Comment.parent_id, Comment.id)
Index("ix_comments_section_order", Comment.section_id, Comment.parent_id, Comment.id)
# The comments page's order: highlighted first, off-topic last, then oldest first (consultations.queries.comments_page),
# all ascending (NOT highlighted puts highlighted ones first), so a page starts after a comment's keys (keyed pages).
# Partial (top-level comments only): PostgreSQL reads an index in order only after equality conditions.
Index("ix_comments_listed", Comment.consultation_id, ~Comment.highlighted, Comment.off_topic, Comment.id,
      postgresql_where=text("parent_id IS NULL"), sqlite_where=text("parent_id IS NULL"))
Index("ix_comments_section_listed", Comment.section_id, ~Comment.highlighted, Comment.off_topic, Comment.id,
      postgresql_where=text("parent_id IS NULL"), sqlite_where=text("parent_id IS NULL"))
