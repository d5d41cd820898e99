"""A fake Akismet on 127.0.0.1 that answers at once: every key valid, every comment ham
but those by "viagra-test-123" (Akismet's own test name for spam), which are spam.

    python bench/fake_akismet.py PORT

Counts the calls it answers in /stats (plain text), so bench/run can report
whether the app's worker reached it.
"""

from __future__ import annotations

import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ANSWERS = {
    "/1.1/verify-key": b"valid",
    "/1.1/comment-check": b"false",
    "/1.1/submit-spam": b"Thanks for making the web a better place.",
    "/1.1/submit-ham": b"Thanks for making the web a better place.",
}
SPAMMER = "viagra-test-123"
calls = 0
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        global calls
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        path = self.path.split("?")[0]
        answer = ANSWERS.get(path)
        if path == "/1.1/comment-check" and SPAMMER.encode() in body:
            answer = b"true"
        with lock:
            calls += 1
        self.reply(200 if answer else 404, answer or b"unknown")

    def do_GET(self) -> None:
        self.reply(200, str(calls).encode() if self.path == "/stats" else b"fake akismet")

    def reply(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
