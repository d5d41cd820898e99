#!/usr/bin/env python3
"""Ask BackCare's /healthz whether the app server answers; for systemd.

    python3 deploy/healthcheck.py [URL] [--wait SECONDS]

Exit 0 when the app answers (200 serving, or 503: up, but the database is
unreachable, which restarting the app would not fix); exit 1 when it does
not answer at all, within --wait seconds (default: one try of 5 s).
backcare-web.service waits with it after starting; backcare-healthcheck
restarts the web server when it fails. Standard library only.
"""

from __future__ import annotations

import sys
import time
import urllib.error
import urllib.request

DEFAULT_URL = "http://127.0.0.1:8000/healthz"


def answers(url: str, timeout: float = 5) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - our own URL
            return response.status == 200
    except urllib.error.HTTPError as error:
        return error.code == 503
    except OSError:
        return False


def main(argv: list[str]) -> int:
    url, wait = DEFAULT_URL, 0.0
    args = list(argv)
    if "--wait" in args:
        index = args.index("--wait")
        wait = float(args[index + 1])
        del args[index : index + 2]
    if args:
        url = args[0]
    deadline = time.monotonic() + wait
    while True:
        if answers(url):
            return 0
        if time.monotonic() >= deadline:
            print(f"healthcheck: {url} does not answer", file=sys.stderr)
            return 1
        time.sleep(1)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
