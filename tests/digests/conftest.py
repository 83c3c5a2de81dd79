"""A real SMTP server (aiosmtpd) collecting what it receives, and subjects with a score history."""

import datetime as dt
import email
import socket
import threading
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from influence import scores
from influence.core.choices import ActivityKind, Network
from tests.factories import AccountFactory, ActivityFactory, ObservationFactory


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """aiosmtpd handler: every message received, parsed, in arrival order."""

    def __init__(self, port: int):
        self.port = port
        # Raw bytes as received; parsed only when a test reads them, so that the server
        # itself stays as quick as a real one (the benchmark's floor depends on it).
        self.raw: list[bytes] = []
        self._parsed: list[email.message.EmailMessage] = []
        self._arrived = threading.Condition()
        self._controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope):
        with self._arrived:
            self.raw.append(envelope.content)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def start(self) -> "Inbox":
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller:
            self._controller.stop()
            self._controller = None

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        with self._arrived:
            raw = list(self.raw)
        for content in raw[len(self._parsed):]:
            self._parsed.append(email.message_from_bytes(content, policy=policy.default))
        return list(self._parsed)

    def wait_for(self, count: int, timeout: float = 30) -> list:
        """Block until `count` messages have arrived (or the timeout passes); returns them all."""
        with self._arrived:
            self._arrived.wait_for(lambda: len(self.raw) >= count, timeout)
        return self.messages

    def recipients(self) -> list[str]:
        return sorted(str(m["To"]) for m in self.messages)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


@pytest.fixture
def smtp_server():
    inbox = Inbox(free_port()).start()
    yield inbox
    inbox.stop()


@pytest.fixture
def closed_smtp_port():
    """A port with nothing listening yet; `.start()` opens the server on it later."""
    inbox = Inbox(free_port())
    yield inbox
    inbox.stop()


@pytest.fixture
def mail_to(settings):
    """Point this process's email settings at an Inbox (the code under test sends over SMTP)."""

    def point(inbox: Inbox) -> Inbox:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = inbox.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5
        return inbox

    return point


def give_history(subject, today: dt.date | None = None, days: int = 40) -> None:
    """Followers growing every day, a talk 20 days ago and one 3 days ago, then the snapshots."""
    today = today or timezone.now().date()
    account = AccountFactory(subject=subject, network=Network.GITHUB, handle=f"gh-{subject.pk}")
    for offset in range(days, -1, -1):
        ObservationFactory(account=account, metric="followers", day=today - dt.timedelta(days=offset),
                           value=200 + 10 * (days - offset))
    ActivityFactory(subject=subject, kind=ActivityKind.KEYNOTE, title="Opening keynote",
                    date=today - dt.timedelta(days=20), audience=800)
    ActivityFactory(subject=subject, kind=ActivityKind.BOOK, title="The book", venue="Press & Co",
                    date=today - dt.timedelta(days=3), audience=5000)
    scores.recompute_history(subject.pk, until=today)
