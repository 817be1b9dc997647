"""The one function that sends e-mail, and the delivery of what is queued."""
import smtplib
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import select

from participation.clock import utcnow
from participation.extensions import db
from participation.outbox.models import OutboxMessage


MAX_ATTEMPTS = 5


def send_email(recipient: str, subject: str, body: str) -> OutboxMessage:
    """Queue an e-mail in the current transaction; it is delivered only if the change commits."""
    message = OutboxMessage(recipient=recipient, subject=" ".join(str(subject).split())[:255], body=body)
    db.session.add(message)
    if not current_app.config["MAIL_SERVER"] and not current_app.testing:
        current_app.logger.info("E-mail queued to %s: %s\n%s", recipient, subject, body)
    return message


def deliver_queued(limit: int = 100) -> tuple[int, int]:
    """Send queued messages over SMTP (or to the console without MAIL_SERVER). Returns (sent, failed)."""
    config = current_app.config
    # Fewest attempts first, so addresses that keep failing never block the rest; give up after MAX_ATTEMPTS.
    # SKIP LOCKED lets several workers share the queue on PostgreSQL without sending a message twice.
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
        .order_by(OutboxMessage.attempts, OutboxMessage.id)
        .limit(limit)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    queued = db.session.scalars(query).all()
    sent = failed = 0
    smtp = None
    try:
        for message in queued:
            message.attempts += 1
            try:
                if config["MAIL_SERVER"]:
                    if smtp is None:
                        smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30)
                        if config["MAIL_USE_TLS"]:
                            smtp.starttls()
                        if config["MAIL_USERNAME"]:
                            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
                    smtp.send_message(_as_email(message, config["MAIL_FROM"]))
                else:
                    print(f"--- e-mail to {message.recipient}: {message.subject}\n{message.body}\n---")
                message.sent_at = utcnow()
                message.last_error = None
                sent += 1
            except (smtplib.SMTPException, OSError, ValueError) as error:
                message.last_error = str(error)
                failed += 1
    finally:
        db.session.commit()
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
    return sent, failed


def _as_email(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email.set_content(message.body)
    return email
