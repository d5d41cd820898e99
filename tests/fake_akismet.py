"""A fake Akismet on 127.0.0.1, reached by the real ``akismet.SyncClient``.

The client always calls https://rest.akismet.com; ``LocalTransport`` sends
those requests to the fake server's port instead, so everything above the
socket (the library's parsing, our timeout, the alert-header hook) is real.
Each test programs the answers: ham, spam, discard, errors, slowness, alerts.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import httpx

from akismet_service import api

SUBMITTED = "Thanks for making the web a better place."


@dataclass
class Answer:
    body: str = "false"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Received:
    path: str
    fields: dict[str, str]
    headers: dict[str, str]


class FakeAkismet:
    """The programmable server: ``answer(...)`` sets what every next request gets."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.next = Answer()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    def start(self) -> FakeAkismet:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def answer(self, body: str = "false", *, status: int = 200, headers=None, delay: float = 0.0) -> None:
        self.next = Answer(body, status, dict(headers or {}), delay)

    def ham(self) -> None:
        self.answer("false")

    def spam(self) -> None:
        self.answer("true")

    def discard(self) -> None:
        self.answer("true", headers={"X-akismet-pro-tip": "discard"})

    @property
    def last(self) -> Received:
        return self.received[-1]

    def paths(self) -> list[str]:
        return [request.path for request in self.received]

    def transport(self) -> LocalTransport:
        return LocalTransport(self.port)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length).decode()
                fields = {key: values[-1] for key, values in parse_qs(body, keep_blank_values=True).items()}
                fake.received.append(Received(self.path, fields, dict(self.headers)))
                answer = fake.next
                if self.path.endswith(("/submit-spam", "/submit-ham")) and answer.body in ("false", "true"):
                    answer = Answer(SUBMITTED, answer.status, answer.headers, answer.delay)
                if self.path.endswith("/verify-key") and answer.body in ("false", "true"):
                    answer = Answer("valid", answer.status, answer.headers, answer.delay)
                if answer.delay:
                    time.sleep(answer.delay)
                payload = answer.body.encode()
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", "text/plain; charset=utf-8")
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
                    pass

            def log_message(self, format, *args) -> None:  # keep the test output clean
                pass

        return Handler


class LocalTransport(api.RedirectTransport):
    """Sends requests for Akismet's fixed host to a port on 127.0.0.1."""

    def __init__(self, port: int) -> None:
        super().__init__(f"http://127.0.0.1:{port}")


def closed_port() -> int:
    """A port nothing listens on: connecting to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def real_client(transport: httpx.BaseTransport):
    """The configured Akismet client (key from the environment) talking through ``transport``:
    the service's own ``connect()``, so the client is closed as in production."""
    return REAL_CONNECT(transport=transport)


REAL_CONNECT = api.connect
