"""With the shared cache down or hung, every page still answers, and no page cached before a
change made during the outage is served once the cache is back; health says so."""

import logging
import os
import socket
import subprocess
import sys
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client

from exercises.models import Exercise
from pagecache.guard import guard
from pagecache.invalidation import reconciler
from pagecache.models import MissedPageInvalidation
from tests.factories import ExerciseFactory
from tests.pagecache.guard_helpers import (
    FAILING,
    bring_cache_back,
    closed_port,
    refuse_like_a_stopped_redis,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def exercise():
    """A page with no steps: the cache-guard tests' own, not the folder's."""
    return ExerciseFactory(title="Knee walking", slug="knee-walking")


# --- Pages ---------------------------------------------------------------------


def test_pages_render_when_redis_refuses_connections(client, exercise, real_redis_client_settings):
    real_redis_client_settings(closed_port())
    # /admin/login/ hands over to the staff door (allauth), which must render too.
    for url in ("/", "/exercises/", exercise.get_absolute_url(), "/admin/login/"):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
    assert Client().get(exercise.get_absolute_url())["X-Page-Cache"] == "unavailable"


def test_pages_render_when_redis_accepts_connections_but_never_answers(
    client, exercise, real_redis_client_settings
):
    with socket.socket() as hung:  # listens, never accepts: the kernel's backlog takes the connection
        hung.bind(("127.0.0.1", 0))
        hung.listen(16)
        real_redis_client_settings(hung.getsockname()[1])
        response = client.get(exercise.get_absolute_url())
    assert response.status_code == 200
    assert "Knee walking" in response.content.decode()


def test_a_page_rendered_during_an_outage_is_still_public_with_validators(client, exercise, cache_down):
    response = client.get(exercise.get_absolute_url())
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert response["ETag"]


def test_saving_content_succeeds_while_the_cache_is_down(exercise, cache_down, committed):
    with committed():
        exercise.title = "Knee walking, saved during the outage"
        exercise.save()
    assert Exercise.objects.get(pk=exercise.pk).title == "Knee walking, saved during the outage"
    assert MissedPageInvalidation.objects.exists()


def test_a_change_made_during_the_outage_is_shown_once_the_cache_is_back(
    client, exercise, cache_down, monkeypatch, settings, committed
):
    monkeypatch.undo()
    client.get(exercise.get_absolute_url())
    assert client.get(exercise.get_absolute_url())["X-Page-Cache"] == "hit"

    for name in FAILING:  # Redis goes away, keeping the page it holds
        monkeypatch.setattr(LocMemCache, name, refuse_like_a_stopped_redis)
    with committed():
        exercise.title = "Knee walking, edited while Redis was down"
        exercise.save()

    bring_cache_back(monkeypatch)
    page = client.get(exercise.get_absolute_url())
    assert "edited while Redis was down" in page.content.decode()
    assert page["X-Page-Cache"] == "miss"
    assert not MissedPageInvalidation.objects.exists()


def test_a_process_that_saw_no_outage_still_drops_pages_older_than_a_missed_change(
    client, exercise, settings
):
    """Another app server saved the change while Redis was unreachable from it; this one never noticed."""
    client.get(exercise.get_absolute_url())
    Exercise.objects.filter(pk=exercise.pk).update(title="Knee walking, changed on the other server")
    MissedPageInvalidation.objects.create()  # what the other server wrote instead of the bump
    settings.PAGE_CACHE_RECONCILE_SECONDS = 10
    reconciler.next_check = 0  # its periodic look is due

    assert "changed on the other server" in client.get(exercise.get_absolute_url()).content.decode()
    assert not MissedPageInvalidation.objects.exists()


def production_reconcile_seconds() -> int:
    """``PAGE_CACHE_RECONCILE_SECONDS`` as a server with Redis and no override gets it."""
    env = {key: value for key, value in os.environ.items() if key != "PAGE_CACHE_RECONCILE_SECONDS"}
    env.update(REDIS_URL="redis://127.0.0.1:9/0", DJANGO_SETTINGS_MODULE="backcare.settings")
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.PAGE_CACHE_RECONCILE_SECONDS)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(shown.stdout.strip().splitlines()[-1])


