"""Through gunicorn with production settings: anonymous pages are shareable, personal ones are not."""

import base64
import hashlib
import re

import pytest

pytestmark = pytest.mark.deploy

PAGE = "/exercises/knee-walking/"


def test_anonymous_page_is_public_with_validators_and_sets_no_cookie(server_a):
    response = server_a.get(PAGE)
    assert response.status_code == 200
    assert "public" in response.headers["Cache-Control"]
    assert "max-age=" in response.headers["Cache-Control"]
    assert response.headers["ETag"]
    assert response.headers["Last-Modified"]
    assert "set-cookie" not in response.headers


def test_repeated_conditional_get_answers_304_with_no_body(server_a):
    etag = server_a.get(PAGE).headers["ETag"]
    response = server_a.get(PAGE, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["ETag"] == etag


def test_page_served_from_the_cache_keeps_the_security_headers(server_a):
    server_a.get(PAGE)
    response = server_a.get(PAGE)
    assert response.headers["X-Page-Cache"] == "hit"
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_request_with_a_session_cookie_gets_a_private_page_not_from_the_cache(server_a):
    server_a.get(PAGE)
    response = server_a.get(PAGE, headers={"Cookie": "sessionid=someone"})
    assert response.status_code == 200
    assert "private" in response.headers["Cache-Control"]
    assert "X-Page-Cache" not in response.headers


def test_static_files_are_served_hashed_and_compressed_by_whitenoise(server_a):
    html = server_a.get(PAGE).text
    css = next(part.split('"')[0] for part in html.split('href="')[1:] if part.startswith("/static/"))
    assert css.count(".") >= 2, f"{css} has no content hash"
    response = server_a.get(css, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"


def test_every_script_and_stylesheet_hash_matches_the_collected_file_served(server_a):
    html = server_a.get(PAGE).text
    tags = re.findall(
        r'<(?:script src|link rel="stylesheet" href)="([^"]+)" integrity="sha384-([^"]+)"', html
    )
    assert len(tags) == html.count("<script src") + html.count('rel="stylesheet"') >= 3
    for address, digest in tags:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", address), f"{address} is not a collected, hashed name"
        served = server_a.get(address)
        assert base64.b64encode(hashlib.sha384(served.content).digest()).decode() == digest, address
