"""Groups: youth councils, NGOs, residents' councils; members act on the group's behalf."""
import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.accounts.models import User
from participation.clock import utcnow
from participation.extensions import db, enum_type


class GroupKind(enum.StrEnum):
    YOUTH_COUNCIL = "youth_council"
    NGO = "ngo"
    RESIDENTS_COUNCIL = "residents_council"


class MemberStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"


class Group(db.Model):
    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[GroupKind] = mapped_column(enum_type(GroupKind))
    description: Mapped[str] = mapped_column(Text, default="")
    leader_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    leader: Mapped[User] = relationship()


class GroupMember(db.Model):
    __tablename__ = "group_members"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[MemberStatus] = mapped_column(enum_type(MemberStatus))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    approved_at: Mapped[datetime | None]

    group: Mapped[Group] = relationship()
    user: Mapped[User] = relationship()