def test_a_process_that_looked_just_before_a_ten_second_outage_and_saw_none_of_it_serves_the_change(
    client, exercise, settings, monkeypatch
):
    """The fault suite's case: this worker checked for missed changes just before Redis hung for
    about 10 s, served no page during it (its readers were elsewhere), and is asked once Redis is back."""
    settings.PAGE_CACHE_RECONCILE_SECONDS = production_reconcile_seconds()
    clock = SimpleNamespace(now=1000.0)
    monkeypatch.setattr("pagecache.invalidation.time", SimpleNamespace(monotonic=lambda: clock.now))
    reconciler.next_check = 0
    client.get(exercise.get_absolute_url())  # looks (nothing missed) and caches the page
    assert client.get(exercise.get_absolute_url())["X-Page-Cache"] == "hit"

    clock.now += 0.1  # Redis hangs; another server approves, cannot tell Redis, writes it down
    Exercise.objects.filter(pk=exercise.pk).update(title="Knee walking, changed during the outage")
    MissedPageInvalidation.objects.create()
    clock.now += 9.8  # Redis answers again (the suite's outage is 10 s, give or take its 0.2 s tick)

    page = client.get(exercise.get_absolute_url())
    assert "changed during the outage" in page.content.decode()


def test_a_page_read_just_as_another_server_applies_the_missed_changes_is_not_served(
    client, exercise, settings, monkeypatch
):
    """Two servers reach Redis again at once: the other bumps and clears the rows while this one looks."""
    from pagecache.keys import GENERATION_KEY, fresh_generation

    client.get(exercise.get_absolute_url())
    Exercise.objects.filter(pk=exercise.pk).update(title="Knee walking, changed while Redis was down")
    MissedPageInvalidation.objects.create()
    run = reconciler.run

    def the_other_server_gets_there_first():
        cache.set(GENERATION_KEY, fresh_generation(), timeout=None)
        MissedPageInvalidation.objects.all().delete()
        return run()

    monkeypatch.setattr(reconciler, "run", the_other_server_gets_there_first)
    settings.PAGE_CACHE_RECONCILE_SECONDS = 10
    reconciler.next_check = 0
    page = client.get(exercise.get_absolute_url())
    assert "changed while Redis was down" in page.content.decode()


def test_a_cached_page_costs_no_query_while_no_missed_change_is_due(
    client, exercise, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_RECONCILE_SECONDS = 10
    client.get(exercise.get_absolute_url())
    reconciler.reset()
    with django_assert_num_queries(0):
        assert client.get(exercise.get_absolute_url())["X-Page-Cache"] == "hit"


def test_the_outage_is_logged_once_not_on_every_request(client, exercise, cache_down, caplog):
    with caplog.at_level(logging.WARNING, logger="pagecache.guard"):
        for _ in range(5):
            guard._open_until = 0  # as if each request came after the breaker closed
            assert client.get(exercise.get_absolute_url()).status_code == 200
    cache_warnings = [r for r in caplog.records if "shared cache is unavailable" in r.getMessage()]
    assert len(cache_warnings) == 1


def test_after_a_failure_the_cache_is_left_alone_for_a_moment(client, exercise, cache_down):
    client.get(exercise.get_absolute_url())
    failures = guard.failures
    for _ in range(3):
        client.get(exercise.get_absolute_url())
    assert guard.failures == failures  # skipped, not retried and timed out each time


# --- Health ----------------------------------------------------------------------


def test_health_says_the_cache_is_unavailable_and_still_answers_200(client, cache_down):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["cache"] == "unavailable"
    assert response.json()["status"] == "degraded"
