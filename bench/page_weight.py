"""Page weights and Lighthouse's performance figures for BackCare's main pages, without nginx.

    .venv/bin/python bench/page_weight.py http://127.0.0.1:PORT   # a running site (bench/run: its gunicorn)
    .venv/bin/python bench/page_weight.py --start   # start one (tests/browser/production_site.py)

For each page: the bytes a browser transfers on a first visit (the HTML and
every stylesheet, script and picture it loads, as sent to a browser that
accepts gzip and Brotli, headers included) and on the next (the HTML alone:
hashed static files are cached as immutable; the page itself is counted whole,
as after a change, not as a 304), against issue 23's goals (≤ 25 KiB and
≤ 10 KiB); then Lighthouse's performance score and largest contentful paint
(mobile, simulated slow 4G; bin/lighthouse.mjs), too noisy on a shared machine
to assert, so written down only. Prints a Markdown table and writes it into
docs/performance.md between the ``bytes`` markers.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = [
    ("home", "/"),
    ("an exercise", "/exercises/knee-walking/"),
    ("/classes/", "/classes/"),
    ("a course", "/classes/ioga-ir-cefn-demo/"),
    ("a routine", "/routine/?e=knee-walking,pelvic-tilts"),
    ("follow-along", "/routine/follow/?e=knee-walking,pelvic-tilts"),
    ("a Welsh exercise", "/cy/exercises/knee-walking/"),
]
FIRST_VISIT_GOAL = 25 * 1024
NEXT_VISIT_GOAL = 10 * 1024
ACCEPT = {"Accept-Encoding": "gzip, deflate, br", "User-Agent": "Mozilla/5.0 (BackCare bench)"}
DOC = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- bytes:begin -->", "<!-- bytes:end -->"


class Resources(HTMLParser):
    """The addresses a page makes the browser load: stylesheets, scripts, icons and pictures."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link" and found.get("rel") in ("stylesheet", "icon") and found.get("media") != "print":
            self.urls.append(found.get("href") or "")
        elif tag in ("script", "img") and found.get("src"):
            self.urls.append(found["src"] or "")


def transferred(client: httpx.Client, url: str) -> int:
    """Bytes on the wire for ``url``: the status line and headers, and the body as sent (compressed)."""
    with client.stream("GET", url, headers=ACCEPT) as response:
        response.raise_for_status()
        body = sum(len(chunk) for chunk in response.iter_raw())
        head = len(f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n") + sum(
            len(name) + len(value) + 4 for name, value in response.headers.raw
        )
        return head + body + 2


def weigh(client: httpx.Client, base: str, path: str) -> dict:
    html = client.get(base + path, headers={"User-Agent": ACCEPT["User-Agent"]}).text
    parser = Resources()
    parser.feed(html)
    assets = sorted({urljoin(base + path, url) for url in parser.urls if url and not url.startswith("data:")})
    page = transferred(client, base + path)
    return {
        "page_bytes": page,
        "first_visit_bytes": page + sum(transferred(client, url) for url in assets),
        "next_visit_bytes": page,
        "assets": assets,
        "compressed": client.get(base + path, headers=ACCEPT).headers.get("Content-Encoding", "none"),
    }


def lighthouse(base: str) -> list[dict]:
    node = shutil.which("node") or "/usr/bin/node"
    result = subprocess.run(  # noqa: S603 - our own script, our loopback addresses
        [node, str(ROOT / "bin" / "lighthouse.mjs"), "performance", *(base + path for _, path in PAGES)],
        cwd=ROOT,
        env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if result.returncode:
        print(f"bench: Lighthouse failed: {result.stderr[-2000:]}", file=sys.stderr)
        return [{} for _ in PAGES]
    return json.loads(result.stdout)["pages"]


def kib(size: float) -> str:
    return f"{size / 1024:.1f}"


def table(rows: list[dict]) -> str:
    lines = [
        "| page | HTML KiB (sent) | first visit KiB | ≤ 25 KiB | next visit KiB | ≤ 10 KiB "
        "| first visit KiB by Lighthouse | Lighthouse performance | largest contentful paint |",
        "|---|--:|--:|:-:|--:|:-:|--:|--:|--:|",
    ]
    for row in rows:
        score = row.get("performance")
        lcp = row.get("lcp_ms")
        lighthouse_bytes = row.get("lighthouse_transfer_bytes")
        lines.append(
            f"| {row['title']} (`{row['path']}`) | {kib(row['page_bytes'])} ({row['compressed']}) "
            f"| {kib(row['first_visit_bytes'])} | {'yes' if row['first_visit_bytes'] <= FIRST_VISIT_GOAL else '**no**'} "
            f"| {kib(row['next_visit_bytes'])} | {'yes' if row['next_visit_bytes'] <= NEXT_VISIT_GOAL else '**no**'} "
            f"| {'–' if lighthouse_bytes is None else kib(lighthouse_bytes)} "
            f"| {'–' if score is None else score} | {'–' if lcp is None else f'{lcp / 1000:.2f} s'} |"
        )
    return "\n".join(lines)


def measure(base: str) -> tuple[list[dict], str]:
    with httpx.Client(timeout=30) as client:
        for _, path in PAGES:  # warm the page cache, as a visitor after another finds it
            client.get(base + path)
        rows = [{"title": title, "path": path, **weigh(client, base, path)} for title, path in PAGES]
    reports = lighthouse(base)
    version = next((report["lighthouse"] for report in reports if report.get("lighthouse")), "–")
    for row, report in zip(rows, reports, strict=True):
        row["performance"] = (report.get("scores") or {}).get("performance")
        row["lcp_ms"] = report.get("lcp_ms")
        row["lighthouse_transfer_bytes"] = report.get("transfer_bytes")
    header = (
        f"Run {datetime.now(UTC):%Y-%m-%dT%H%M%SZ} against {base} (gunicorn alone, production settings, "
        f"page cache warm); Lighthouse {version}, mobile, simulated slow 4G."
    )
    return rows, header + "\n\n" + table(rows)


def write_doc(text: str) -> None:
    doc = DOC.read_text()
    if BEGIN in doc and END in doc:
        before, rest = doc.split(BEGIN, 1)
        doc = before + BEGIN + "\n" + text + "\n" + END + rest.split(END, 1)[1]
        DOC.write_text(doc)


def main(argv: list[str]) -> None:
    with ExitStack() as stack:
        if argv[:1] == ["--start"]:
            from tests.browser.production_site import production_site

            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="backcare-weight-")))
            base = stack.enter_context(production_site(folder))
        elif argv and re.match(r"^http://127\.0\.0\.1:\d+$", argv[0]):
            base = argv[0]
        else:
            sys.exit(__doc__)
        rows, text = measure(base)
    print(text)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / f"page-weight-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json").write_text(json.dumps(rows, indent=2))
    if os.environ.get("BENCH_WRITE_DOC", "1") == "1":
        write_doc(text)


if __name__ == "__main__":
    main(sys.argv[1:])
