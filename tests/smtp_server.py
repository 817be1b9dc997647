"""A real SMTP server for the tests (aiosmtpd, in a thread): it keeps what it receives, and can refuse a recipient
for good (5xx) or answer "try again later" (4xx) a number of times. `free_port()` finds a port nobody listens on."""
import socket
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Handler:
    def __init__(self):
        self.received: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refused: dict[str, str] = {}  # address -> reply, e.g. "550 5.1.1 No such mailbox"
        self.busy_replies = 0  # answer the next N messages' DATA with 451

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return self.refused[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.busy_replies > 0:
            self.busy_replies -= 1
            return "451 4.3.0 Try again later"
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.received.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 Message accepted"


class SMTPServer:
    """with SMTPServer(port) as server: ... server.handler.received"""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.handler = Handler()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    @property
    def received(self) -> list[EmailMessage]:
        return self.handler.received

    def config(self) -> dict:
        """The app settings that send to this server."""
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.port, "MAIL_USE_TLS": False, "MAIL_USERNAME": ""}
