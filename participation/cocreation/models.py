"""Co-created municipal regulations (channel 4): a process with its working group and stages, the ideas residents
and groups post and support, the draft's versions split into clauses, amendments to a clause and their endorsements,
and the process's public timeline."""
import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.accounts.models import User
from participation.cases.models import Case, OfflineSource
from participation.clock import utcnow
from participation.extensions import db, enum_type
from participation.groups.models import Group
from participation.institutions.models import Institution
from participation.moderation.models import Moderated


class Stage(enum.StrEnum):
    IDEAS = "ideas"  # problem and ideas
    DRAFTING = "drafting"
    CONSULTATION = "consultation"  # the public consultation (channel 1)
    ADOPTED = "adopted"
    STOPPED = "stopped"


STAGE_ORDER = (Stage.IDEAS, Stage.DRAFTING, Stage.CONSULTATION, Stage.ADOPTED)


class MemberRole(enum.StrEnum):
    COORDINATOR = "coordinator"  # runs the process: stages, drafts, the consultation, adoption
    MEMBER = "member"  # answers ideas and decides amendments with the others
    ADVISER = "adviser"  # takes part in the meetings; decides nothing


class CoCreation(db.Model):
    """One regulation drafted with residents, from a problem to the adopted text (or stopped, with a reason)."""

    __tablename__ = "cocreations"

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True, doc="The municipality")
    title: Mapped[str] = mapped_column(String(255))
    problem: Mapped[str] = mapped_column(Text, doc="The problem the regulation should solve, in plain language")
    stage: Mapped[Stage] = mapped_column(enum_type(Stage), index=True, default=Stage.IDEAS)
    ideas_until: Mapped[date] = mapped_column(doc="The planned last day of the ideas stage (Riga calendar)")
    drafting_until: Mapped[date] = mapped_column(doc="The planned last day of drafting")
    adoption_planned_on: Mapped[date] = mapped_column(doc="When the council is planned to decide")
    consultation_id: Mapped[int | None] = mapped_column(ForeignKey("consultations.id"), unique=True,
                                                        doc="The channel-1 consultation opened on the draft")
    decision_number: Mapped[str] = mapped_column(String(60), default="", doc="The council decision's number")
    decision_on: Mapped[date | None] = mapped_column(doc="The day of the council decision")
    stopped_reason: Mapped[str] = mapped_column(Text, default="")
    stage_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    institution: Mapped[Institution] = relationship()

    @property
    def is_closed(self) -> bool:
        return self.stage in (Stage.ADOPTED, Stage.STOPPED)


class WorkingGroupMember(db.Model):
    """An invited resident or group (such as the youth council) in the working group; the municipality's staff belong
    to it by their office."""

    __tablename__ = "cocreation_members"
    __table_args__ = (UniqueConstraint("process_id", "user_id", name="uq_cocreation_members_user"),
                      UniqueConstraint("process_id", "group_id", name="uq_cocreation_members_group"))

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("cocreations.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"), index=True)
    role: Mapped[MemberRole] = mapped_column(enum_type(MemberRole))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User | None] = relationship()
    group: Mapped[Group | None] = relationship()


class Contribution(Moderated):
    """What ideas and amendments share: who sent them (a person, a group, or on paper) and their case."""

    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True,
                                           doc="The resident; for an offline contribution, the member of staff who registered it")
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"))
    show_name: Mapped[bool] = mapped_column(default=True, doc="False: shown as 'a resident'")
    offline_source: Mapped[OfflineSource | None] = mapped_column(enum_type(OfflineSource))
    offline_name: Mapped[str] = mapped_column(String(200), default="", doc="The sender's name, as received offline")
    received_on: Mapped[date | None] = mapped_column(doc="The day an offline contribution was received")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_offline(self) -> bool:
        return self.offline_source is not None


class Idea(Contribution, db.Model):
    __tablename__ = "cocreation_ideas"
    __table_args__ = (Index("ix_cocreation_ideas_order", "process_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("cocreations.id"))
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    support_count: Mapped[int] = mapped_column(default=0, server_default="0", doc="Kept by services.support_idea")
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), unique=True)
    lineage: Mapped[int | None] = mapped_column(Integer, doc="The clause a taken idea shaped (named with its answer)")

    process: Mapped[CoCreation] = relationship()
    author: Mapped[User] = relationship()
    group: Mapped[Group | None] = relationship()
    case: Mapped[Case | None] = relationship()

    @property
    def number(self) -> str:
        return f"I-{self.id:06d}"


