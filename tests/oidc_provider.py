"""A real OpenID Connect provider on 127.0.0.1 for the browser tests (``tests/oidc_provider.mjs``).

It is the npm package ``oidc-provider`` (a devDependency), run by Node in a child
process: discovery, authorisation with PKCE, the token and userinfo endpoints and
signed ID tokens are the package's own, so allauth's ``openid_connect`` provider
talks to a real server the way it would in production. Only the sign-in page is
the script's, with one account. The server listens on a port the system picks
and says its issuer on its first line of output; ``stop()`` ends it (a test does
so to see the site cope with a provider that is down). ``token_endpoint_down``
makes it drop the site's code exchange: a provider that fails half-way.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).with_suffix(".mjs")
START_SECONDS = 20


@dataclass(frozen=True)
class Account:
    """The one person who can sign in at the provider."""

    sub: str
    email: str
    password: str
    given_name: str
    family_name: str

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class OIDCProvider:
    """The provider process: ``start()`` waits until it listens, ``stop()`` ends it."""

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        redirect_uris: list[str],
        account: Account,
        token_endpoint_down: bool = False,
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.account = account
        self._config = {
            "client_id": client_id,
            "client_secret": client_secret,
            "redirect_uris": redirect_uris,
            "account": account.__dict__,
            "token_endpoint_down": token_endpoint_down,
        }
        self._process: subprocess.Popen[str] | None = None
        self._drainer: threading.Thread | None = None
        self.issuer = ""
        self.log: list[str] = []

    def start(self) -> OIDCProvider:
        node = shutil.which("node")
        if node is None:
            raise RuntimeError("Node is needed for the OpenID Connect provider (make install).")
        self._process = subprocess.Popen(
            [node, str(SCRIPT)],
            cwd=SCRIPT.parent.parent,
            env={**os.environ, "OIDC_TEST_CONFIG": json.dumps(self._config), "NODE_ENV": "test"},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        stdout = self._process.stdout
        assert stdout is not None
        first_line: list[str] = []
        reader = threading.Thread(target=lambda: first_line.append(stdout.readline()), daemon=True)
        reader.start()
        reader.join(START_SECONDS)
        if not first_line or not first_line[0].strip():
            self._process.kill()
            _, errors = self._process.communicate()
            raise RuntimeError(f"The OpenID Connect provider did not start: {errors}")
        self.issuer = json.loads(first_line[0])["issuer"]
        self._drainer = threading.Thread(target=self._drain, daemon=True)
        self._drainer.start()
        return self

    def _drain(self) -> None:
        """Keep the provider's warnings for a failing test's message, and its pipe from filling up."""
        stderr = self._process.stderr if self._process is not None else None
        if stderr is None:
            return
        for line in stderr:
            self.log.append(line.rstrip())

    def stop(self) -> None:
        """End the process (if still running) and close its pipes; calling it twice is fine."""
        process = self._process
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._drainer is not None:
            self._drainer.join(5)
        for pipe in (process.stdout, process.stderr):
            if pipe is not None:
                pipe.close()
