"""16 writers posting 2,000 comments at once lose none and never see "database is locked",
on SQLite (IMMEDIATE transactions, WAL, busy timeout) and on PostgreSQL."""

import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT, manage, orm

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
    orm(
        env,
        "from exercises.models import Category, Exercise\n"
        "Exercise.objects.create(title='Cat and cow', slug='cat-and-cow', summary='Arch and round.',\n"
        "    category=Category.objects.create(name='Mobility', slug='mobility'),\n"
        "    starting_position='On all fours.', repetitions='10 times', frequency='daily',\n"
        "    duration='a minute', cautions='Stop if it hurts.', status='published')\n",
    )
    return env


def test_sixteen_concurrent_writers_lose_no_comment_and_never_find_the_database_locked(
    database_env, tmp_path
):
    go = tmp_path / "go"
    writers = [
        subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__).with_name("writer.py")),
                "cat-and-cow",
                str(TOTAL // WRITERS),
                str(go),
            ],
            cwd=ROOT,
            env=database_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(WRITERS)
    ]
    for writer in writers:
        assert writer.stdout.readline().strip() == "ready", writer.stderr.read()
    go.touch()
    started = time.monotonic()
    failures = []
    for writer in writers:
        _, stderr = writer.communicate(timeout=240)
        if writer.returncode != 0:
            failures.append(stderr[-2000:])
    elapsed = time.monotonic() - started

    assert failures == [], "\n---\n".join(failures)
    stored = orm(database_env, "from comments.models import Comment\nprint(Comment.objects.count())")
    assert int(stored) == TOTAL, f"{TOTAL - int(stored)} of {TOTAL} comments lost (in {elapsed:.1f} s)"
