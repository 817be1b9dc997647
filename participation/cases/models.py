"""The spine: cases an institution owes an answer to, the rules that set their deadlines,
and the append-only log of responses."""
import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, event, exists, text
from sqlalchemy.orm import Mapped, Session, aliased, mapped_column, relationship

from participation.accounts.models import User
from participation.clock import riga_date, riga_today, utcnow
from participation.extensions import db, enum_type
from participation.groups.models import Group
from participation.institutions.models import Institution
from participation.text import html_column, keeps_html, policy_column


class DurationUnit(enum.StrEnum):
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    MONTHS = "months"


class DeadlineRule(db.Model):
    """A legal time limit; a case is judged by the rule in force on the day it was received."""

    __tablename__ = "deadline_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), index=True, doc="e.g. submission_answer")
    length: Mapped[int] = mapped_column(Integer)
    unit: Mapped[DurationUnit] = mapped_column(enum_type(DurationUnit))
    effective_from: Mapped[date]
    source: Mapped[str] = mapped_column(String(255), default="", doc="The law or rule it comes from")


class Channel(enum.StrEnum):
    CONSULTATION = "consultation"
    PROPOSAL = "proposal"
    FEEDBACK = "feedback"
    REGULATION = "regulation"
    OFFLINE = "offline"


class CaseState(enum.StrEnum):
    OPEN = "open"
    EXTENDED = "extended"
    FORWARDED = "forwarded"
    ANSWERED = "answered"
    NOT_EXAMINED = "not_examined"


AWAITING_STATES = (CaseState.OPEN, CaseState.EXTENDED, CaseState.FORWARDED)


class OfflineSource(enum.StrEnum):
    LETTER = "letter"
    EMAIL = "email"
    IN_PERSON = "in_person"
    PHONE = "phone"


class ResponseKind(enum.StrEnum):
    ANSWER = "answer"
    EXTENSION = "extension"
    FORWARD = "forward"
    NOT_EXAMINED = "not_examined"
    IMPLEMENTED = "implemented"


class Position(enum.StrEnum):
    ANSWERED = "answered"
    ACCEPTED = "accepted"
    PARTLY_ACCEPTED = "partly_accepted"
    NOT_ACCEPTED = "not_accepted"
    NOTED = "noted"


class CaseStatus:
    """What a case's state, due date and receipt mean, for the mapped case and a plain row read for a list alike."""

    __slots__ = ()

    @property
    def is_awaiting(self) -> bool:
        return self.state in AWAITING_STATES

    @property
    def is_overdue(self) -> bool:
        """Derived, never stored: still awaiting an answer after the due day has ended (Riga time)."""
        return self.is_awaiting and riga_today() > self.due_on

    @property
    def number(self) -> str:
        return case_number(self.id, self.received_at)


class Case(CaseStatus, db.Model):
    """Something an institution owes an answer to."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"))  # indexed with the figures' columns (below)
    channel: Mapped[Channel] = mapped_column(enum_type(Channel), index=True)
    title: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text, default="", doc="The text received, for offline contributions")
    item_url: Mapped[str] = mapped_column(String(500), default="", doc="Link to the item in its channel")
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    raised_by_group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"), index=True)
    offline_source: Mapped[OfflineSource | None] = mapped_column(enum_type(OfflineSource))
    offline_submitter: Mapped[str] = mapped_column(String(200), default="", doc="Name given on paper, if any")
    received_at: Mapped[datetime] = mapped_column(doc="UTC")
    rule_code: Mapped[str] = mapped_column(String(60))
    due_on: Mapped[date] = mapped_column(index=True, doc="Last day to answer, Europe/Riga calendar")
    state: Mapped[CaseState] = mapped_column(enum_type(CaseState), index=True)
    is_private: Mapped[bool] = mapped_column(default=False)
    submitter_hidden: Mapped[bool] = mapped_column(
        default=False, doc="The submitter asked not to show their name publicly ('private person')"
    )
    extended_once: Mapped[bool] = mapped_column(default=False)
    forwarded_from_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"))
    forwarded_at: Mapped[datetime | None] = mapped_column(doc="UTC time the competent institution received it")
    answered_at: Mapped[datetime | None] = mapped_column(doc="UTC time of the first answer")
    position: Mapped[Position | None] = mapped_column(enum_type(Position), doc="The current answer's position")
    implemented_on: Mapped[date | None] = mapped_column(doc="When an accepted case was carried out")
    collective_at: Mapped[datetime | None] = mapped_column(
        doc="When enough people joined for it to be examined as a collective submission"
    )
    working_days_to_answer: Mapped[int | None] = mapped_column(doc="Set with the first answer, for the figures")
    answered_in_time: Mapped[bool | None] = mapped_column(doc="Set with the first answer, for the figures")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    institution: Mapped[Institution] = relationship(foreign_keys=[institution_id])
    forwarded_from: Mapped[Institution | None] = relationship(foreign_keys=[forwarded_from_id])
    raised_by: Mapped[User | None] = relationship()
    raised_by_group: Mapped[Group | None] = relationship()

    @property
    def received_by_institution_at(self) -> datetime:
        """When the institution now holding the case received it (the forward, if it was forwarded)."""
        return self.forwarded_at or self.received_at


def case_number(case_id: int, received_at: datetime) -> str:
    """A case's public receipt number: the year it was received (Riga time) and its id."""
    return f"L-{riga_date(received_at).year}-{case_id:06d}"


