"""The site's Bootstrap, built by `make assets` (bin/build-css.mjs): small, and missing nothing we use.

The build keeps a Bootstrap rule only when a class it names appears in our
templates, our Python or JavaScript, or the crispy-bootstrap5 templates our
forms render. These tests build it afresh (so they judge the script and the
templates as they are now, not a stale file) and check every Bootstrap class
a page can carry against it: the classes written in our templates and Python,
and the classes on real pages rendered by the app, forms with errors included.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sysconfig
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from comments import tokens
from exercises.models import Exercise

ROOT = Path(__file__).resolve().parents[2]
NODE = shutil.which("node") or "/usr/bin/node"
FULL_BOOTSTRAP = ROOT / "node_modules" / "bootstrap" / "dist" / "css" / "bootstrap.min.css"
# Our packages: every top-level folder with an __init__.py, less the tests and benchmarks.
PACKAGES = sorted(
    path.parent for path in ROOT.glob("*/__init__.py") if path.parent.name not in ("tests", "bench")
)


def class_selectors(css: str) -> set[str]:
    """The class names a stylesheet's selectors name (``.btn``, ``.col-md-6``, ``.g-2``…)."""
    without_bodies = re.sub(r"\{[^{}]*\}", " ", re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL))
    return {
        name.replace("\\", "")
        for name in re.findall(r"\.(-?[_a-zA-Z][\w\\:.-]*?)(?=[\s,.:>+~\[)#{]|$)", without_bodies)
    }


