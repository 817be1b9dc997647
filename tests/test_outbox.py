"""E-mail goes through one function into the outbox and is delivered over SMTP to a real server started by the tests
(aiosmtpd): multipart (plain text and HTML from one template) in the recipient's language, with List-Unsubscribe
(one-click, RFC 8058) on a notification; a refused recipient fails for good, a temporary failure is tried again later
and delivered once. The outbox row stays the record of what was sent."""
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from participation.extensions import db
from participation.outbox.models import OutboxMessage
from participation.outbox.services import MAX_ATTEMPTS, deliver_queued, send_email
from tests.smtp_server import SMTPServer, free_port

NOW = datetime(2026, 11, 20, 10, 0)


@contextmanager
def mail_to(app, server_or_port):
    settings = server_or_port.config() if isinstance(server_or_port, SMTPServer) else {
        "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": server_or_port, "MAIL_USE_TLS": False, "MAIL_USERNAME": ""}
    before = {key: app.config[key] for key in settings}
    app.config.update(settings)
    try:
        yield
    finally:
        app.config.update(before)


@pytest.fixture
def smtp():
    with SMTPServer() as server:
        yield server


def _message(recipient):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == recipient)).one()


def test_a_notification_is_multipart_in_the_recipients_language_with_one_click_unsubscribe(app, session, smtp):
    with app.test_request_context("/"), force_locale("en"):
        send_email("anna@example.lv", "A new answer", "The council has answered.\n\nRead it: https://lidzdaliba.example/cases/7",
                   unsubscribe_url="https://lidzdaliba.example/unsubscribe/abc")
        footer = _("Stop these e-mails")
    db.session.commit()
    with mail_to(app, smtp):
        assert deliver_queued() == (1, 0)

    [email] = smtp.received
    assert email["To"] == "anna@example.lv" and email["Subject"] == "A new answer"
    assert email["List-Unsubscribe"] == "<https://lidzdaliba.example/unsubscribe/abc>"
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert email["Content-Language"] == "en" and email["Message-ID"] and email["Date"]
    assert email.get_content_type() == "multipart/alternative"
    plain = email.get_body(("plain",)).get_content()
    html = email.get_body(("html",)).get_content()
    assert [part.get_content_type() for part in email.iter_parts()] == ["text/plain", "text/html"]
    # Both parts say the same, from the one template: the body, the footer in the recipient's language, the link.
    for part in (plain, html):
        assert "The council has answered." in part and footer in part
        assert "https://lidzdaliba.example/unsubscribe/abc" in part
    assert '<html lang="en">' in html
    assert '<a href="https://lidzdaliba.example/cases/7"' in html
    assert "<" not in plain.split("--")[0]  # no markup in the plain part
    assert _message("anna@example.lv").sent_at is not None


def test_the_language_follows_the_recipient_not_the_sender(app, session, smtp):
    with app.test_request_context("/"), force_locale("lv"):
        send_email("janis@example.lv", "Atbilde", "Padome ir atbildējusi.", unsubscribe_url="https://x.example/u/1")
        footer_lv = _("This e-mail was sent by Līdzdalība:")
    with app.test_request_context("/"), force_locale("en"):
        send_email("john@example.lv", "Answer", "The council has answered.", unsubscribe_url="https://x.example/u/2")
        footer_en = _("This e-mail was sent by Līdzdalība:")
    db.session.commit()
    with app.test_request_context("/?lang=en"), force_locale("en"), mail_to(app, smtp):
        deliver_queued()  # delivered from an English context: each message keeps its own language
    by_recipient = {email["To"]: email for email in smtp.received}
    assert by_recipient["janis@example.lv"]["Content-Language"] == "lv"
    assert '<html lang="lv">' in by_recipient["janis@example.lv"].get_body(("html",)).get_content()
    assert footer_lv in by_recipient["janis@example.lv"].get_body(("plain",)).get_content()
    assert by_recipient["john@example.lv"]["Content-Language"] == "en"
    assert footer_en in by_recipient["john@example.lv"].get_body(("plain",)).get_content()


def test_mail_a_person_asked_for_has_no_unsubscribe_header(app, session, smtp):
    send_email("anna@example.lv", "Paroles maiņa", "Saite: https://lidzdaliba.example/reset/x")
    db.session.commit()
    with mail_to(app, smtp):
        deliver_queued()
    [email] = smtp.received
    assert email["List-Unsubscribe"] is None and email["List-Unsubscribe-Post"] is None
    assert email.get_body(("html",)) is not None


