"""Render the pages nginx sends itself (see the package's docstring)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template import loader
from django.utils import translation

# File name -> (template, language, the home page of that language). nginx picks the
# Welsh file for addresses under /cy/ and the English one for the rest.
PAGES = {
    "429-en.html": ("errors/429.html", "en", "/"),
    "429-cy.html": ("errors/429.html", "cy", "/cy/"),
}

# The static files the pages link (templates/errors/429.html).
STYLESHEETS = ("vendor/bootstrap/css/bootstrap.min.css", "css/site.css")


def missing_stylesheets() -> list[str]:
    """The stylesheets a collect left out: none after a whole collect, some after a
    partial one (a test collecting a folder of its own), when no page can be written."""
    return [name for name in STYLESHEETS if not staticfiles_storage.exists(name)]


def error_pages_folder() -> Path:
    """Where nginx's ``/backcare-errors/`` location reads them: ``STATIC_ROOT/errors``."""
    return Path(settings.STATIC_ROOT) / "errors"


def render_page(name: str) -> str:
    template, language, home = PAGES[name]
    with translation.override(language):
        return loader.get_template(template).render({"home": home})


def write_error_pages(folder: Path | None = None) -> list[Path]:
    """Write every page (replacing the old ones) and return their paths.

    Each file is written beside and then renamed over the old one, so nginx never
    reads half a page during a release.
    """
    folder = folder or error_pages_folder()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in PAGES:
        path = folder / name
        partial = path.with_name(f".{name}.tmp")
        partial.write_text(render_page(name), encoding="utf-8")
        partial.chmod(0o644)
        partial.replace(path)
        written.append(path)
    return written
