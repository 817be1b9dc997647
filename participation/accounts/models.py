"""People who use the platform."""
from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, case, literal
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from participation.clock import utcnow
from participation.extensions import db


def deleted_account_name() -> str:
    """What is shown instead of a deleted account's name, in the reader's language."""
    from participation.i18n import gettext

    return gettext("Deleted account")


def _current(name: str) -> str:
    from participation.legal import CURRENT

    return CURRENT[name]


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, doc="Lower-cased e-mail address")
    _display_name: Mapped[str] = mapped_column("display_name", String(120))
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
    # Consent at registration (issue 18): the versions of the terms and of the privacy notice the person accepted;
    # an account made without the form (the demo, the command line, staff) counts as accepting the current ones.
    terms_version: Mapped[str] = mapped_column(String(20), default=lambda: _current("TERMS_VERSION"), server_default="")
    privacy_version: Mapped[str] = mapped_column(String(20), default=lambda: _current("PRIVACY_VERSION"), server_default="")
    consented_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(
        index=True, doc="The person deleted the account: the row stays (their public words keep an author), "
                        "anonymised by accounts.services.delete_account")

    @hybrid_property
    def display_name(self) -> str:
        """The name shown with what the person wrote; "Deleted account" (in the reader's language) once deleted."""
        if self.deleted_at is not None:
            return deleted_account_name()
        return self._display_name

    @display_name.inplace.setter
    def _display_name_setter(self, value: str) -> None:
        self._display_name = value

    @display_name.inplace.expression
    @classmethod
    def _display_name_expression(cls):
        # The same in SQL (lists that select or sort by the name), in the language of the request building the query.
        return case((cls.deleted_at.is_not(None), literal(deleted_account_name())), else_=cls._display_name)

    @display_name.inplace.update_expression
    @classmethod
    def _display_name_update(cls, value):
        # update(User).values(display_name=...) sets the stored column
        return [(cls._display_name, value)]

    @display_name.inplace.bulk_dml
    @classmethod
    def _display_name_bulk(cls, mapping, value) -> None:
        # ... and so do bulk statements and the session's in-Python sync of an ORM UPDATE
        mapping["_display_name"] = value

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

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


class SecurityEvent(db.Model):
    """A log-in attempt or a rate limit hit, kept for SECURITY_EVENTS_RETENTION_DAYS (accounts/retention.py) so that
    abuse can be looked into; the address typed is kept only as a hash."""

    __tablename__ = "security_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True, doc="login_ok, login_failed, login_throttled, rate_limited")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    email_hash: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(String(64), default="", doc="The client's IP address")
    endpoint: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

