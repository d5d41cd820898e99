"""The page cache tests' reader-facing exercise (a titled page with one step), and for the
cache-guard tests a shared cache that is down or a real Redis client pointed at a dead server."""

from collections.abc import Iterator

import pytest
from django.core.cache.backends.locmem import LocMemCache

from tests.factories import ExerciseFactory, StepFactory
from tests.pagecache.guard_helpers import FAILING, refuse_like_a_stopped_redis


@pytest.fixture
def exercise():
    exercise = ExerciseFactory(title="Knee walking")
    StepFactory(exercise=exercise, text="Keep your feet still.")
    return exercise


@pytest.fixture
def cache_down(monkeypatch) -> Iterator[None]:
    """Every cache call fails as in production when Redis is stopped; undo() brings it back with its data."""
    for name in FAILING:
        monkeypatch.setattr(LocMemCache, name, refuse_like_a_stopped_redis)
    yield
    monkeypatch.undo()


@pytest.fixture
def real_redis_client_settings(settings):
    """A real RedisCache with the production timeouts; the test points it at a dead or hung server."""

    def point_at(port: int) -> None:
        server = {
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {
                "socket_connect_timeout": settings.REDIS_TIMEOUT,
                "socket_timeout": settings.REDIS_TIMEOUT,
            },
        }
        settings.CACHES = {
            **settings.CACHES,
            "default": {
                **server,
                "BACKEND": "pagecache.guard.RedisWithDatabaseFallback",
                "FALLBACK": "counts",
            },
            "pages": {**server, "BACKEND": "pagecache.guard.ResilientRedisCache"},
        }

    return point_at
