"""Lighthouse (npm, pinned) on our main pages: accessibility, best practices and SEO at 100.

The site runs as production runs it without nginx (tests/browser/production_site.py:
gunicorn, DEBUG off, static files hashed and served by WhiteNoise, the demo
content), and bin/lighthouse.mjs drives Debian's Chromium through Lighthouse's
default mobile audit, with only these three categories (performance is too
noisy on a shared machine to assert: bench/page_weight.py prints it). Nothing
leaves 127.0.0.1: Chromium's background networking is off and any other
address meets a closed proxy, and Lighthouse's error reporting is off.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.browser.production_site import production_site

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("accessibility", "best-practices", "seo")
PINNED = "12.2.3"

# Home, an exercise, the classes, a course, a routine, the routine's follow-along, a Welsh exercise.
ROUTINE = "?e=knee-walking,pelvic-tilts"
PAGES = [
    "/",
    "/exercises/knee-walking/",
    "/classes/",
    "/classes/ioga-ir-cefn-demo/",
    "/routine/" + ROUTINE,
    "/routine/follow/" + ROUTINE,
    "/cy/exercises/knee-walking/",
]
# Follow-along is a card-by-card view of exercises that have their own pages: it
# says noindex on purpose (exercises/templates/exercises/follow.html), so the one
# SEO audit it must fail is "Page is blocked from indexing", and every other passes.
NOINDEX = {"/routine/follow/" + ROUTINE}


def run_lighthouse(urls: list[str]) -> list[dict]:
    node = shutil.which("node")
    assert node, "Node.js is not installed (bin/system-deps installs it)"
    assert (ROOT / "node_modules" / "lighthouse").is_dir(), "Lighthouse is not installed: run `make assets`"
    result = subprocess.run(
        [node, "bin/lighthouse.mjs", ",".join(CATEGORIES), *urls],
        cwd=ROOT,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"Lighthouse failed:\n{result.stderr[-3000:]}"
    return json.loads(result.stdout)["pages"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[str]:
    with production_site(tmp_path_factory.mktemp("lighthouse")) as url:
        yield url


@pytest.fixture(scope="module")
def reports(site) -> dict[str, dict]:
    pages = run_lighthouse([site + path for path in PAGES])
    return dict(zip(PAGES, pages, strict=True))


def test_lighthouse_is_the_pinned_version(reports):
    package = json.loads((ROOT / "package.json").read_text())
    assert package["devDependencies"]["lighthouse"] == PINNED
    assert {report["lighthouse"] for report in reports.values()} == {PINNED}


@pytest.mark.parametrize("path", PAGES)
def test_page_scores_100_for_accessibility_best_practices_and_seo(reports, path):
    report = reports[path]
    failed = [(audit["category"], audit["id"], audit["title"]) for audit in report["failed"]]
    if path in NOINDEX:
        assert failed == [("seo", "is-crawlable", "Page is blocked from indexing")]
        assert report["scores"]["accessibility"] == report["scores"]["best-practices"] == 100
    else:
        assert failed == []
        assert report["scores"] == dict.fromkeys(CATEGORIES, 100)


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_nothing_from_anywhere_but_the_site(reports, site, path):
    assert reports[path]["origins"] == [site]


# The bytes behind the scores, on the same production-like site (gunicorn alone).


def test_public_pages_come_gzipped_from_gunicorn_alone_hits_included(site):
    for path in PAGES:
        # Each gunicorn worker keeps its own (local-memory) cache here: ask until one has it.
        answers = [httpx.get(site + path, headers={"Accept-Encoding": "gzip"}) for _ in range(6)]
        assert all(answer.headers["Content-Encoding"] == "gzip" for answer in answers), path
        assert "hit" in [answer.headers.get("X-Page-Cache") for answer in answers], path


def test_hashed_static_files_are_cached_for_years_as_immutable(site):
    html = httpx.get(site + "/exercises/knee-walking/").text
    assets = re.findall(r'(?:href|src)="(/static/[^"]+\.[0-9a-f]{12}\.(?:css|js|svg))"', html)
    assert any("/vendor/bootstrap/" in asset for asset in assets)
    for asset in assets:
        cache_control = httpx.get(site + asset).headers["Cache-Control"]
        assert "immutable" in cache_control, asset
        max_age = re.search(r"max-age=(\d+)", cache_control)
        assert max_age, asset
        assert int(max_age[1]) >= 365 * 24 * 3600, asset
