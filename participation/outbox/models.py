"""E-mail waiting to be delivered; written in the same transaction as the change that caused it. The table stays the
record of what was sent: the plain and HTML parts are rendered from `body`, `locale` and `unsubscribe_url` by the one
template (templates/email/message.html), the same way every time."""
from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from participation.clock import utcnow
from participation.extensions import db


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    # The recipient's language (the message is written in it; the template's own words follow it).
    locale: Mapped[str | None] = mapped_column(String(10))
    # A notification's one-click unsubscribe address (RFC 8058): sent as List-Unsubscribe with List-Unsubscribe-Post.
    unsubscribe_url: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    # After a temporary failure (4xx, the server unreachable): not tried again before this moment.
    next_attempt_at: Mapped[datetime | None]
    # Given up: the server refused the message for good (5xx) or every attempt failed. Never tried again.
    failed_at: Mapped[datetime | None]
