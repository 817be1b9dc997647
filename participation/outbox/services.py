"""E-mail: the one function that sends it (`send_email`), and the delivery of what is queued (`deliver_queued`).

API for every package
---------------------
``send_email(recipient, subject, body, *, unsubscribe_url=None, locale=None) -> OutboxMessage``

- Queues the message in the current transaction: it is delivered only if the change commits (then a delivery job is
  put on the job queue at once; the periodic `deliver_mail` task sweeps up anything left every minute).
- ``body`` is plain text, already written in the recipient's language (wrap the call in
  ``flask_babel.force_locale(person.locale)``). Paragraphs are separated by a blank line; addresses become links.
- ``locale``: the recipient's language; by default the current one (so ``force_locale`` is enough). It sets the
  HTML part's ``lang``, the ``Content-Language`` header and the language of the template's footer.
- ``unsubscribe_url``: give it for every notification (anything the person can turn off). The message then carries
  ``List-Unsubscribe: <url>`` and ``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058): the mail client
  POSTs ``List-Unsubscribe=One-Click`` to the URL, without a session or CSRF token, so the endpoint must accept that.
  The footer also shows the address. Leave it out for what the person asked for (password reset, receipts).

Every message is multipart/alternative: a plain-text and an HTML part rendered from the one template
``templates/email/message.html`` (``html`` false/true).

Delivery and retries
--------------------
SMTP when MAIL_SERVER is set (else printed to the console). A refusal for good (a 5xx reply) marks the message
failed and it is never tried again; a temporary failure (a 4xx reply, the server unreachable) is tried again after
RETRY_MINUTES[attempt], until MAX_ATTEMPTS. The outbox row is the record: sent_at, attempts, last_error, failed_at.
"""
from html import unescape as html_unescape
import re
import smtplib
from datetime import timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from flask import current_app, render_template
from flask_babel import force_locale, get_locale
from markupsafe import Markup, escape
from sqlalchemy import or_, select

from participation.clock import utcnow
from participation.extensions import db
from participation.outbox.models import OutboxMessage

MAX_ATTEMPTS = 6
RETRY_MINUTES = (1, 5, 15, 60, 240)  # wait after the 1st, 2nd, … temporary failure
_URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)\]]")


def send_email(recipient: str, subject: str, body: str, *, unsubscribe_url: str | None = None,
               locale: str | None = None) -> OutboxMessage:
    """Queue an e-mail in the current transaction; it is delivered only if the change commits."""
    if locale is None:
        current = get_locale()
        locale = str(current) if current else current_app.config.get("BABEL_DEFAULT_LOCALE", "lv")
    message = OutboxMessage(recipient=recipient, subject=" ".join(str(subject).split())[:255], body=body,
                            locale=locale, unsubscribe_url=unsubscribe_url)
    db.session.add(message)
    db.session.info["outbox_written"] = True  # participation.jobs.tasks enqueues a delivery after the commit
    if not current_app.config["MAIL_SERVER"] and not current_app.testing:
        current_app.logger.info("E-mail queued to %s: %s\n%s", recipient, subject, body)
    return message


def _due():
    now = utcnow()
    return (
        select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None),
               OutboxMessage.attempts < MAX_ATTEMPTS,
               or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now))
    )


def _temporary(message: OutboxMessage, error: str) -> None:
    message.last_error = error[:2000]
    if message.attempts >= MAX_ATTEMPTS:
        message.failed_at = utcnow()
    else:
        wait = RETRY_MINUTES[min(message.attempts, len(RETRY_MINUTES)) - 1]
        message.next_attempt_at = utcnow() + timedelta(minutes=wait)


def _permanent(message: OutboxMessage, error: str) -> None:
    message.last_error = error[:2000]
    message.failed_at = utcnow()


def _reply_code(error: smtplib.SMTPException) -> int | None:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in error.recipients.values()]
        return max(codes) if codes else None
    return getattr(error, "smtp_code", None)


