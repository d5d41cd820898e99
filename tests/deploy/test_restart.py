"""A restart of backcare-web refuses no request: systemd holds the socket while gunicorn is replaced.

The test plays systemd (``tests/deploy/systemd.py``): it holds the socket of
``backcare-web.socket`` and starts the ``ExecStart`` of
``backcare-web.service`` on it, stops it with SIGTERM and starts a new one,
as ``systemctl restart backcare-web`` does, while readers keep asking.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import httpx
import pytest

from .services import wait_for
from .systemd import exec_start, listening_socket, start_socket_activated

pytestmark = pytest.mark.deploy

PAGES = ("/exercises/knee-walking/", "/robots.txt", "/cy/exercises/knee-walking/")
READERS = 4


@dataclass
class Readers:
    """Threads that GET pages over fresh connections until told to stop, noting every failure."""

    url: str
    answered: int = 0
    failures: list[str] = field(default_factory=list)
    started_while_restarting: int = 0
    restarting: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def read(self, offset: int) -> None:
        turn = offset
        while not self.done.is_set():
            path = PAGES[turn % len(PAGES)]
            turn += 1
            during_restart = self.restarting.is_set()
            try:
                status = httpx.get(self.url + path, timeout=60).status_code
                failure = f"{path}: {status}" if status >= 500 else None
            except httpx.HTTPError as error:
                failure = f"{path}: {error!r}"
            with self.lock:
                self.answered += failure is None
                self.started_while_restarting += during_restart
                if failure:
                    self.failures.append(failure)

    def __enter__(self) -> Readers:
        self.threads = [threading.Thread(target=self.read, args=(n,)) for n in range(READERS)]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.done.set()
        for thread in self.threads:
            thread.join()


def test_restarting_gunicorn_on_the_held_socket_refuses_no_request(postgres_env, tmp_path):
    sock = listening_socket()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    command = exec_start("backcare-web.service")
    log = tmp_path / "gunicorn.log"
    old = start_socket_activated(command, sock, postgres_env, log)
    new = None
    try:
        wait_for(url + "/healthz", old, log)
        with Readers(url) as readers:
            while readers.answered < 20:
                time.sleep(0.05)
            readers.restarting.set()  # from SIGTERM until the new gunicorn answers
            began = time.monotonic()
            old.terminate()
            assert old.wait(35) == 0, log.read_text()[-3000:]
            new = start_socket_activated(command, sock, postgres_env, log)
            wait_for(url + "/healthz", new, log)
            readers.restarting.clear()
            took = time.monotonic() - began
            served_before = readers.answered
            while readers.answered < served_before + 20:
                time.sleep(0.05)
        print(
            f"restart on the held socket: {took:.1f} s from SIGTERM to the new gunicorn answering; "
            f"{readers.answered} requests answered, {readers.started_while_restarting} of them "
            f"asked during the restart, {len(readers.failures)} failed"
        )
        assert readers.failures == []
        assert readers.started_while_restarting > 0  # the readers really asked during the restart
        assert new.poll() is None
        assert httpx.get(url + "/exercises/knee-walking/", timeout=10).status_code == 200
    finally:
        for process in (old, new):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(35)
        sock.close()
