"""After a release no reader sees a page the old code rendered: the release id is in every page cache key.

A new template or Welsh string changes pages without touching a row, so no
generation is bumped; the process that starts after ``deploy/update`` has a
new ``BACKCARE_RELEASE`` (pagecache/release.py), and that alone must make it
render afresh. Below, a row changed behind the cache's back (a queryset
``update()``, which sends no signal) stands for such a change.
"""

import os
import shutil
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone

from classes.models import Course
from exercises.models import Exercise
from pagecache.release import current_release, git_commit
from tests.classes.factories import weekly_course
from tests.factories import ExerciseFactory

COMMIT = "0123456789abcdef0123456789abcdef01234567"
OTHER_COMMIT = "fedcba9876543210fedcba9876543210fedcba98"


@pytest.mark.django_db
def test_a_new_release_renders_a_cached_page_afresh(client, settings):
    exercise = ExerciseFactory(title="Knee walking")
    url = exercise.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    Exercise.objects.filter(pk=exercise.pk).update(title="Knee walking, gently")
    assert client.get(url)["X-Page-Cache"] == "hit"  # the same release keeps serving what it stored

    settings.BACKCARE_RELEASE = "the-next-release"
    response = client.get(url)

    assert response["X-Page-Cache"] == "miss"
    assert "Knee walking, gently" in response.content.decode()


@pytest.mark.django_db
def test_a_new_release_renders_the_shared_fragments_afresh(client, settings):
    settings.PAGE_CACHE_ENABLED = False  # whole pages rendered each time; only the courses box is kept
    course = weekly_course(timezone.localdate() + timedelta(days=7), weeks=2, title="Tuesday backs")
    url = ExerciseFactory().get_absolute_url()
    assert "Tuesday backs" in client.get(url).content.decode()
    Course.objects.filter(pk=course.pk).update(title="Tuesday backs, new room")
    assert "new room" not in client.get(url).content.decode()

    settings.BACKCARE_RELEASE = "the-next-release"

    assert "Tuesday backs, new room" in client.get(url).content.decode()


def deployed_tree(folder: Path, *, commit: str = COMMIT, catalogue: bytes = b"Welsh v1") -> Path:
    """A checkout as deploy/update leaves it: a branch in .git, a compiled catalogue, a static manifest."""
    (folder / ".git" / "refs" / "heads").mkdir(parents=True, exist_ok=True)
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (folder / ".git" / "refs" / "heads" / "main").write_text(commit + "\n")
    (folder / "locale" / "cy" / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
    (folder / "locale" / "cy" / "LC_MESSAGES" / "django.mo").write_bytes(catalogue)
    (folder / "staticfiles").mkdir(exist_ok=True)
    (folder / "staticfiles" / "staticfiles.json").write_text('{"paths": {"site.css": "site.0a1b2c.css"}}')
    return folder


def release_of(folder: Path, **environ: str) -> str:
    return current_release(
        environ=environ, base_dir=folder, locale_paths=[folder / "locale"], static_root=folder / "staticfiles"
    )


def test_the_release_names_the_deployed_commit(tmp_path):
    assert release_of(deployed_tree(tmp_path)).startswith(COMMIT[:12] + "-")


def test_a_new_commit_makes_a_new_release(tmp_path):
    before = release_of(deployed_tree(tmp_path))
    assert release_of(deployed_tree(tmp_path, commit=OTHER_COMMIT)) != before


def test_rebuilt_welsh_strings_make_a_new_release_without_a_new_commit(tmp_path):
    before = release_of(deployed_tree(tmp_path))
    assert release_of(deployed_tree(tmp_path, catalogue=b"Welsh v2")) != before


def test_changed_static_files_make_a_new_release_without_a_new_commit(tmp_path):
    before = release_of(deployed_tree(tmp_path))
    (tmp_path / "staticfiles" / "staticfiles.json").write_text('{"paths": {"site.css": "site.9f8e7d.css"}}')
    assert release_of(tmp_path) != before


def test_a_release_id_given_in_the_environment_wins(tmp_path):
    assert release_of(deployed_tree(tmp_path), BACKCARE_RELEASE="2026.12.3") == "2026.12.3"


def test_a_release_id_that_cannot_be_part_of_a_cache_key_is_refused(tmp_path):
    with pytest.raises(ValueError, match="BACKCARE_RELEASE"):
        release_of(tmp_path, BACKCARE_RELEASE="release 3")


def test_a_tree_without_git_still_has_a_release_that_follows_its_catalogues(tmp_path):
    shutil.rmtree(deployed_tree(tmp_path) / ".git")
    before = release_of(tmp_path)
    (tmp_path / "locale" / "cy" / "LC_MESSAGES" / "django.mo").write_bytes(b"Welsh v2")

    assert before.startswith("no-git-")
    assert release_of(tmp_path) != before


def test_the_commit_is_read_from_packed_refs_and_from_a_detached_head(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (tmp_path / ".git" / "packed-refs").write_text(f"# pack-refs with: peeled\n{COMMIT} refs/heads/main\n")
    assert git_commit(tmp_path) == COMMIT
    (tmp_path / ".git" / "HEAD").write_text(OTHER_COMMIT + "\n")
    assert git_commit(tmp_path) == OTHER_COMMIT


def test_this_checkout_has_the_release_of_its_own_commit():
    head = git_commit(django_settings.BASE_DIR)
    if head is None or os.environ.get("BACKCARE_RELEASE"):
        pytest.skip("not a git checkout, or the release is given")
    assert django_settings.BACKCARE_RELEASE.startswith(head[:12])


@pytest.mark.django_db
def test_clear_page_cache_retires_every_page_and_fragment_after_a_change_of_settings(client, settings):
    settings.PAGE_CACHE_ENABLED = True
    course = weekly_course(timezone.localdate() + timedelta(days=7), weeks=2, title="Tuesday backs")
    exercise = ExerciseFactory(title="Knee walking")
    client.get(exercise.get_absolute_url())
    Exercise.objects.filter(pk=exercise.pk).update(title="Knee walking, gently")
    Course.objects.filter(pk=course.pk).update(title="Tuesday backs, new room")

    call_command("clear_page_cache", stdout=StringIO())
    response = client.get(exercise.get_absolute_url())

    assert response["X-Page-Cache"] == "miss"
    assert "Knee walking, gently" in response.content.decode()
    assert "Tuesday backs, new room" in response.content.decode()