@pytest.fixture(scope="module")
def built_css(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("css") / "bootstrap.min.css"
    subprocess.run(
        [NODE, "bin/build-css.mjs", str(out), sysconfig.get_paths()["purelib"]],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return out.read_text()


@pytest.fixture(scope="module")
def bootstrap_classes() -> set[str]:
    return class_selectors(FULL_BOOTSTRAP.read_text())


def missing(used: set[str], bootstrap_classes: set[str], built_css: str) -> list[str]:
    """The Bootstrap classes among ``used`` that the built stylesheet lost."""
    return sorted((used & bootstrap_classes) - class_selectors(built_css))


def test_the_built_stylesheet_is_under_a_quarter_of_bootstraps(built_css):
    full = FULL_BOOTSTRAP.read_text()
    assert len(built_css) < len(full) / 4, f"{len(built_css)} bytes, Bootstrap's whole file {len(full)}"
    # Still Bootstrap, with its licence, and a theme: the reboot and variables are kept.
    assert "/*!\n * Bootstrap" in built_css[:100]
    assert ":root" in built_css
    assert "--bs-body-font-family" in built_css
    assert "sourceMappingURL" not in built_css  # the compiled file's map describes the whole file


def test_the_served_stylesheet_is_the_built_one(built_css):
    served = ROOT / "static" / "vendor" / "bootstrap" / "css" / "bootstrap.min.css"
    assert served.read_text().strip() == built_css.strip(), "static/vendor is stale: run `make assets`"


def template_classes(text: str) -> set[str]:
    """Every word in a template's class attributes, template tags and variables taken out."""
    words: set[str] = set()
    for value in re.findall(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)')""", text):
        plain = re.sub(r"\{[%{#].*?[%}#]\}", " ", value[0] or value[1])
        words.update(plain.split())
    return words


def python_classes(text: str) -> set[str]:
    """Class names Python writes into markup: widget attrs, crispy's css_class, format_html markup."""
    found: set[str] = set()
    patterns = (
        r"""["']class["']\]?\s*[:=]\s*["']([^"']+)["']""",
        r"""\b(?:css_class|field_classes|wrapper_class)\s*=\s*["']([^"']+)["']""",
        r"""class=\\?["']([^"'{}\\]+)""",
    )
    for pattern in patterns:
        for value in re.findall(pattern, text):
            found.update(value.split())
    return found


def test_every_bootstrap_class_our_templates_and_python_write_is_kept(built_css, bootstrap_classes):
    used: set[str] = set()
    for folder in [ROOT / "templates", *(package / "templates" for package in PACKAGES)]:
        for path in folder.rglob("*.html"):
            used |= template_classes(path.read_text())
    for package in PACKAGES:
        for path in package.rglob("*.py"):
            used |= python_classes(path.read_text())
    assert {"btn", "form-select", "container", "alert-danger"} <= used  # the scan sees what it should
    assert missing(used, bootstrap_classes, built_css) == []


class ClassCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.classes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "class" and value:
                self.classes.update(value.split())


def page_classes(html: str) -> set[str]:
    collector = ClassCollector()
    collector.feed(html)
    return collector.classes


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


SAME_ORIGIN = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}


def rendered_pages(client) -> dict[str, str]:
    """Public pages as the app renders them, and each of our forms sent back with errors."""
    exercise = Exercise.objects.get(slug="knee-walking")
    pages = {
        path: client.get(path).content.decode()
        for path in (
            reverse("home"),
            reverse("exercises:list"),
            reverse("exercises:list") + "?q=xylophone",
            reverse("exercises:detail", args=["knee-walking"]),
            reverse("exercises:follow", args=["knee-walking"]),
            reverse("routine:page") + "?e=knee-walking,pelvic-tilts",
            reverse("routine:follow") + "?e=knee-walking,pelvic-tilts",
            reverse("classes:list"),
            reverse("classes:course", args=["ioga-ir-cefn-demo"]),
            reverse("classes:teacher", args=["gwen-demo"]),
            reverse("classes:enquiry", args=["gwen-demo"]),
            reverse("classes:alert_signup"),
            reverse("privacy"),
            "/no-such-page/",
        )
    }
    token = tokens.issue_form_token(exercise, now=tokens.now_seconds() - 600)
    forms_with_errors = {
        "comment form with errors": client.post(
            reverse("comments:post"),
            {
                "token": token,
                "text": "",
                "name": "",
                "email": "not an address",
                "url": "nope",
                "your_phone": "x",
            },
            headers=SAME_ORIGIN,
        ),
        "enquiry form with errors": client.post(
            reverse("classes:enquiry", args=["gwen-demo"]), {"email": "not an address"}, headers=SAME_ORIGIN
        ),
        "alert signup with errors": client.post(
            reverse("classes:alert_signup"), {"email": "not an address"}, headers=SAME_ORIGIN
        ),
    }
    for name, response in forms_with_errors.items():
        html = response.content.decode()
        assert "is-invalid" in html, f"{name}: {response.status_code}, no field marked invalid"
        pages[name] = html
    return pages


def test_every_bootstrap_class_on_our_rendered_pages_is_kept(client, demo, built_css, bootstrap_classes):
    pages = rendered_pages(client)
    used = set().union(*(page_classes(html) for html in pages.values()))
    # crispy-bootstrap5's markup is among them (fields, errors, the submit button).
    assert {"form-control", "invalid-feedback", "btn-primary"} <= used
    lost = {path: missing(page_classes(html), bootstrap_classes, built_css) for path, html in pages.items()}
    assert {path: names for path, names in lost.items() if names} == {}


def defined_variables(css: str) -> set[str]:
    return set(re.findall(r"(--bs-[\w-]+)\s*:", css))


def test_every_bootstrap_variable_read_by_a_kept_rule_or_our_css_is_still_defined(built_css):
    """The purge drops custom properties nothing reads; one still read must keep its value."""
    ours = "".join(path.read_text() for path in (ROOT / "static" / "css").glob("*.css"))
    # Read with no fallback (``var(--bs-link-opacity, 1)`` has one, and Bootstrap defines it only in
    # the link-opacity utilities).
    read = set(re.findall(r"var\((--bs-[\w-]+)\)", built_css + ours))
    bootstrap_defines = defined_variables(FULL_BOOTSTRAP.read_text())
    assert "--bs-body-font-size" in read
    assert sorted((read & bootstrap_defines) - defined_variables(built_css)) == []