def test_html_in_the_body_is_shown_as_text_never_run(app, session, smtp):
    send_email("anna@example.lv", "Komentārs", 'Jūs rakstījāt: <script>alert(1)</script> & <a href="x">y</a>')
    db.session.commit()
    with mail_to(app, smtp):
        deliver_queued()
    html = smtp.received[0].get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;a href=" in html


def test_a_refused_recipient_fails_for_good_and_is_not_tried_again(app, session, smtp, fixed_now):
    fixed_now(NOW)
    smtp.handler.refused["nobody@example.lv"] = "550 5.1.1 No such mailbox"
    send_email("nobody@example.lv", "Atbilde", "Teksts")
    send_email("anna@example.lv", "Atbilde", "Teksts")
    db.session.commit()
    with mail_to(app, smtp):
        assert deliver_queued() == (1, 1)
        fixed_now(NOW + timedelta(days=2))
        assert deliver_queued() == (0, 0)
    refused = _message("nobody@example.lv")
    assert refused.failed_at == NOW and refused.sent_at is None and refused.attempts == 1
    assert "550" in refused.last_error
    assert [email["To"] for email in smtp.received] == ["anna@example.lv"]


def test_a_temporary_refusal_is_tried_again_later_and_delivered_once(app, session, smtp, fixed_now):
    fixed_now(NOW)
    smtp.handler.busy_replies = 1
    send_email("anna@example.lv", "Atbilde", "Teksts")
    db.session.commit()
    with mail_to(app, smtp):
        assert deliver_queued() == (0, 1)
        message = _message("anna@example.lv")
        assert message.sent_at is None and message.failed_at is None and "451" in message.last_error
        assert message.next_attempt_at == NOW + timedelta(minutes=1)
        assert deliver_queued() == (0, 0)  # not before its time
        fixed_now(NOW + timedelta(minutes=1))
        assert deliver_queued() == (1, 0)
        fixed_now(NOW + timedelta(hours=5))
        assert deliver_queued() == (0, 0)
    assert len(smtp.received) == 1
    message = _message("anna@example.lv")
    assert message.sent_at == NOW + timedelta(minutes=1) and message.attempts == 2 and message.last_error is None


def test_when_the_server_is_down_the_mail_waits_and_goes_once_it_is_back(app, session, fixed_now):
    fixed_now(NOW)
    port = free_port()
    send_email("anna@example.lv", "Atbilde", "Teksts")
    send_email("peteris@example.lv", "Atbilde", "Teksts")
    db.session.commit()
    with mail_to(app, port):
        assert deliver_queued() == (0, 1)  # nobody listens: the round stops at the first message
        first = db.session.scalars(select(OutboxMessage).where(OutboxMessage.last_error.is_not(None))).one()
        assert first.next_attempt_at == NOW + timedelta(minutes=1) and first.failed_at is None
        with SMTPServer(port) as smtp:
            fixed_now(NOW + timedelta(minutes=1))
            assert deliver_queued() == (2, 0)
            assert deliver_queued() == (0, 0)
    assert sorted(email["To"] for email in smtp.received) == ["anna@example.lv", "peteris@example.lv"]


def test_after_the_last_attempt_the_message_is_given_up(app, session, fixed_now):
    fixed_now(NOW)
    message = send_email("anna@example.lv", "Atbilde", "Teksts")
    message.attempts = MAX_ATTEMPTS - 1
    db.session.commit()
    with mail_to(app, free_port()):
        assert deliver_queued() == (0, 1)
    assert message.failed_at == NOW and message.attempts == MAX_ATTEMPTS


def test_send_mail_command_prints_to_the_console_without_smtp(app, session):
    send_email("anna@example.lv", "Konsole", "Teksts konsolei")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert "Teksts konsolei" in result.output and "Sent 1, failed 0." in result.output


def test_mail_is_not_sent_for_a_change_that_rolled_back(session):
    send_email("anna@example.lv", "Atcelts", "x")
    db.session.rollback()
    assert db.session.scalars(select(OutboxMessage)).first() is None


def test_undeliverable_mail_does_not_block_the_queue(app, session, smtp):
    for n in range(3):
        bad = send_email(f"bad{n}@example.lv", "Nesūtāms", "x")
        bad.attempts = 2
    send_email("good@example.lv", "Paroles maiņa", "Saite")
    dead = send_email("dead@example.lv", "Miris", "x")
    dead.attempts = MAX_ATTEMPTS
    db.session.commit()
    with mail_to(app, smtp):
        deliver_queued(limit=1)
    assert [email["To"] for email in smtp.received] == ["good@example.lv"]
    assert _message("dead@example.lv").sent_at is None
