"""The nginx site in deploy/: it renders, nginx accepts it, and its micro-cache honours the app's headers."""

from __future__ import annotations

import re
import secrets
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from django.conf import settings

from .conftest import (
    ROOT,
    Server,
    manage,
    nginx_command,
    orm,
    render,
    write_nginx_config,
)

pytestmark = pytest.mark.deploy

PAGE = "/exercises/knee-walking/"
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Cross-Origin-Resource-Policy",
    "Permissions-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
)


def test_the_production_site_renders_with_every_placeholder_filled():
    site = render.render_file(ROOT / "deploy" / "nginx" / "backcare.conf")
    assert "@" not in site.replace("@NAME@", "")
    assert "listen 443 ssl http2;" in site
    for snippet in ("tls.conf", "redirect-http.conf"):
        assert "@" not in render.render_file(ROOT / "deploy" / "nginx" / snippet).replace("@NAME@", "")
    assert "proxy_cache_valid 200 301 1s;" in site


def test_a_placeholder_without_a_value_is_an_error():
    with pytest.raises(KeyError, match="SITE"):
        render.render("include @SITE@;", {})


def test_nginx_accepts_the_rendered_site(tmp_path):
    config, _ = write_nginx_config(tmp_path, "127.0.0.1:1", tmp_path / "static", tmp_path / "media")
    result = subprocess.run(nginx_command(config, "-t"), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_nginx_bypasses_its_cache_for_every_cookie_the_app_treats_as_personal():
    site = (ROOT / "deploy" / "nginx" / "backcare.conf").read_text()
    pattern = re.search(r'map \$http_cookie \$backcare_personal_cookie \{[^}]*"~([^"]+)" 1;', site).group(1)
    for name in settings.PAGE_CACHE_PERSONAL_COOKIES:
        assert re.search(pattern, f"_ga=1; {name}=abc"), f"nginx would cache pages for {name} holders"
        assert re.search(pattern, f"{name}=abc"), f"nginx would cache pages for {name} holders"
    assert not re.search(pattern, "csrftoken=abc; theme=dark")


def test_env_example_lists_every_variable_the_settings_read():
    read = set()
    for source in (ROOT / "backcare" / "settings.py", ROOT / "akismet_service" / "api.py"):
        read |= set(
            re.findall(r'(?:environ(?:\.get)?\(|environ\[|env_\w+\()"([A-Z][A-Z0-9_]+)"', source.read_text())
        )
    example = (ROOT / "deploy" / ".env.example").read_text()
    listed = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", example, re.MULTILINE))
    assert read - listed == set()


# --- nginx in front of a running gunicorn --------------------------------------------


@pytest.fixture(scope="module")
def nginx(start_nginx, server_a, postgres_env) -> Server:
    return start_nginx(server_a, postgres_env)


def from_nginx_cache(nginx: Server, path: str) -> httpx.Response:
    """The page as nginx's micro-cache answers it. An entry lives one second, which two
    requests on a busy machine can outlast, so ask again (a few times) until one is a HIT."""
    statuses = []
    for _ in range(5):
        nginx.get(path)
        response = nginx.get(path)
        if response.headers.get("X-Cache-Status") == "HIT":
            return response
        statuses.append(response.headers.get("X-Cache-Status"))
    pytest.fail(f"nginx never answered {path} from its cache: {statuses}")


def test_second_anonymous_request_is_answered_by_nginx_byte_for_byte(nginx, server_a):
    response = from_nginx_cache(nginx, PAGE)
    assert response.content == server_a.get(PAGE).content


def test_nginx_never_gives_an_english_reader_the_welsh_page_or_the_other_way_round(nginx):
    # Warm each address with a reader of the other language first.
    nginx.get("/exercises/", headers={"Accept-Language": "cy"})
    nginx.get("/cy/exercises/", headers={"Accept-Language": "en-GB"})

    english = nginx.get("/exercises/", headers={"Accept-Language": "en-GB"})
    welsh = nginx.get("/cy/exercises/", headers={"Accept-Language": "cy"})

    assert (english.headers["X-Cache-Status"], welsh.headers["X-Cache-Status"]) == ("HIT", "HIT")
    assert '<html lang="en-GB">' in english.text
    assert '<html lang="cy">' in welsh.text
    assert "Accept-Language" not in english.headers.get("Vary", "")


def test_nginx_passes_the_apps_caching_and_security_headers_on_unchanged(nginx):
    response = nginx.get(PAGE)
    assert "public" in response.headers["Cache-Control"]
    assert response.headers["ETag"]
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "set-cookie" not in response.headers


def test_a_page_from_nginx_cache_keeps_every_security_header_of_the_app(nginx, server_a):
    cached = from_nginx_cache(nginx, PAGE)
    fresh = server_a.get(PAGE)
    for header in SECURITY_HEADERS:
        assert cached.headers[header] == fresh.headers[header], header
    assert cached.headers["Cross-Origin-Resource-Policy"] == "same-origin"


def test_static_and_media_files_from_nginx_are_for_our_own_pages_only(nginx, postgres_env):
    html = nginx.get(PAGE).text
    css = next(part.split('"')[0] for part in html.split('href="')[1:] if part.startswith("/static/"))
    unhashed = "/static/robots-test.txt"
    (Path(postgres_env["DJANGO_STATIC_ROOT"]) / "robots-test.txt").write_text("static\n")
    picture = Path(postgres_env["DJANGO_MEDIA_ROOT"]) / "corp-test.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n")
    for path in (css, unhashed, "/media/corp-test.png"):
        response = nginx.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin", path
    assert "immutable" in nginx.get(css).headers["Cache-Control"]
    assert nginx.get("/media/corp-test.svg").headers["Cross-Origin-Resource-Policy"] == "same-origin"


