"""The page nginx sends when its rate limits refuse a request (backcare/nginx_pages): in both languages,
written by collectstatic beside the files it links. tests/deploy/test_nginx.py sees nginx send it."""

import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.test import override_settings

from backcare.nginx_pages.pages import render_page

MANIFEST_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


class Outline(HTMLParser):
    """The parts of a page a screen reader user relies on."""

    def __init__(self) -> None:
        super().__init__()
        self.lang, self.title, self.h1, self.landmarks, self._in = None, "", "", [], None

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        if tag in {"title", "h1"}:
            self._in = tag
        if tag == "main":
            self.landmarks.append(dict(attrs).get("id"))

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in:
            setattr(self, self._in, getattr(self, self._in) + data)


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


def test_the_english_page_says_too_many_tries_and_how_long_to_wait():
    html = render_page("429-en.html")
    page = outline(html)
    assert page.lang == "en-GB"
    assert page.title == "Too many tries in a short time · BackCare"
    assert page.h1 == "Too many tries in a short time"
    assert page.landmarks == ["main"]
    assert html.count("<h1") == 1
    assert "Please wait a minute, then try again." in html
    assert "Back button" in html
    assert 'href="/"' in html


def test_the_welsh_page_is_all_welsh_and_leads_back_to_the_welsh_site():
    html = render_page("429-cy.html")
    page = outline(html)
    assert page.lang == "cy"
    assert page.title == "Gormod o ymdrechion mewn amser byr · BackCare"
    assert page.h1 == "Gormod o ymdrechion mewn amser byr"
    assert page.landmarks == ["main"]
    assert "Arhoswch funud, yna rhowch gynnig arall arni." in html
    assert 'href="/cy/"' in html
    for english in ("Too many", "Please wait", "What you typed", "Back button", "home page"):
        assert english not in html


@pytest.mark.parametrize("name", ["429-en.html", "429-cy.html"])
def test_the_page_has_no_inline_style_or_script_the_security_policy_would_block(name):
    html = render_page(name)
    assert "<style" not in html
    assert "style=" not in html
    assert "<script" not in html


def test_collectstatic_writes_both_pages_linking_the_collected_stylesheets(tmp_path):
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=MANIFEST_STORAGES):
        call_command("collectstatic", "--no-input", "-v0")
    for name in ("429-en.html", "429-cy.html"):
        html = (tmp_path / "errors" / name).read_text()
        stylesheets = re.findall(r'<link rel="stylesheet" href="/static/([^"]+)" integrity="sha384-', html)
        assert len(stylesheets) == 2, html
        for address in stylesheets:
            assert re.search(r"\.[0-9a-f]{12}\.css$", address), address
            assert (tmp_path / address).exists(), address
