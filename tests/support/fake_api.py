"""A local HTTP server that answers like a remote API, with faults on demand.

Tests point a connector's base URL (GITHUB_API_URL ...) at `server.url` and
register answers per path:

    server.route("GET", "/users/octocat", json={"followers": 10})
    server.route("GET", "/users/missing", status=404, json={"message": "Not Found"})
    server.route("GET", "/users/slow", delay=15)              # a timeout
    server.route("GET", "/users/busy", status=429, headers={"Retry-After": "2"})
    server.route("GET", "/users/odd", body=b"{not json")      # invalid JSON
    server.route("GET", "/users/flaky", responses=[dict(status=500), dict(json={...})])
    server.route("GET", "/feed", body=b"...", drip=0.2)       # one byte of the body every 0.2 s

A route's `responses` are served in turn (the last one repeats). Query strings
are not part of the path; every request is kept in `server.requests` for
assertions (method, path, query, headers). `server.delay` adds latency to all.
"""

from __future__ import annotations

import json as jsonlib
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Answer:
    status: int = 200
    json: Any = None
    body: bytes | str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    content_type: str | None = None
    drip: float = 0.0  # seconds between the body's bytes: a server that trickles its answer

    def payload(self) -> tuple[bytes, str]:
        if self.body is not None:
            raw = self.body.encode() if isinstance(self.body, str) else self.body
            return raw, self.content_type or "application/octet-stream"
        return jsonlib.dumps(self.json).encode(), self.content_type or "application/json; charset=utf-8"


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


class _Route:
    def __init__(self, answers: list[Answer]):
        self.answers = answers
        self.served = 0
        self.lock = threading.Lock()

    def next(self) -> Answer:
        with self.lock:
            answer = self.answers[min(self.served, len(self.answers) - 1)]
            self.served += 1
            return answer


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A client that stops reading (a capped answer, a timeout) resets the connection: not an error here.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class FakeAPI:
    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.routes: dict[tuple[str, str], _Route] = {}
        self.requests: list[Request] = []
        self.delay = 0.0
        self._lock = threading.Lock()
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with api._lock:
                    api.requests.append(
                        Request(self.command, parts.path, parse_qs(parts.query), dict(self.headers.items()), body)
                    )
                route = api.routes.get((self.command, parts.path))
                answer = route.next() if route else Answer(404, json={"error": "no such route in the fake API"})
                if api.delay or answer.delay:
                    time.sleep(api.delay + answer.delay)
                raw, content_type = answer.payload()
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(raw)))
                    for name, value in answer.headers.items():
                        self.send_header(name, value.replace("{url}", api.url))
                    self.end_headers()
                    if answer.drip:
                        for byte in raw:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(answer.drip)
                    else:
                        self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test); nothing to answer

            do_GET = do_POST = do_HEAD = _handle

            def log_message(self, *args):  # keep test output quiet
                return

        self.server = _Server((host, port), Handler)
        self.server.daemon_threads = True
        self.server.request_queue_size = 256
        # A short poll interval: stop() waits for it, once per test.
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def route(self, method: str, path: str, responses: list[dict] | None = None, **answer) -> None:
        """Answer `method path` with one answer (keyword arguments) or several in turn."""
        answers = [Answer(**r) for r in responses] if responses else [Answer(**answer)]
        self.routes[(method.upper(), path)] = _Route(answers)

    def requests_to(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def start(self) -> FakeAPI:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> FakeAPI:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
