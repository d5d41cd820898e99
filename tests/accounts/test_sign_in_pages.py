"""The sign-in pages belong to the site: every allauth page the settings switch on, in English and
Welsh, in the site's skeleton and form styles, in sentence case, with nothing left in English on
the Welsh pages (templates/allauth/, templates/account/, locale/allauth/)."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings

from tests.accounts.sign_in_pages import NOT_PAGES, PAGES, PASSWORD, address, enabled_pages, prepare

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

LANGUAGES = ["en-gb", "cy"]
# Words that keep their capital inside a sentence-case heading or button.
PROPER = {
    "BackCare",
    "Google",
    "Facebook",
    "X",
    "TOTP",
    "OpenID",
    "Connect",
    "I",
    "ID",
    "IP",
    "Akismet",
    "Cymraeg",
}


class Texts(HTMLParser):
    """The text of headings, buttons, labels and button-like links; and every text node."""

    WATCHED = {"h1", "h2", "h3", "button", "label", "legend", "title"}

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.watched: list[tuple[str, str]] = []
        self.nodes: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag in ("script", "style"):
            self.skip += 1
        if tag in self.WATCHED or (tag == "a" and "btn" in classes.split()):
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1
        if self.open and self.open[-1] == tag:
            self.open.pop()

    def handle_data(self, data):
        if self.skip:
            return
        text = " ".join(data.split())
        if text:
            self.nodes.append(text)
        if self.open and text:  # each text node of its own: a badge inside a label is a phrase of its own
            self.watched.append((self.open[-1], text))


def parsed(html: str) -> Texts:
    texts = Texts()
    texts.feed(html)
    return texts


def not_sentence_case(text: str) -> list[str]:
    """Words that should not have a capital: not the first word of a sentence, not a name."""
    wrong = []
    for sentence in re.split(r"(?<=[.?!:])\s+|\s+[–—]\s+", text):
        words = sentence.split()
        for word in words[1:]:
            core = word.strip("“”‘’\"'()?.,!:;")
            if core[:1].isupper() and core not in PROPER and not core.isupper():
                wrong.append(word)
    return wrong


def english_strings() -> set[str]:
    """allauth's English strings (and our sentence-case versions of them), as a Welsh page must never show them."""
    found = set()
    for catalogue in ("cy", "en_GB"):
        path = settings.BASE_DIR / "locale" / "allauth" / catalogue / "LC_MESSAGES" / "django.po"
        text = path.read_text(encoding="utf-8")
        for msgid, msgstr in re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', text, re.M):
            found.add(msgstr if catalogue == "en_GB" else msgid)
            if catalogue == "cy" and msgid == msgstr:
                found.discard(msgid)
    return {string for string in found if " " in string and "%" not in string}


def visit(client, name: str, language: str):
    return client.get(address(name, prepare(client, name), language), follow=True)


def test_every_sign_in_address_the_urlconf_gives_is_walked_or_explained():
    listed = set(PAGES) | set(NOT_PAGES)
    assert enabled_pages() - listed == set(), "New sign-in pages: add them to PAGES or NOT_PAGES"
    assert listed - enabled_pages() == set(), "Pages no longer switched on: remove them"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_sign_in_page_is_in_the_site_skeleton_and_sentence_case(client, name, language):
    response = visit(client, name, language)
    assert response.status_code == PAGES[name].status, response.redirect_chain
    html = response.content.decode()
    lang = "cy" if language == "cy" else "en-GB"
    assert f'<html lang="{lang}"' in html
    for part in ('class="skip-link"', '<main id="main"', 'class="site-header"', 'class="site-footer"'):
        assert part in html, part
    assert html.count("<h1") == 1
    texts = parsed(html)
    wrong = {text: not_sentence_case(text) for _tag, text in texts.watched if not_sentence_case(text)}
    assert wrong == {}, f"Not in sentence case on {name} ({language})"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_english_is_left_on_the_welsh_sign_in_pages(client, name):
    html = visit(client, name, "cy").content.decode()
    english = english_strings()
    left = [text for text in parsed(html).nodes if text.rstrip(".:") in english or text in english]
    assert left == [], f"English on the Welsh {name}"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_field_on_the_sign_in_pages_has_the_site_form_style(client, name):
    html = visit(client, name, "en-gb").content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    for field in re.findall(r"<(?:input|textarea|select)\b[^>]*>", main):
        if re.search(r'type="(hidden|submit)"', field):
            continue
        assert re.search(r'class="[^"]*\bform-(control|check-input|select)\b', field), field
    for button in re.findall(r"<button\b[^>]*>", main):
        assert re.search(r'class="[^"]*\bbtn\b', button), button


def test_the_sign_in_page_says_sign_in_and_remember_me_in_sentence_case(client):
    html = client.get("/accounts/login/").content.decode()
    assert "Sign in</h1>" in html
    assert "Remember me" in html
    assert "Sign In" not in html
    assert "Remember Me" not in html


def test_the_staff_door_invites_nobody_to_sign_up(client):
    staff_door = client.get("/accounts/login/?next=/admin/").content.decode()
    readers_door = client.get("/accounts/login/?next=/exercises/").content.decode()
    assert "/accounts/signup/" not in staff_door
    assert "/accounts/signup/" in readers_door


def test_a_wrong_password_is_explained_in_the_site_error_summary_keeping_the_username(client):
    response = client.post("/cy/accounts/login/", {"login": "ed", "password": "wrong"})
    html = response.content.decode()
    summary = html[html.index("error-summary") : html.index("</div>", html.index("error-summary"))]
    assert "Gwiriwch y ffurflen" in summary
    assert "cyfrinair" in summary
    assert 'value="ed"' in html


def test_staff_mid_sign_in_are_asked_for_their_code_on_a_styled_page(client):
    prepare(client, "mfa_authenticate")
    html = client.get("/accounts/2fa/authenticate/").content.decode()
    assert re.search(r'<input [^>]*name="code"[^>]*class="[^"]*\bform-control\b', html)
    assert PASSWORD not in html


def test_an_error_tied_to_no_field_is_said_once_in_the_summary(client):
    html = client.post("/accounts/login/", {"login": "ed", "password": "wrong"}).content.decode()
    assert html.count("The username or e-mail address, or the password, is not right.") == 1
