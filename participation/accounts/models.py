"""People who use the platform."""
from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from participation.clock import utcnow
from participation.extensions import db


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, doc="Lower-cased e-mail address")
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str] = mapped_column(String(5), default="lv")
    email_verified_at: Mapped[datetime | None]
    is_moderator: Mapped[bool] = mapped_column(default=False)
    is_admin: Mapped[bool] = mapped_column(default=False, doc="Platform administrator")
    blocked_at: Mapped[datetime | None] = mapped_column(doc="Blocked by a moderator: can read, cannot write")
    blocked_until: Mapped[datetime | None] = mapped_column(doc="UTC end of the block; None with blocked_at: for good")
    block_reason: Mapped[str] = mapped_column(String(20), default="", server_default="")
    session_version: Mapped[int] = mapped_column(default=1, doc="Bumped to end every session of this user")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def get_id(self) -> str:
        """Flask-Login keeps this in the session; a changed version logs the old sessions out."""
        return f"{self.id}:{self.session_version}"

    def set_password(self, password: str) -> None:
        # scrypt (memory-hard, salted per password); the cost is configuration (lowered only in tests).
        self.password_hash = generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    def is_blocked(self, now: datetime | None = None) -> bool:
        if self.blocked_at is None:
            return False
        return self.blocked_until is None or (now or utcnow()) < self.blocked_until

    def __repr__(self) -> str:
        return f"<User {self.email}>"
