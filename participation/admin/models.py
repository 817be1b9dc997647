"""The administrators' audit log (issue 18)."""
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.accounts.models import User
from participation.clock import utcnow
from participation.extensions import db


class PersonalDataAccess(db.Model):
    """The administrators' audit log: every page of the admin area that showed personal data, and every change made
    there, with who, when and whose data (kept for AUDIT_LOG_RETENTION_DAYS)."""

    __tablename__ = "personal_data_access"

    id: Mapped[int] = mapped_column(primary_key=True)
    admin_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    path: Mapped[str] = mapped_column(String(500), default="")
    query: Mapped[str] = mapped_column(String(200), default="", doc="What was searched for, or the reference of a request")
    subject_ids: Mapped[str] = mapped_column(Text, default="", doc="Ids of the accounts shown or changed, space-separated")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    admin: Mapped[User] = relationship(foreign_keys=[admin_id])