class IdeaSupport(db.Model):
    __tablename__ = "cocreation_idea_supports"
    __table_args__ = (UniqueConstraint("idea_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("cocreation_ideas.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RegulationVersion(db.Model):
    """A version of the draft: the first one the working group publishes, then one per accepted amendment."""

    __tablename__ = "cocreation_versions"
    __table_args__ = (UniqueConstraint("process_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("cocreations.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Clause(db.Model):
    """A clause of one version. `lineage` is the same for a clause in every version (the id of its first row), so a
    clause's history and its amendments follow it across versions."""

    __tablename__ = "cocreation_clauses"
    __table_args__ = (Index("ix_cocreation_clauses_lineage", "lineage", "version_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("cocreation_versions.id"), index=True)
    lineage: Mapped[int] = mapped_column(Integer, default=0)
    position: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(20), default="")
    heading: Mapped[str] = mapped_column(String(255), default="")
    text: Mapped[str] = mapped_column(Text, default="")

    version: Mapped[RegulationVersion] = relationship()

    @property
    def label(self) -> str:
        from participation.consultations.models import section_label

        return section_label(self.number, self.heading, self.text)


class AmendmentKind(enum.StrEnum):
    REPLACE = "replace"
    ADD_AFTER = "add_after"
    DELETE = "delete"


class AmendmentState(enum.StrEnum):
    EVALUATING = "evaluating"
    ACCEPTED = "accepted"
    PARTLY_ACCEPTED = "partly_accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


TAKEN_STATES = (AmendmentState.ACCEPTED, AmendmentState.PARTLY_ACCEPTED)


class Amendment(Contribution, db.Model):
    __tablename__ = "cocreation_amendments"
    __table_args__ = (Index("ix_cocreation_amendments_clause_order", "lineage", "id"),
                      Index("ix_cocreation_amendments_process", "process_id", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("cocreations.id"))
    lineage: Mapped[int] = mapped_column(Integer, doc="The clause it amends (its lineage)")
    base_clause_id: Mapped[int] = mapped_column(ForeignKey("cocreation_clauses.id"), doc="The clause's wording it was proposed to")
    kind: Mapped[AmendmentKind] = mapped_column(enum_type(AmendmentKind))
    text: Mapped[str] = mapped_column(Text, default="", doc="The proposed wording (empty for a deletion)")
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[AmendmentState] = mapped_column(enum_type(AmendmentState), default=AmendmentState.EVALUATING, index=True)
    taken_text: Mapped[str] = mapped_column(Text, default="", doc="Accepted in part: the wording taken")
    result_lineage: Mapped[int | None] = mapped_column(Integer, doc="The clause its acceptance changed or added")
    decided_at: Mapped[datetime | None] = mapped_column()
    endorsement_count: Mapped[int] = mapped_column(default=0, server_default="0", doc="Kept by services.endorse")
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), unique=True)

    process: Mapped[CoCreation] = relationship()
    author: Mapped[User] = relationship()
    group: Mapped[Group | None] = relationship()
    case: Mapped[Case | None] = relationship()
    base_clause: Mapped[Clause] = relationship()

    @property
    def number(self) -> str:
        return f"G-{self.id:06d}"

    @property
    def is_taken(self) -> bool:
        return self.state in TAKEN_STATES


class Endorsement(db.Model):
    __tablename__ = "cocreation_endorsements"
    __table_args__ = (UniqueConstraint("amendment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    amendment_id: Mapped[int] = mapped_column(ForeignKey("cocreation_amendments.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class EventKind(enum.StrEnum):
    STARTED = "started"
    STAGE = "stage"  # the stage changed (the new one in `stage`)
    DRAFT = "draft"  # the first draft published
    VERSION = "version"  # an accepted amendment produced a version
    IDEA = "idea"
    IDEA_ANSWERED = "idea_answered"
    AMENDMENT = "amendment"
    DECISION = "decision"  # an amendment accepted, accepted in part or rejected
    WITHDRAWN = "withdrawn"
    CONSULTATION = "consultation"
    ADOPTED = "adopted"
    STOPPED = "stopped"


class TimelineEvent(db.Model):
    """The process's public timeline and Atom feed: every stage change, draft, decision and amendment."""

    __tablename__ = "cocreation_events"
    __table_args__ = (Index("ix_cocreation_events_order", "process_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("cocreations.id"))
    kind: Mapped[EventKind] = mapped_column(enum_type(EventKind))
    stage: Mapped[Stage] = mapped_column(enum_type(Stage), doc="The stage after the event")
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("cocreation_ideas.id"))
    amendment_id: Mapped[int | None] = mapped_column(ForeignKey("cocreation_amendments.id"))
    version_number: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="", doc="Staff's words: a reason, a decision's number")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
