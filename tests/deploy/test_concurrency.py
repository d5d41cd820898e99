"""16 writers posting 2,000 comments at once lose none and never see "database is locked",
on SQLite (IMMEDIATE transactions, WAL, busy timeout) and on PostgreSQL."""

import time

import pytest

from .services import CAT_AND_COW, manage, orm, start_writers, writers_failures

pytestmark = pytest.mark.deploy

WRITERS = 16
TOTAL = 2000


@pytest.fixture(params=["sqlite", "postgresql"])
def database_env(request, production_env, make_postgres_database, tmp_path) -> dict[str, str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'concurrency.sqlite3'}"
    else:
        url = make_postgres_database()
    # Every writer posts from one address, as fast as it can: lift the flood guard.
    env = {**production_env, "DATABASE_URL": url, "COMMENTS_FLOOD_SECONDS": "0"}
    manage(env, "migrate", "--no-input", "-v0")
    orm(env, CAT_AND_COW)
    return env


def test_sixteen_concurrent_writers_lose_no_comment_and_never_find_the_database_locked(
    database_env, tmp_path
):
    go = tmp_path / "go"
    writers = start_writers(database_env, count=WRITERS, each=TOTAL // WRITERS, go=go)
    go.touch()
    started = time.monotonic()
    failures = writers_failures(writers, timeout=240)
    elapsed = time.monotonic() - started

    assert failures == [], "\n---\n".join(failures)
    stored = orm(database_env, "from comments.models import Comment\nprint(Comment.objects.count())")
    assert int(stored) == TOTAL, f"{TOTAL - int(stored)} of {TOTAL} comments lost (in {elapsed:.1f} s)"
