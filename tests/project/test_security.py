"""Security headers and settings that every page and every deploy must have."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import ExerciseFactory

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "test-only-" + "k3y" * 20,
    "DJANGO_ALLOWED_HOSTS": "backcare.example.org",
    # Production refuses the development SQLite file; these checks never open a database.
    "DATABASE_URL": "sqlite://:memory:",
    "EMAIL_HOST": "smtp.example.org",
    "PYTHON_AKISMET_API_KEY": "test-key",
    "PYTHON_AKISMET_BLOG_URL": "https://backcare.example.org",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def public_pages(db) -> list[str]:
    exercise = ExerciseFactory()
    return [
        reverse("home"),
        reverse("exercises:list"),
        exercise.get_absolute_url(),
        reverse("exercises:print", args=[exercise.slug]),
        reverse("exercises:follow", args=[exercise.slug]),
        reverse("routine:page") + f"?e={exercise.slug}",
        reverse("routine:print") + f"?e={exercise.slug}",
        reverse("routine:follow") + f"?e={exercise.slug}",
        reverse("safety:help_now"),
        reverse("classes:list"),
        reverse("privacy"),
        "/no-such-page/",
    ]


def csp_directives(policy: str) -> dict[str, str]:
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


def test_every_page_sends_a_content_security_policy_that_allows_nothing_unnamed(client, public_pages):
    for url in public_pages:
        directives = csp_directives(client.get(url)["Content-Security-Policy"])
        assert directives["default-src"] == "default-src 'none'", url
        assert directives["script-src"] == "script-src 'self'", url
        assert directives["style-src"] == "style-src 'self'", url
        assert directives["img-src"] == "img-src 'self' data:", url
        assert directives["font-src"] == "font-src 'self'", url
        assert directives["connect-src"] == "connect-src 'self'", url
        assert directives["form-action"] == "form-action 'self'", url
        assert directives["frame-ancestors"] == "frame-ancestors 'none'", url
        assert directives["base-uri"] == "base-uri 'none'", url
        assert "unsafe-" not in str(directives), url


def test_every_page_keeps_its_resources_to_our_origin_and_turns_off_unused_features(client, public_pages):
    for url in public_pages:
        response = client.get(url)
        assert response["Cross-Origin-Resource-Policy"] == "same-origin", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
        features = dict(item.split("=", 1) for item in response["Permissions-Policy"].split(", "))
        for unused in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
            assert features[unused] == "()", (url, unused)
        # The follow-along mode keeps the screen on during an exercise.
        assert features["screen-wake-lock"] == "(self)", url


def test_static_files_served_by_the_app_may_be_loaded_by_our_pages_only(client):
    response = client.get("/static/css/site.css")
    assert b"".join(response.streaming_content)  # read to the end, which closes the file
    assert response.status_code == 200
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_static_files_served_by_the_app_carry_no_document_only_policy_as_from_nginx(client):
    """A permissions policy governs documents: on each of a page's files it only cost bytes."""
    for path in ("/static/css/site.css", "/static/js/site.js", "/static/img/favicon.svg"):
        response = client.get(path)
        assert b"".join(response.streaming_content)
        assert response.status_code == 200, path
        assert "Permissions-Policy" not in response, path
    assert "camera=()" in client.get("/sw.js")["Permissions-Policy"]  # the worker is no static file


def test_the_server_error_page_sends_every_security_header(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("backcare.views.HomeView.get_context_data", broken)
    client.raise_request_exception = False
    response = client.get(reverse("home"))
    assert response.status_code == 500
    assert b"Sorry, something went wrong" in response.content
    assert csp_directives(response["Content-Security-Policy"])["default-src"] == "default-src 'none'"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert re.findall(
        r'<link rel="stylesheet" href="[^"]+" integrity="sha384-[^"]+">', response.content.decode()
    )


def test_the_admin_runs_its_scripts_under_the_same_strict_policy(editor_client):
    # The admin's login hands over to the sign-in page (accounts/sign_in.py); a signed-in admin page.
    response = editor_client.get(reverse("admin:index"))
    assert response.status_code == 200
    directives = csp_directives(response["Content-Security-Policy"])
    assert directives["default-src"] == "default-src 'none'"
    # The admin's templates mark their scripts with the nonce: it is in the header.
    nonce = re.search(r"'nonce-([^']+)'", directives["script-src"]).group(1)
    html = response.content.decode()
    assert f'nonce="{nonce}"' in html
    assert re.search(r'<script src="/static/admin/js/theme.js" integrity="sha384-[^"]+"', html)
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_no_page_has_an_inline_script_without_the_nonce(client, public_pages):
    """Inline scripts are allowed only with the nonce, or as data blocks browsers never run."""
    for url in public_pages:
        response = client.get(url)
        html = response.content.decode()
        for attributes in re.findall(r"<script\b([^>]*)>", html):
            if "src=" in attributes:
                continue
            nonce = re.search(r'nonce="([^"]+)"', attributes)
            is_data_block = 'type="application/ld+json"' in attributes
            assert is_data_block or (
                nonce and f"'nonce-{nonce.group(1)}'" in response["Content-Security-Policy"]
            ), f"{url} has an inline script without the nonce: <script{attributes}>"


def test_no_page_has_inline_styles_or_event_handlers(client, public_pages):
    for url in public_pages:
        html = client.get(url).content.decode()
        assert not re.search(r"<style\b", html), url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url


def test_pages_refuse_framing_and_limit_the_referrer(client):
    response = client.get(reverse("home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_public_pages_set_no_cookies_for_an_anonymous_reader(client, public_pages):
    for url in public_pages:
        assert not client.get(url).cookies, url


def test_deploy_checks_pass_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": ""}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_cookies_are_secure_and_hsts_is_on():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, s.SECURE_SSL_REDIRECT)"
    )
    result = manage("shell", "-v0", "-c", code, env=PRODUCTION_ENV)
    assert result.stdout.split() == ["True", "True", "True", "True"], result.stderr


def test_static_files_collect_with_hashed_and_compressed_names(tmp_path):
    env = {**PRODUCTION_ENV, "DJANGO_STATIC_ROOT": str(tmp_path)}
    result = manage("collectstatic", "--no-input", "-v0", env=env)
    assert result.returncode == 0, result.stderr
    css = list((tmp_path / "css").glob("site.*.css"))
    assert css, "no hashed site.css"
    assert list((tmp_path / "css").glob("site.*.css.br")) or list((tmp_path / "css").glob("site.*.css.gz"))
    assert list((tmp_path / "vendor" / "bootstrap" / "css").glob("bootstrap.min.*.css"))
