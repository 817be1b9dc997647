"""Groups: youth councils, NGOs, residents' councils; members act on the group's behalf."""
import enum
import unicodedata
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.accounts.models import User
from participation.clock import utcnow
from participation.extensions import db, enum_type
from participation.moderation.models import Moderated


class GroupKind(enum.StrEnum):
    YOUTH_COUNCIL = "youth_council"
    NGO = "ngo"
    RESIDENTS_COUNCIL = "residents_council"


class MemberStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"


def name_key(name: str) -> str:
    """A group's name as two names that a reader takes for the same compare: case folded, diacritics (combining
    marks) and repeated spaces left out ("Rēzeknes  JAUNIEŠU dome" and "rezeknes jauniesu dome" give one key)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(unicodedata.normalize("NFKC", bare).casefold().split())


class Group(Moderated, db.Model):
    """A group is reportable and hideable like any contribution (issue 14, item 5): its name and description are
    its own words."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), unique=True, index=True,
                                          default=lambda context: name_key(context.get_current_parameters()["name"]),
                                          doc="name_key(name): unique, so no group takes another's name")
    kind: Mapped[GroupKind] = mapped_column(enum_type(GroupKind))
    description: Mapped[str] = mapped_column(Text, default="")
    leader_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    verified_at: Mapped[datetime | None] = mapped_column(doc="Confirmed by a platform administrator: its contributions carry the mark")
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    leader: Mapped[User] = relationship(foreign_keys=[leader_id])

    @property
    def author_id(self) -> int:
        """Moderation's name for whose words these are: the leader wrote the name and the description."""
        return self.leader_id

    @property
    def author(self) -> User:
        return self.leader

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


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
