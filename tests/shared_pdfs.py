"""One WeasyPrint render for each distinct PDF in a test run (tests/conftest.py turns it on).

Laying out the demo handout takes seconds, and about twenty tests build the same one
from the same HTML. WeasyPrint is deterministic, so the PDF of an HTML string is the
same whenever it is rendered: the first render is kept and given back for the same input.

The input is everything the PDF is made from: the HTML, its base URL, the options
(stylesheets by path *and* content), the fetcher's allowed protocols, and each
``file://`` file the HTML names by path, modification time and size (a test's
uploaded pictures live in its own folder). A
render with anything this cannot compare (a file object, a target, a finisher, fonts)
is not shared. What calls WeasyPrint is unchanged: a test that replaces or counts
``exercises.handouts.render_pdf`` sees every call, and a failing render is never kept.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

FILE_URI = re.compile(r"file://([^\"')\s>]+)")
MARK = "_backcare_shared_renders"


def _file_state(path: str) -> tuple[str, int, int] | tuple[str]:
    try:
        stat = Path(path).stat()
    except OSError:
        return (path,)
    return (path, stat.st_mtime_ns, stat.st_size)


def _stylesheet_key(stylesheet: object) -> tuple[str, str] | None:
    if not isinstance(stylesheet, (str, Path)):
        return None  # a CSS object: not compared, so not shared
    try:
        content = Path(stylesheet).read_bytes()
    except OSError:
        return None
    return (str(stylesheet), hashlib.sha256(content).hexdigest())


def _fetcher_key(weasyprint: ModuleType, fetcher: object) -> tuple | None:
    """What decides which files a render may read; None for a fetcher this cannot compare."""
    if fetcher is None:
        return ("default",)
    if type(fetcher) is not weasyprint.URLFetcher:
        return None
    protocols = getattr(fetcher, "_allowed_protocols", None)
    return (
        tuple(sorted(protocols)) if protocols is not None else None,
        getattr(fetcher, "_timeout", None),
        getattr(fetcher, "_fail_on_errors", None),
    )


def _render_key(source: tuple | None, options: dict[str, Any]) -> tuple | None:
    if source is None:
        return None
    keyed: list[tuple] = []
    for name, value in sorted(options.items()):
        if name == "stylesheets":
            sheets = tuple(_stylesheet_key(sheet) for sheet in value or ())
            if None in sheets:
                return None
            keyed.append((name, sheets))
        elif value is None or isinstance(value, (str, int, float, bool)):
            keyed.append((name, value))
        else:
            return None
    html = source[0]
    files = tuple(_file_state(path) for path in sorted(set(FILE_URI.findall(html))))
    return (source, tuple(keyed), files)


def share_renders(weasyprint: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``weasyprint.HTML(string=...).write_pdf()`` render each distinct input once."""
    html_class = weasyprint.HTML
    if getattr(html_class, MARK, False):
        return
    pdfs: dict[tuple, bytes] = {}
    real_init: Callable[..., None] = html_class.__init__
    real_write_pdf: Callable[..., bytes | None] = html_class.write_pdf

    def __init__(self, guess=None, filename=None, url=None, file_obj=None, string=None, **kwargs) -> None:
        from_string = guess is None and filename is None and url is None and file_obj is None
        plain = all(isinstance(kwargs.get(name), (str, type(None))) for name in ("base_url", "encoding"))
        fetcher = _fetcher_key(weasyprint, kwargs.get("url_fetcher"))
        self._shared_source = (
            (
                string,
                kwargs.get("base_url"),
                kwargs.get("encoding"),
                kwargs.get("media_type", "print"),
                fetcher,
            )
            if from_string and plain and isinstance(string, str) and fetcher is not None
            else None
        )
        real_init(self, guess=guess, filename=filename, url=url, file_obj=file_obj, string=string, **kwargs)

    def write_pdf(
        self,
        target=None,
        zoom=1,
        finisher=None,
        font_config=None,
        counter_style=None,
        color_profiles=None,
        **options,
    ):
        plain = all(value is None for value in (target, finisher, font_config, counter_style, color_profiles))
        source = getattr(self, "_shared_source", None)
        key = _render_key(source, {"zoom": zoom, **options}) if plain else None
        if key is not None and key in pdfs:
            return pdfs[key]
        pdf = real_write_pdf(
            self,
            target=target,
            zoom=zoom,
            finisher=finisher,
            font_config=font_config,
            counter_style=counter_style,
            color_profiles=color_profiles,
            **options,
        )
        if key is not None and isinstance(pdf, bytes):
            pdfs[key] = pdf
        return pdf

    monkeypatch.setattr(html_class, "__init__", __init__)
    monkeypatch.setattr(html_class, "write_pdf", write_pdf)
    monkeypatch.setattr(html_class, MARK, True, raising=False)
