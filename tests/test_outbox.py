"""E-mail goes through one function into the outbox; `flask send-mail` delivers it over SMTP."""
import socketserver
import threading

import pytest
from sqlalchemy import select

from participation.extensions import db
from participation.outbox.models import OutboxMessage
from participation.outbox.services import deliver_queued, send_email


class _SMTPSink(socketserver.StreamRequestHandler):
    """A minimal SMTP server that keeps what it receives."""

    received: list[bytes] = []

    def handle(self):
        self.wfile.write(b"220 sink\r\n")
        data_mode, buffer = False, []
        for raw in self.rfile:
            line = raw.rstrip(b"\r\n")
            if data_mode:
                if line == b".":
                    _SMTPSink.received.append(b"\n".join(buffer))
                    data_mode, buffer = False, []
                    self.wfile.write(b"250 queued\r\n")
                else:
                    buffer.append(line)
                continue
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.wfile.write(b"250 sink\r\n")
            elif verb == b"DATA":
                data_mode = True
                self.wfile.write(b"354 go on\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp_sink():
    _SMTPSink.received = []
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPSink)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], _SMTPSink.received
    server.shutdown()
    server.server_close()


def test_send_email_queues_and_delivery_sends_over_smtp(app, session, smtp_sink):
    port, received = smtp_sink
    send_email("anna@example.lv", "Sveiki", "Jūsu atbilde ir gatava.")
    db.session.commit()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
    try:
        sent, failed = deliver_queued()
    finally:
        app.config.update(MAIL_SERVER="", MAIL_PORT=587, MAIL_USE_TLS=True)
    assert (sent, failed) == (1, 0)
    assert len(received) == 1 and b"anna@example.lv" in received[0]
    message = db.session.scalars(select(OutboxMessage)).one()
    assert message.sent_at is not None and message.attempts == 1


def test_a_failed_delivery_stays_queued_with_the_error(app, session):
    send_email("anna@example.lv", "Sveiki", "Teksts")
    db.session.commit()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_USE_TLS=False)
    try:
        sent, failed = deliver_queued()
    finally:
        app.config.update(MAIL_SERVER="", MAIL_PORT=587, MAIL_USE_TLS=True)
    assert (sent, failed) == (0, 1)
    message = db.session.scalars(select(OutboxMessage)).one()
    assert message.sent_at is None and message.last_error


def test_send_mail_command_prints_to_the_console_without_smtp(app, session):
    send_email("anna@example.lv", "Konsole", "Teksts konsolei")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert "Teksts konsolei" in result.output and "Sent 1, failed 0." in result.output


def test_mail_is_not_sent_for_a_change_that_rolled_back(session):
    send_email("anna@example.lv", "Atcelts", "x")
    db.session.rollback()
    assert db.session.scalars(select(OutboxMessage)).first() is None


def test_undeliverable_mail_does_not_block_the_queue(app, session, smtp_sink):
    from participation.outbox.services import MAX_ATTEMPTS

    port, received = smtp_sink
    for n in range(3):
        bad = send_email(f"bad{n}@example.lv", "Nesūtāms", "x")
        bad.attempts = 2
    send_email("good@example.lv", "Paroles maiņa", "Saite")
    dead = send_email("dead@example.lv", "Miris", "x")
    dead.attempts = MAX_ATTEMPTS
    db.session.commit()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
    try:
        deliver_queued(limit=1)
    finally:
        app.config.update(MAIL_SERVER="", MAIL_PORT=587, MAIL_USE_TLS=True)
    assert len(received) == 1 and b"good@example.lv" in received[0]
    assert db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == "dead@example.lv")).one().sent_at is None
