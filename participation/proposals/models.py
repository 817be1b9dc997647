"""Proposals from residents and groups, the supports they collect, and each institution's settings."""
import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, func, literal_column
from sqlalchemy import false as sa_false
from sqlalchemy import text as sa_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.accounts.models import User
from participation.cases.models import Case
from participation.clock import riga_today, utcnow
from participation.extensions import db, enum_type
from participation.groups.models import Group
from participation.institutions.models import Institution
from participation.moderation.models import Moderated, Moderation  # noqa: F401  (Moderation: used by the channel)
from participation.text import html_column, keeps_html, policy_column


class ProposalStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class ProposalSettings(db.Model):
    """How an institution takes proposals: the collective-submission threshold (pre-moderation is the institution's)."""

    __tablename__ = "proposal_settings"

    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), primary_key=True)
    support_threshold: Mapped[int | None] = mapped_column(Integer, doc="Supporters needed for a collective submission")
    collection_days: Mapped[int | None] = mapped_column(Integer, doc="How long supports are collected after submission")


# A proposal on the public list (proposals.queries.public_list).
LISTED_SQL = "status = 'submitted' AND moderation = 'approved' AND merged_into_id IS NULL"


@keeps_html("problem", "solution", "benefit")
class Proposal(Moderated, db.Model):
    __tablename__ = "proposals"
    __table_args__ = (
        # The list sorted by most supported, and newest first, read in index order.
        Index("ix_proposals_support_order", "support_count", "submitted_at", "id"),
        Index("ix_proposals_submitted_order", "submitted_at", "id"),
        # The public list's two orders over the listed proposals only: a deep page skips index entries alone.
        Index("ix_proposals_listed_supported", "support_count", "submitted_at", "id",
              postgresql_where=sa_text(LISTED_SQL), sqlite_where=sa_text(LISTED_SQL)),
        Index("ix_proposals_listed_newest", "submitted_at", "id",
              postgresql_where=sa_text(LISTED_SQL), sqlite_where=sa_text(LISTED_SQL)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True, doc="The person; the contact for a group")
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"), index=True, doc="Submitted on its behalf")
    title: Mapped[str] = mapped_column(String(200))
    problem: Mapped[str] = mapped_column(Text, default="")
    solution: Mapped[str] = mapped_column(Text, default="")
    benefit: Mapped[str] = mapped_column(Text, default="")
    problem_html: Mapped[str | None] = html_column()
    solution_html: Mapped[str | None] = html_column()
    benefit_html: Mapped[str | None] = html_column()
    html_policy: Mapped[int | None] = policy_column()
    # The case's deadline, copied from it whenever it changes (participation/counters.py), so the list's "nearest
    # deadline first" order is read from an index of proposals alone.
    case_awaiting: Mapped[bool] = mapped_column(default=False, server_default=sa_false(),
                                                doc="The case awaits an answer (a copy of cases.state)")
    case_due_on: Mapped[date | None] = mapped_column(doc="A copy of cases.due_on")
    territory: Mapped[str] = mapped_column(String(80), default="", index=True, doc="A municipality of Latvia")
    topics: Mapped[str] = mapped_column(String(255), default="", doc="Topic codes separated by spaces")
    status: Mapped[ProposalStatus] = mapped_column(enum_type(ProposalStatus), index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(index=True)
    collect_until: Mapped[date | None] = mapped_column(doc="Last day of the collection period, if the institution set one")
    support_threshold: Mapped[int | None] = mapped_column(Integer, doc="The threshold in force when it was submitted")
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), unique=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id"), index=True)
    support_count: Mapped[int] = mapped_column(
        default=0, server_default="0", doc="Supports, kept by services.update_support_count (never counted per page)"
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    institution: Mapped[Institution] = relationship()
    author: Mapped[User] = relationship()
    group: Mapped[Group | None] = relationship()
    case: Mapped[Case | None] = relationship()
    merged_into: Mapped["Proposal | None"] = relationship(remote_side=[id])

    @property
    def topic_codes(self) -> list[str]:
        return self.topics.split() if self.topics else []

    @property
    def is_public(self) -> bool:
        return self.status == ProposalStatus.SUBMITTED and self.moderation == Moderation.APPROVED

    @property
    def is_collecting(self) -> bool:
        """Supports are collected (and may be withdrawn) until the period ends or the case is closed."""
        if not self.is_public or self.is_hidden or self.merged_into_id is not None or self.case is None or not self.case.is_awaiting:
            return False
        return self.collect_until is None or riga_today() <= self.collect_until


# A listed proposal, as the partial indexes' condition with its values written into the SQL, not bound: SQLite uses
# a partial index only when it can see that a query's condition is the index's (queries.public_list).
LISTED = (Proposal.status == literal_column("'submitted'"), Proposal.moderation == literal_column("'approved'"),
          Proposal.merged_into_id.is_(None))

# The list's "nearest deadline first": awaiting cases first, the nearest due date first (the case's copy on the proposal;
# none last), all ascending and never NULL (NOT case_awaiting puts awaiting ones first; a row comparison with a NULL is
# no answer), so a page starts after a row's keys (queries.ORDERS). On SQLite NOT x is written x = 0 (migration 0022).
DUE_KEY = func.coalesce(Proposal.case_due_on, literal_column("'9999-12-31'"))
Index("ix_proposals_listed_due", ~Proposal.case_awaiting, DUE_KEY, Proposal.id,
      postgresql_where=sa_text(LISTED_SQL), sqlite_where=sa_text(LISTED_SQL))


class Support(db.Model):
    """One person's support of a proposal; the unique constraint keeps it to one, even under races."""

    __tablename__ = "supports"
    __table_args__ = (UniqueConstraint("proposal_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    notify: Mapped[bool] = mapped_column(default=False, doc="E-mail this supporter about each answer")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class MergeRecord(db.Model):
    """The log of a moderator merging a duplicate proposal into another."""

    __tablename__ = "proposal_merges"

    id: Mapped[int] = mapped_column(primary_key=True)
    duplicate_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    moderator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    supports_moved: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    moderator: Mapped[User] = relationship()
