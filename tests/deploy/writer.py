"""One of the concurrent writers of test_concurrency.py, a process of its own like a gunicorn worker.

    python tests/deploy/writer.py EXERCISE_SLUG COUNT GO_FILE

With the settings of the environment (the project's SQLite options, or
PostgreSQL), it sets Django up, says "ready", waits until GO_FILE exists so
all writers start together, then adds COUNT steps to the exercise, each in
its own transaction that first reads and then writes (the pattern that
raises "database is locked" under SQLite's default DEFERRED transactions).

HOOK(comments): after the merge, write_one() becomes a POST of a comment to
the comment endpoint of a gunicorn started on the same settings (see
test_concurrency.py), and the count becomes Comment.objects.count().
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backcare.settings")

import django

django.setup()

from django.db import transaction  # noqa: E402

from exercises.models import Exercise, Step  # noqa: E402


def write_one(exercise: Exercise, n: int) -> None:
    with transaction.atomic():
        position = Step.objects.filter(exercise=exercise).count()
        Step.objects.create(exercise=exercise, position=position, text=f"Writer {os.getpid()}, step {n}")


def main() -> None:
    slug, count, go_file = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    exercise = Exercise.objects.get(slug=slug)
    print("ready", flush=True)
    while not go_file.exists():
        time.sleep(0.01)
    for n in range(count):
        write_one(exercise, n)


if __name__ == "__main__":
    main()
