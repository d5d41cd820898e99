"""One of the concurrent writers of test_concurrency.py, a process of its own like a gunicorn worker.

    python tests/deploy/writer.py EXERCISE_SLUG COUNT GO_FILE

With the settings of the environment (the project's SQLite options, or
PostgreSQL), it sets Django up, reads the comment form from the exercise page
as a browser would, says "ready", waits until GO_FILE exists so all writers
start together, then posts COUNT comments through the real comment view: the
form and its guards, the save as pending, the audit row and the queued spam
check, each post in its own transactions. Any answer but the redirect to the
new comment ends the writer with an error.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backcare.settings")

import django  # noqa: E402

django.setup()

from comment_form import build_comment_post  # noqa: E402
from django.test import Client  # noqa: E402

from exercises.models import Exercise  # noqa: E402


def main() -> None:
    slug, count, go_file = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    url = Exercise.objects.get(slug=slug).get_absolute_url()
    client = Client(HTTP_HOST="127.0.0.1")
    page = client.get(url, secure=True)
    post = build_comment_post(page.content.decode(), f"https://127.0.0.1{url}")
    if post is None:
        sys.exit(f"no comment form on {url} ({page.status_code})")
    headers = {**post.headers, "Origin": "https://127.0.0.1", "User-Agent": f"writer {os.getpid()}"}
    print("ready", flush=True)
    while not go_file.exists():
        time.sleep(0.01)
    for n in range(count):
        body = post.body.replace("{n}", f"{os.getpid()}-{n}")
        response = client.post(
            post.path, body, content_type="application/x-www-form-urlencoded", headers=headers, secure=True
        )
        if response.status_code != 302:
            sys.exit(f"post {n} answered {response.status_code}: {response.content.decode()[:500]}")


if __name__ == "__main__":
    main()