def test_request_with_a_session_cookie_bypasses_nginx_cache(nginx):
    nginx.get(PAGE)
    response = nginx.get(PAGE, headers={"Cookie": "sessionid=someone"})
    assert response.headers["X-Cache-Status"] == "BYPASS"
    assert "private" in response.headers["Cache-Control"]


def test_page_the_app_does_not_mark_public_is_never_stored(nginx):
    nginx.get("/accounts/login/")
    response = nginx.get("/accounts/login/")
    assert response.status_code == 200
    assert response.headers["X-Cache-Status"] == "MISS"


def test_post_is_never_answered_from_the_cache(nginx):
    nginx.get(PAGE)
    response = httpx.post(nginx.url + PAGE, data={"a": "b"}, timeout=10)
    assert response.headers.get("X-Cache-Status") is None


def test_a_change_shows_through_nginx_within_about_a_second(nginx, postgres_env):
    from_nginx_cache(nginx, PAGE)
    title = f"Knee walking {secrets.token_hex(3)}"
    orm(
        postgres_env,
        "from exercises.models import Exercise\n"
        f"Exercise.objects.filter(slug='knee-walking').update(title={title!r})\n"
        "from backcare.pagecache import invalidate\n"
        "invalidate()\n",
    )
    changed, seen = time.monotonic(), []
    while title not in (response := nginx.get(PAGE)).text:
        seen.append(f"{time.monotonic() - changed:.2f}s {response.headers}")
        assert time.monotonic() - changed < 3, f"nginx still serves the old page after 3 s: {seen}"
        time.sleep(0.1)


def test_nginx_serves_hashed_static_files_precompressed_and_for_a_year(nginx):
    html = nginx.get(PAGE).text
    css = next(part.split('"')[0] for part in html.split('href="')[1:] if part.startswith("/static/"))
    response = nginx.get(css, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert "X-Page-Cache" not in response.headers


def test_nginx_does_not_tell_its_version(nginx):
    assert nginx.get(PAGE).headers["Server"] == "nginx"
    assert "nginx/" not in nginx.get("/static/no-such-file.css").text


def test_health_answers_through_nginx_uncached(nginx):
    response = nginx.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.headers["Cache-Control"] == "no-store"


# --- /healthz for the machine only, /healthz/ready for all ---------------------------


@pytest.fixture(scope="module")
def nginx_seeing_outsiders(start_nginx, start_gunicorn, production_env, tmp_path_factory) -> Server:
    """The site on SQLite behind nginx, which takes the client's address from X-Real-IP (sent by
    the test), so a request from loopback can play a visitor from outside."""
    database = tmp_path_factory.mktemp("healthz") / "site.sqlite3"
    env = {**production_env, "DATABASE_URL": f"sqlite:///{database}"}
    manage(env, "migrate", "--no-input", "-v0")
    return start_nginx(
        start_gunicorn(env), env, extra="set_real_ip_from 127.0.0.1;\nreal_ip_header X-Real-IP;"
    )


OUTSIDER = {"X-Real-IP": "203.0.113.9"}


def test_healthz_through_nginx_is_refused_to_a_visitor_from_outside(nginx_seeing_outsiders):
    response = nginx_seeing_outsiders.get("/healthz", headers=OUTSIDER)
    assert response.status_code == 403
    assert "akismet" not in response.text


def test_healthz_through_nginx_still_answers_the_machine_itself(nginx_seeing_outsiders):
    response = nginx_seeing_outsiders.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_healthz_ready_through_nginx_says_ok_to_anyone_uncached(nginx_seeing_outsiders):
    for _ in range(2):
        response = nginx_seeing_outsiders.get("/healthz/ready", headers=OUTSIDER)
        assert response.status_code == 200
        assert response.text == "ok\n"
        assert response.headers["Cache-Control"] == "no-store"
        assert "X-Cache-Status" not in response.headers
