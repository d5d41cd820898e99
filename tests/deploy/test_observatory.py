"""Mozilla's HTTP Observatory scores every kind of page at its best (135 without HSTS preloading).

The production stack, as deployed: nginx from deploy/nginx/ with TLS (a
certificate from a certificate authority made for this test run and trusted by
the scanner only), in front of gunicorn with production settings and the demo
content. Each page is scanned with the Observatory's own retriever, tests and
grader (npm package @mdn/mdn-http-observatory, run by observatory.mjs), offline:
every request goes to 127.0.0.1, and its HSTS preload list is empty.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from .services import ROOT, Server, free_port, make_certificates, manage, orm, render, require_binary

pytestmark = pytest.mark.deploy

BEST_SCORE = 135  # 100 + every bonus but the 5 for being on the browsers' HSTS preload list
OBSERVATORY = ROOT / "node_modules" / "@mdn" / "mdn-http-observatory"
RUNNER = Path(__file__).with_name("observatory.mjs")


@pytest.fixture(scope="module")
def certificates(tmp_path_factory) -> Path:
    """A throwaway certificate authority, and a certificate it signed for 127.0.0.1."""
    return make_certificates(tmp_path_factory.mktemp("tls"), ca_name="BackCare test CA")


@pytest.fixture(scope="module")
def demo_env(production_env, make_postgres_database) -> dict[str, str]:
    """Production settings on a database of their own with the demo content."""
    env = {**production_env, "DATABASE_URL": make_postgres_database()}
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "load_demo", "--i-know-this-is-production")  # a throw-away database
    return env


@pytest.fixture(scope="module")
def pages(demo_env) -> dict[str, str]:
    course, comment = orm(
        demo_env,
        "from classes.models import Course\n"
        "from comments.models import Comment\n"
        "from django.urls import reverse\n"
        "print(Course.objects.filter(is_published=True).first().get_absolute_url())\n"
        "print(reverse('comments:reply', args=[Comment.objects.filter(status='approved').first().pk]))\n",
    ).split()
    return {
        "home": "/",
        "exercise": "/exercises/knee-walking/",
        "classes": "/classes/",
        "course": course,
        "comment reply": comment,
        "admin login": "/admin/login/",
    }


@dataclass
class Site:
    https: Server
    http_port: int


@pytest.fixture(scope="module")
def site(start_gunicorn, start_nginx, demo_env, certificates, tmp_path_factory) -> Site:
    """The HTTPS site, and the plain-HTTP server that redirects to it, as in production."""
    folder = tmp_path_factory.mktemp("nginx-snippets")
    https_port, http_port = free_port(), free_port()
    (folder / "tls.conf").write_text(
        render.render_file(
            ROOT / "deploy" / "nginx" / "tls.conf",
            TLS_CERTIFICATE=str(certificates / "server.pem"),
            TLS_CERTIFICATE_KEY=str(certificates / "server.key"),
        )
    )
    (folder / "redirect-http.conf").write_text(
        render.render_file(
            ROOT / "deploy" / "nginx" / "redirect-http.conf",
            HTTP_LISTEN=f"listen 127.0.0.1:{http_port};",
            HTTP_SERVER_NAMES="127.0.0.1",
            ACME_ROOT=str(folder),
            HTTPS_ORIGIN=f"https://127.0.0.1:{https_port}",
        )
    )
    https = start_nginx(
        start_gunicorn(demo_env),
        demo_env,
        port=https_port,
        listen="ssl http2",
        tls=f"include {folder / 'tls.conf'};",
        extra=f"include {folder / 'redirect-http.conf'};",
    )
    return Site(https, http_port)


def observatory_scan(site: Site, path: str, certificates: Path) -> dict:
    if not (OBSERVATORY / "conf" / "hsts-preload.json").exists():
        pytest.fail(
            "The Observatory package is not installed with its (empty) HSTS preload list: run `make assets`.",
            pytrace=False,
        )
    https_port = site.https.url.rsplit(":", 1)[1]
    env = {
        "PATH": os.environ["PATH"],
        "NODE_EXTRA_CA_CERTS": str(certificates / "ca.pem"),
        # Anything not on loopback would go to a dead proxy.
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "HTTP_PROXY": "http://127.0.0.1:9",
        "NO_PROXY": "127.0.0.1",
    }
    result = subprocess.run(
        [require_binary("node", "nodejs"), str(RUNNER), "127.0.0.1", https_port, str(site.http_port), path],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, f"The Observatory could not scan {path}:\n{result.stdout}\n{result.stderr}"
    return json.loads(result.stdout)


def report(path: str, scan: dict) -> str:
    lines = [f"{path}: {scan['score']} ({scan['grade']}), HTTP {scan['status']}"]
    for name, test in scan["tests"].items():
        lines.append(
            f"  {'pass' if test['pass'] else 'FAIL'} {test['scoreModifier']:+4d} {name}: {test['result']}"
        )
    return "\n".join(lines)


@pytest.mark.parametrize("page", ["home", "exercise", "classes", "course", "comment reply", "admin login"])
def test_the_observatory_scores_the_page_at_its_best(site, pages, page, certificates):
    path = pages[page]
    scan = observatory_scan(site, path, certificates)
    print(report(path, scan))
    assert scan["status"] == 200, report(path, scan)
    assert scan["verified"], "The scanner did not trust the test certificate, so HSTS cannot count."
    assert all(test["pass"] for test in scan["tests"].values()), report(path, scan)
    assert scan["tests"]["redirection"]["result"] == "redirection-to-https", report(path, scan)
    assert scan["score"] >= BEST_SCORE, report(path, scan)
