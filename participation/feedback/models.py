"""Registered websites, the feedback their visitors leave, and the counters the figures read."""
import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.accounts.models import User
from participation.cases.models import Case
from participation.clock import utcnow
from participation.extensions import db, enum_type
from participation.institutions.models import Institution
from participation.moderation.models import Moderated
from participation.text import html_column, keeps_html, policy_column


class Site(db.Model):
    """An institution's website on which the feedback form is pasted."""

    __tablename__ = "feedback_sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True)
    key: Mapped[str] = mapped_column(String(80), unique=True, doc="Public: names the site in the snippet's URL")
    name: Mapped[str] = mapped_column(String(200))
    origins: Mapped[str] = mapped_column(Text, doc="Exact scheme://host[:port], one a line")
    path_prefixes: Mapped[str] = mapped_column(Text, default="", doc="Covered path prefixes, one a line; empty: all pages")
    question_helped: Mapped[str] = mapped_column(String(200), default="", doc="Empty: the default question")
    question_text: Mapped[str] = mapped_column(String(200), default="", doc="Empty: the default question")
    ask_email: Mapped[bool] = mapped_column(default=True)
    languages: Mapped[str] = mapped_column(String(20), default="lv,en", doc="Comma-separated, of LANGUAGES")
    premoderation: Mapped[bool] = mapped_column(default=False, doc="Feedback is seen only after a moderator approves")
    paused_at: Mapped[datetime | None] = mapped_column(doc="UTC; paused sites accept no feedback")
    removed_at: Mapped[datetime | None] = mapped_column(doc="UTC; removed sites are gone from the lists, their feedback stays")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    institution: Mapped[Institution] = relationship()
    created_by: Mapped[User] = relationship()

    @property
    def origin_list(self) -> list[str]:
        return [line.strip() for line in self.origins.splitlines() if line.strip()]

    @property
    def prefix_list(self) -> list[str]:
        return [line.strip() for line in (self.path_prefixes or "").splitlines() if line.strip()]

    @property
    def language_list(self) -> list[str]:
        return [code for code in (self.languages or "").split(",") if code]

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    @property
    def accepts_feedback(self) -> bool:
        return not self.is_paused and not self.is_removed


class FeedbackState(enum.StrEnum):
    RECEIVED = "received"  # recorded and counted; staff may mark it noted or turn it into a case
    NOTED = "noted"
    CASE = "case"  # it asked for an answer (or staff opened a case): answered through the inbox


class Publication(enum.StrEnum):
    PRIVATE = "private"
    REQUESTED = "requested"  # the institution asked to publish it; a moderator checks it first
    PUBLISHED = "published"


@keeps_html("text")
class Feedback(Moderated, db.Model):
    """One visitor's feedback on one page. Private by default (it may hold personal data)."""

    __tablename__ = "feedback"
    __table_args__ = (
        Index("ix_feedback_institution_order", "institution_id", "created_at", "id"),
        Index("ix_feedback_site_order", "site_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("feedback_sites.id"))
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"))
    page_url: Mapped[str] = mapped_column(String(500), doc="Without its query string and fragment")
    helped: Mapped[bool | None] = mapped_column()
    text: Mapped[str] = mapped_column(Text, default="", doc="As typed (rendered through the one sanitiser, e-mails masked)")
    text_html: Mapped[str | None] = html_column()
    html_policy: Mapped[int | None] = policy_column()
    email: Mapped[str] = mapped_column(String(255), default="", doc="Where the answer goes; never shown publicly")
    wants_answer: Mapped[bool] = mapped_column(default=False)
    lang: Mapped[str] = mapped_column(String(5), default="lv")
    state: Mapped[FeedbackState] = mapped_column(enum_type(FeedbackState), default=FeedbackState.RECEIVED)
    publication: Mapped[Publication] = mapped_column(enum_type(Publication), default=Publication.PRIVATE)
    published_at: Mapped[datetime | None] = mapped_column()
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    author_id: Mapped[int] = mapped_column(
        ForeignKey("users.id"), doc="For moderation: the member of staff answerable for it (the site's registrant, "
                                    "then whoever asked to publish it); visitors have no account")
    nonce: Mapped[str] = mapped_column(String(32), unique=True, doc="The form token's nonce: a token is used once")
    counted: Mapped[bool] = mapped_column(default=False, doc="In the figures (pre-moderated feedback: once approved)")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    site: Mapped[Site] = relationship()
    institution: Mapped[Institution] = relationship()
    case: Mapped[Case | None] = relationship()
    author: Mapped[User] = relationship()

    @property
    def is_published(self) -> bool:
        return self.publication == Publication.PUBLISHED and not self.is_hidden


class PageFigure(db.Model):
    """Counters per page ("" as the page: the whole site), kept by services.count_feedback, so the figures read one
    row a page."""

    __tablename__ = "feedback_pages"
    __table_args__ = (Index("ix_feedback_pages_share", "site_id", "share", "page_url"),)

    site_id: Mapped[int] = mapped_column(ForeignKey("feedback_sites.id"), primary_key=True)
    page_url: Mapped[str] = mapped_column(String(500), primary_key=True)
    responses: Mapped[int] = mapped_column(Integer, default=0)
    helped: Mapped[int] = mapped_column(Integer, default=0)
    answered_question: Mapped[int] = mapped_column(Integer, default=0, doc="Responses that said yes or no")
    share: Mapped[int] = mapped_column(Integer, default=0, doc="Per mille of yes among yes/no, for the order")


class WeekFigure(db.Model):
    """Counters per page and week ("" as the page: the whole site)."""

    __tablename__ = "feedback_weeks"

    site_id: Mapped[int] = mapped_column(ForeignKey("feedback_sites.id"), primary_key=True)
    page_url: Mapped[str] = mapped_column(String(500), primary_key=True)
    week_start: Mapped[date] = mapped_column(primary_key=True, doc="Monday, Riga calendar")
    responses: Mapped[int] = mapped_column(Integer, default=0)
    helped: Mapped[int] = mapped_column(Integer, default=0)
    answered_question: Mapped[int] = mapped_column(Integer, default=0)


class WordFigure(db.Model):
    """How often a word (Latvian stop words left out) occurs in a page's free text ("" as the page: the whole site)."""

    __tablename__ = "feedback_words"
    __table_args__ = (Index("ix_feedback_words_top", "site_id", "page_url", "count"),)

    site_id: Mapped[int] = mapped_column(ForeignKey("feedback_sites.id"), primary_key=True)
    page_url: Mapped[str] = mapped_column(String(500), primary_key=True)
    word: Mapped[str] = mapped_column(String(60), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
