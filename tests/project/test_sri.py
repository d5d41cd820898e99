"""Our <script> and stylesheet tags carry integrity hashes of the very files they name."""

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.test import override_settings
from django.urls import reverse

from tests.factories import ExerciseFactory

pytestmark = pytest.mark.django_db

TAG = re.compile(r'<(?:script src|link rel="stylesheet" href)="([^"]+)" integrity="([^"]+)"')
MANIFEST_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}


def sha384(content: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(content).digest()).decode()


def render_script(path: str) -> tuple[str, str]:
    html = Template("{% load sri %}{% script path defer=True %}").render(Context({"path": path}))
    assert html.endswith(" defer></script>"), html
    return TAG.search(html).groups()


def test_every_script_and_stylesheet_of_a_page_matches_the_file_it_names(client):
    exercise = ExerciseFactory()
    for url in (
        reverse("home"),
        exercise.get_absolute_url(),
        reverse("exercises:print", args=[exercise.slug]),
    ):
        html = client.get(url).content.decode()
        tags = TAG.findall(html)
        assert tags, f"{url} has no script or stylesheet with an integrity hash"
        assert len(tags) == html.count("<script src") + html.count('rel="stylesheet"'), url
        for address, integrity in tags:
            # Reading the whole body closes the file (the test client's wrapper does).
            served = b"".join(client.get(address).streaming_content)
            assert integrity == sha384(served), (url, address)


def test_the_print_stylesheet_keeps_its_media_attribute(client):
    html = client.get(reverse("home")).content.decode()
    assert re.search(r'href="/static/css/print.css" integrity="sha384-[^"]+" media="print"', html)


def test_in_development_an_edited_file_gets_its_new_hash_at_once(tmp_path):
    script = tmp_path / "js" / "tool.js"
    script.parent.mkdir()
    script.write_text("console.log('one');\n")
    with override_settings(STATICFILES_DIRS=[tmp_path]):
        assert render_script("js/tool.js") == ("/static/js/tool.js", sha384(script.read_bytes()))
        script.write_text("console.log('two');\n")
        assert render_script("js/tool.js") == ("/static/js/tool.js", sha384(b"console.log('two');\n"))


def test_with_collected_files_a_changed_file_never_runs_under_its_old_hash(tmp_path):
    source, collected = tmp_path / "source", tmp_path / "collected"
    script = source / "js" / "tool.js"
    script.parent.mkdir(parents=True)
    script.write_text("console.log('one');\n")
    with override_settings(STATICFILES_DIRS=[source], STATIC_ROOT=collected, STORAGES=MANIFEST_STORAGES):
        call_command("collectstatic", "--no-input", "-v0")
        old_address, old_integrity = render_script("js/tool.js")
        script.write_text("console.log('two');\n")
        call_command("collectstatic", "--no-input", "-v0")
        new_address, new_integrity = render_script("js/tool.js")

    assert re.fullmatch(r"/static/js/tool\.[0-9a-f]{12}\.js", new_address)
    assert new_address != old_address
    assert new_integrity == sha384(b"console.log('two');\n") != old_integrity
    # A page rendered before the change still names the old file, which still matches its hash.
    old_file = collected / Path(old_address).relative_to("/static")
    assert sha384(old_file.read_bytes()) == old_integrity


def test_a_missing_static_file_is_an_error_not_a_tag_without_a_hash():
    with pytest.raises(ValueError, match="does not exist"):
        render_script("js/no-such-file.js")