def deliver_queued(limit: int = 100) -> tuple[int, int]:
    """Send the messages that are due over SMTP (or to the console without MAIL_SERVER). Returns (sent, failed)."""
    config = current_app.config
    # Fewest attempts first, so addresses that keep failing never block the rest.
    # SKIP LOCKED lets several consumers share the queue on PostgreSQL without sending a message twice.
    query = _due().order_by(OutboxMessage.attempts, OutboxMessage.id).limit(limit)
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    queued = db.session.scalars(query).all()
    sent = failed = 0
    smtp = None
    try:
        for message in queued:
            email = as_email(message, config["MAIL_FROM"])
            try:
                if config["MAIL_SERVER"] and smtp is None:
                    smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30)
                    if config["MAIL_USE_TLS"]:
                        smtp.starttls()
                    if config["MAIL_USERNAME"]:
                        smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            except (smtplib.SMTPException, OSError) as error:
                # The server cannot be reached: this message waits; the rest are not tried this round.
                message.attempts += 1
                _temporary(message, f"{type(error).__name__}: {error}")
                failed += 1
                smtp = None
                break
            message.attempts += 1
            try:
                if smtp is not None:
                    smtp.send_message(email)
                else:
                    print(f"--- e-mail to {message.recipient}: {message.subject}\n{email.get_body(('plain',)).get_content()}---")
            except smtplib.SMTPServerDisconnected as error:
                _temporary(message, f"{type(error).__name__}: {error}")
                failed += 1
                smtp = None
                break
            except smtplib.SMTPException as error:
                code = _reply_code(error)
                (_permanent if code is not None and code >= 500 else _temporary)(message, f"{code or ''} {error}".strip())
                failed += 1
                try:
                    if smtp is not None:
                        smtp.rset()
                except (smtplib.SMTPException, OSError):
                    smtp = None
                continue
            except (OSError, ValueError) as error:
                _temporary(message, f"{type(error).__name__}: {error}")
                failed += 1
                smtp = None
                continue
            message.sent_at = utcnow()
            message.last_error = None
            message.next_attempt_at = None
            sent += 1
    finally:
        db.session.commit()
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
    return sent, failed


def _paragraphs(body: str) -> list[Markup]:
    """The body as HTML paragraphs: escaped, single line breaks kept, web addresses made links."""
    result = []
    for block in re.split(r"\n\s*\n", body.strip()):
        lines = []
        for line in block.split("\n"):
            parts, last = [], 0
            for match in _URL.finditer(line):
                parts.append(escape(line[last:match.start()]))
                url = match.group(0)
                parts.append(Markup('<a href="{0}" style="color:#1d70b8">{0}</a>').format(url))
                last = match.end()
            parts.append(escape(line[last:]))
            lines.append(Markup("").join(parts))
        result.append(Markup("<br>\n").join(lines))
    return result


def render_parts(message: OutboxMessage) -> tuple[str, str]:
    """(plain text, HTML) of a message, from the one template, in the message's language."""
    context = {
        "subject": message.subject,
        "body": message.body.strip(),
        "paragraphs": _paragraphs(message.body),
        "unsubscribe_url": message.unsubscribe_url,
        "lang": message.locale or "lv",
        "base_url": current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/") + "/",
    }
    with force_locale(message.locale or current_app.config.get("BABEL_DEFAULT_LOCALE", "lv")):
        # The template escapes as every page does; the plain part is then unescaped whole (unescape(escape(x)) is x).
        plain = html_unescape(render_template("email/message.html", html=False, **context))
        html = render_template("email/message.html", html=True, **context)
    return plain.strip() + "\n", html


def as_email(message: OutboxMessage, sender: str) -> EmailMessage:
    """The message as it goes out: multipart/alternative (plain, HTML) with the headers a mail client needs."""
    plain, html = render_parts(message)
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = format_datetime(utcnow().replace(tzinfo=timezone.utc))
    domain = parseaddr(sender)[1].rpartition("@")[2] or None
    email["Message-ID"] = make_msgid(idstring=f"outbox{message.id}", domain=domain)
    email["Auto-Submitted"] = "auto-generated"
    if message.unsubscribe_url:
        email["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(plain)
    email.add_alternative(html, subtype="html")
    email["Content-Language"] = message.locale or "lv"  # after the parts: set_content drops Content-* headers
    return email
