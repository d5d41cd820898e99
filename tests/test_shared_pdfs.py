"""tests/shared_pdfs.py gives back a kept PDF only for the very same input, so no test sees a stale one."""

import os
from pathlib import Path
from types import ModuleType

import pytest

from tests import shared_pdfs


class URLFetcher:
    def __init__(self, allowed_protocols=None, timeout=10) -> None:
        self._allowed_protocols = allowed_protocols
        self._timeout = timeout


def stand_in_weasyprint() -> tuple[ModuleType, list[str]]:
    """A WeasyPrint whose HTML records each real layout; its "PDF" names the input and the layout."""
    renders: list[str] = []
    module = ModuleType("weasyprint")

    class HTML:
        def __init__(self, guess=None, filename=None, url=None, file_obj=None, string=None, **kwargs) -> None:
            self.source = string if string is not None else filename

        def write_pdf(
            self,
            target=None,
            zoom=1,
            finisher=None,
            font_config=None,
            counter_style=None,
            color_profiles=None,
            **options,
        ) -> bytes:
            if "broken" in self.source:
                raise ValueError("cannot lay this out")
            renders.append(self.source)
            return f"{self.source} #{len(renders)}".encode()

    module.HTML = HTML
    module.URLFetcher = URLFetcher
    return module, renders


@pytest.fixture
def weasyprint(monkeypatch):
    module, renders = stand_in_weasyprint()
    shared_pdfs.share_renders(module, monkeypatch)
    return module, renders


def test_the_same_html_is_laid_out_once_and_other_html_again(weasyprint, tmp_path):
    module, renders = weasyprint
    sheet = tmp_path / "handout.css"
    sheet.write_text("@page { size: A4 }")
    fetcher = URLFetcher(allowed_protocols={"file", "data"}, timeout=5)

    def pdf(html: str) -> bytes:
        return module.HTML(string=html, base_url="/site", url_fetcher=fetcher).write_pdf(stylesheets=[sheet])

    assert pdf("<p>one</p>") == pdf("<p>one</p>") == b"<p>one</p> #1"
    assert pdf("<p>two</p>") == b"<p>two</p> #2"
    sheet.write_text("@page { size: A5 }")
    assert pdf("<p>one</p>") == b"<p>one</p> #3"
    assert renders == ["<p>one</p>", "<p>two</p>", "<p>one</p>"]


def test_a_changed_picture_the_html_names_is_laid_out_again(weasyprint, tmp_path):
    module, renders = weasyprint
    picture = tmp_path / "knee.png"
    picture.write_bytes(b"first")
    html = f'<img src="file://{picture}">'
    module.HTML(string=html).write_pdf()
    module.HTML(string=html).write_pdf()
    picture.write_bytes(b"second, longer")
    os.utime(picture, ns=(1, 1))
    module.HTML(string=html).write_pdf()
    assert len(renders) == 2


def test_other_settings_or_inputs_it_cannot_compare_are_never_shared(weasyprint, tmp_path):
    module, renders = weasyprint
    html = "<p>one</p>"
    module.HTML(string=html, base_url="/a").write_pdf()
    module.HTML(string=html, base_url="/b").write_pdf()
    module.HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
    module.HTML(string=html, url_fetcher=lambda url: {}).write_pdf()
    module.HTML(string=html, url_fetcher=lambda url: {}).write_pdf()
    module.HTML(string=html).write_pdf(zoom=2)
    module.HTML(string=html).write_pdf(target=tmp_path / "out.pdf")
    module.HTML(string=html).write_pdf(target=tmp_path / "out.pdf")
    page = tmp_path / "page.html"
    page.write_text(html)
    module.HTML(filename=str(page)).write_pdf()
    module.HTML(filename=str(page)).write_pdf()
    assert len(renders) == 10


def test_a_layout_that_fails_is_tried_again_each_time(weasyprint):
    module, _ = weasyprint
    for _ in range(2):
        with pytest.raises(ValueError, match="cannot lay this out"):
            module.HTML(string="<p>broken</p>").write_pdf()


def test_sharing_is_undone_with_its_monkeypatch():
    module, renders = stand_in_weasyprint()
    with pytest.MonkeyPatch.context() as patch:
        shared_pdfs.share_renders(module, patch)
        shared_pdfs.share_renders(module, patch)  # a second call changes nothing
    module.HTML(string="<p>one</p>").write_pdf()
    module.HTML(string="<p>one</p>").write_pdf()
    assert len(renders) == 2
    assert not hasattr(module.HTML, shared_pdfs.MARK)


def test_the_real_weasyprint_gives_the_same_pdf_for_the_same_html():
    """What sharing relies on: WeasyPrint's output depends on its input alone."""
    import weasyprint

    html = "<h1>Knee walking</h1><p>About 20 steps, morning and night.</p>"
    first = weasyprint.HTML(string=html, base_url=str(Path(__file__).parent)).write_pdf()
    second = weasyprint.HTML(string=html, base_url=str(Path(__file__).parent)).write_pdf()
    assert first == second