@keeps_html("text")
class Response(db.Model):
    """An entry in the public response log. Append-only: never updated, never deleted."""

    __tablename__ = "responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[ResponseKind] = mapped_column(enum_type(ResponseKind))
    position: Mapped[Position | None] = mapped_column(enum_type(Position))
    text: Mapped[str] = mapped_column(Text)
    text_html: Mapped[str | None] = html_column()
    html_policy: Mapped[int | None] = policy_column()
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("responses.id"), unique=True)
    target_institution_id: Mapped[int | None] = mapped_column(
        ForeignKey("institutions.id"), index=True, doc="Where a forward sent the case"
    )
    effective_on: Mapped[date | None] = mapped_column(doc="The new due date of an extension; the day of an implementation")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship()
    institution: Mapped[Institution] = relationship(foreign_keys=[institution_id])
    target_institution: Mapped[Institution | None] = relationship(foreign_keys=[target_institution_id])
    author: Mapped[User] = relationship()
    supersedes: Mapped["Response | None"] = relationship(
        remote_side=[id], foreign_keys=[supersedes_id], back_populates="superseded_by"
    )
    superseded_by: Mapped["Response | None"] = relationship(
        foreign_keys=[supersedes_id], back_populates="supersedes", uselist=False, viewonly=True
    )


def not_superseded():
    """SQL: the response is in force, no correction superseded it."""
    correction = aliased(Response)
    return ~exists().where(correction.supersedes_id == Response.id)


class ResponseIsImmutable(Exception):
    """Raised when anything tries to change or delete a response."""


@event.listens_for(Session, "before_flush")
def _refuse_response_changes(session, flush_context, instances):
    for obj in session.dirty:
        if isinstance(obj, Response) and session.is_modified(obj, include_collections=False):
            raise ResponseIsImmutable(f"response {obj.id} cannot be changed; record a correction instead")
    for obj in session.deleted:
        if isinstance(obj, Response):
            raise ResponseIsImmutable(f"response {obj.id} cannot be deleted")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_response_changes(orm_execute_state):
    if orm_execute_state.is_update or orm_execute_state.is_delete:
        mapper = orm_execute_state.bind_mapper
        if mapper is not None and mapper.class_ is Response:
            raise ResponseIsImmutable("responses cannot be changed or deleted in bulk")


# The inbox and the institution page: what awaits an answer, nearest due date first, read in index order.
_AWAITING_SQL = "state IN ('open', 'extended', 'forwarded')"
Index("ix_cases_awaiting_order", Case.institution_id, Case.due_on, Case.id,
      postgresql_where=text(_AWAITING_SQL), sqlite_where=text(_AWAITING_SQL))
# The public response log, newest first, of the institution that answered or was forwarded to.
Index("ix_responses_log_order", Response.institution_id, Response.created_at, Response.id)
Index("ix_responses_target_log_order", Response.target_institution_id, Response.created_at, Response.id)
# Every institution's answers, newest first (the home page's latest answers): with the id, answers written in the same
# second are read in index order instead of all of them sorted.
Index("ix_responses_newest", Response.created_at, Response.id)
# The few private cases, so the log's total subtracts their responses without visiting every case (queries.response_log).
Index("ix_cases_private", Case.id, postgresql_where=text("is_private"), sqlite_where=text("is_private"))
# An institution's cases, carrying on PostgreSQL the columns its accountability figures and monthly charts count
# (institutions.figures, institutions.charts): they are counted from the index alone, without visiting each case's row
# (a cold institution page 33 ms to 14 ms on the benchmark's 11,000 cases of one institution). SQLite: the plain index.
FIGURES_COLUMNS = ["id", "answered_at", "answered_in_time", "state", "due_on", "working_days_to_answer", "channel", "position"]
Index("ix_cases_institution_figures", Case.institution_id, postgresql_include=FIGURES_COLUMNS)
# The median time to answer, read from the middle of this index (institutions.figures).
Index("ix_cases_working_days", Case.institution_id, Case.working_days_to_answer,
      postgresql_where=text("working_days_to_answer IS NOT NULL"), sqlite_where=text("working_days_to_answer IS NOT NULL"))
