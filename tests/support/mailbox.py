"""A real SMTP server (aiosmtpd, in a thread) that keeps what it receives, for the tests of
mailed links: the app's smtplib talks to it over a socket like to any mail relay."""

from email import message_from_bytes, policy

from aiosmtpd.controller import Controller

from .live import free_port


class _Keep:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        # Kept before the 250 goes back: once the app's send returns, the message is here.
        self.messages.append((envelope.rcpt_tos, message_from_bytes(
            envelope.content, policy=policy.default)))
        return "250 OK"


class Mailbox:
    def __init__(self):
        self.keep = _Keep()
        self.port = free_port()
        self.controller = Controller(self.keep, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    @property
    def messages(self):
        return self.keep.messages

    def config(self) -> dict:
        return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": self.port,
                "SMTP_FROM": "noreply@kommun.example", "SMTP_STARTTLS": False}
