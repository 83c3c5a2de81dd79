"""A real SMTP server (aiosmtpd) on a local port, keeping what it receives."""

from __future__ import annotations

import email
import socket
import threading
from email import policy

from aiosmtpd.controller import Controller


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

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        with self._arrived:
            self.raw.append(envelope.content)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def start(self) -> Inbox:
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
