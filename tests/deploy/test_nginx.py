"""The nginx site in deploy/: it renders, nginx accepts it, and its micro-cache honours the app's headers."""

from __future__ import annotations

import importlib.util
import re
import secrets
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from django.conf import settings

from .conftest import ROOT, Server, free_port, orm, require_binary, spawn, stop, wait_for

pytestmark = pytest.mark.deploy

PAGE = "/exercises/knee-walking/"
spec = importlib.util.spec_from_file_location("deploy_render", ROOT / "deploy" / "render.py")
render = importlib.util.module_from_spec(spec)
spec.loader.exec_module(render)


def write_nginx_config(folder: Path, upstream: str, static_root: Path, media_root: Path) -> tuple[Path, int]:
    port = free_port()
    site = render.render_file(
        ROOT / "deploy" / "nginx" / "backcare.conf",
        UPSTREAM=upstream,
        LISTEN=f"127.0.0.1:{port}",
        SERVER_NAME="127.0.0.1",
        TLS="",
        CACHE_DIR=str(folder / "cache"),
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(media_root),
    )
    (folder / "backcare.conf").write_text(site)
    main = render.render_file(
        ROOT / "deploy" / "nginx" / "standalone.conf", **render.standalone_defaults(folder)
    )
    (folder / "nginx.conf").write_text(main)
    return folder / "nginx.conf", port


def nginx_command(config: Path, *args: str) -> list[str]:
    folder = str(config.parent)
    return [
        require_binary("nginx", "nginx"),
        "-p",
        folder,
        "-c",
        str(config),
        "-e",
        f"{folder}/error.log",
        *args,
    ]


def open_to_nginx_workers(*folders: Path) -> None:
    """As root, nginx's workers run as nobody: let them into the test's temporary folders."""
    for folder in folders:
        for path in (folder, *folder.parents):
            if path == Path(tempfile.gettempdir()) or path == path.parent:
                break
            path.chmod(path.stat().st_mode | 0o755)
        for inner in folder.rglob("*"):
            inner.chmod(inner.stat().st_mode | (0o755 if inner.is_dir() else 0o644))


def test_the_production_site_renders_with_every_placeholder_filled():
    site = render.render_file(ROOT / "deploy" / "nginx" / "backcare.conf")
    assert "@" not in site.replace("@NAME@", "")
    assert "listen 443 ssl;" in site
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
def nginx(server_a, postgres_env, tmp_path_factory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("nginx")
    static_root = Path(postgres_env["DJANGO_STATIC_ROOT"])
    media_root = Path(postgres_env["DJANGO_MEDIA_ROOT"])
    media_root.mkdir(parents=True, exist_ok=True)
    open_to_nginx_workers(folder, static_root, media_root)
    config, port = write_nginx_config(folder, server_a.url.removeprefix("http://"), static_root, media_root)
    process = spawn([*nginx_command(config), "-g", "daemon off;"], folder / "nginx.log")
    server = Server(f"http://127.0.0.1:{port}", process, folder / "error.log")
    wait_for(server.url + "/robots.txt", process, folder / "nginx.log")
    yield server
    stop(process)


def test_second_anonymous_request_is_answered_by_nginx_byte_for_byte(nginx, server_a):
    nginx.get(PAGE)
    response = nginx.get(PAGE)
    assert response.headers["X-Cache-Status"] == "HIT"
    assert response.content == server_a.get(PAGE).content


def test_nginx_passes_the_apps_caching_and_security_headers_on_unchanged(nginx):
    response = nginx.get(PAGE)
    assert "public" in response.headers["Cache-Control"]
    assert response.headers["ETag"]
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "set-cookie" not in response.headers


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
    nginx.get(PAGE)
    assert nginx.get(PAGE).headers["X-Cache-Status"] == "HIT"
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
