"""What the drill (test_drill.py) brings to the site and how it watches it.

Its release (a sentence on the home page, a migration, a page that fails on
purpose), the readers who keep reading through nginx while it is released, and
the small waits the drill makes between the guide's steps.
"""

from __future__ import annotations

import pwd
import ssl
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from .services import port_opens

# The drill's release: a sentence on the home page, a migration, and a page that fails.
RELEASED_SENTENCE = "This sentence arrived with the drill's release."
RELEASE_MIGRATION = '''from django.db import migrations


class Migration(migrations.Migration):
    """The drill's release: a migration the update must apply."""

    dependencies = [("{app}", "{latest}")]
    operations = [migrations.RunSQL("SELECT 1", migrations.RunSQL.noop)]
'''
FAILING_VIEW = """

def drill_failure(request):
    raise RuntimeError("the drill's view fails on purpose")


urlpatterns += [path("drill-failure/", drill_failure)]
"""


@dataclass
class Readers:
    """Readers who keep reading through nginx while the site is released: every answer kept."""

    base: str
    ca: Path
    paths: tuple[str, ...] = ("/", "/healthz/ready")
    answers: list[tuple[float, str, str, float]] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        with httpx.Client(base_url=self.base, verify=trust(self.ca), timeout=60) as client:
            while not self.stopping.is_set():
                for path in self.paths:
                    started = time.monotonic()
                    try:
                        outcome = str(client.get(path).status_code)
                    except httpx.HTTPError as error:
                        outcome = type(error).__name__
                    self.answers.append((started, path, outcome, time.monotonic() - started))

    def failures(self) -> list[tuple[float, str, str, float]]:
        return [answer for answer in self.answers if answer[2] != "200"]


def trust(ca: Path) -> ssl.SSLContext:
    """Certificates signed by the drill's own certificate authority."""
    return ssl.create_default_context(cafile=str(ca))


def wait_for_port(port: int, log: Path) -> None:
    assert port_opens(port), log.read_text()


def user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def wait_until(condition, message: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.2)


def first_seen(site: str, ca: Path, sentence: str) -> float:
    started = time.monotonic()
    while sentence not in httpx.get(site + "/", verify=trust(ca), timeout=30).text:
        assert time.monotonic() - started < 5, "nginx still served the old page 5 s after the release"
        time.sleep(0.1)
    return time.monotonic() - started
