"""Institutions (ministries, agencies, municipalities) and the staff who work for them."""
import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.accounts.models import User
from participation.clock import utcnow
from participation.extensions import db, enum_type


class InstitutionKind(enum.StrEnum):
    MINISTRY = "ministry"
    AGENCY = "agency"
    MUNICIPALITY = "municipality"


class StaffRole(enum.StrEnum):
    RESPONDER = "responder"  # answers cases
    EDITOR = "editor"  # publishes consultations and other content
    ADMIN = "admin"  # institution administrator: all of the above and the staff list


class Institution(db.Model):
    __tablename__ = "institutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[InstitutionKind] = mapped_column(enum_type(InstitutionKind))
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(255), default="")
    premoderation: Mapped[bool] = mapped_column(
        default=False, server_default=false(), doc="New contributions are public only after a moderator approves"
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    memberships: Mapped[list["Membership"]] = relationship(back_populates="institution")

    def __repr__(self) -> str:
        return f"<Institution {self.slug}>"


class Membership(db.Model):
    """A user's role in an institution's staff."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "institution_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True)
    role: Mapped[StaffRole] = mapped_column(enum_type(StaffRole))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
    institution: Mapped[Institution] = relationship(back_populates="memberships")
