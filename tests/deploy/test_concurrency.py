"""16 writers at once lose nothing and never see "database is locked", on SQLite and on PostgreSQL."""

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
    env = {**production_env, "DATABASE_URL": url}
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


def test_sixteen_concurrent_writers_lose_no_row_and_never_find_the_database_locked(database_env, tmp_path):
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
    stored = orm(
        database_env,
        "from exercises.models import Step\nprint(Step.objects.filter(exercise__slug='cat-and-cow').count())",
    )
    assert int(stored) == TOTAL, f"{TOTAL - int(stored)} of {TOTAL} rows lost (in {elapsed:.1f} s)"
