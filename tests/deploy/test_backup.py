"""A backup taken while comments are being posted restores into a fresh database row for row,
on SQLite (the online backup API) and on PostgreSQL (pg_dump in a snapshot)."""

import json
import shutil
import time
from pathlib import Path

import pytest

from .services import CAT_AND_COW, manage, orm, start_writers, writers_failures

pytestmark = pytest.mark.deploy

WRITERS = 4
PER_WRITER = 100
CHECKSUM = (
    "from django.db import connection\n"
    "from operations import backups\n"
    "from comments.models import Comment\n"
    "with connection.cursor() as cursor:\n"
    "    print(Comment.objects.count(), backups.checksum(cursor, Comment))\n"
)


def database_url(kind: str, folder: Path, name: str, make_postgres_database) -> str:
    return f"sqlite:///{folder / (name + '.sqlite3')}" if kind == "sqlite" else make_postgres_database()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_backup_taken_while_comments_are_posted_restores_into_a_fresh_database_row_for_row(
    kind, production_env, make_postgres_database, tmp_path
):
    live = {
        **production_env,
        "DATABASE_URL": database_url(kind, tmp_path, "live", make_postgres_database),
        "COMMENTS_FLOOD_SECONDS": "0",
        "BACKUP_DIR": str(tmp_path / "backups"),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
    }
    manage(live, "migrate", "--no-input", "-v0")
    orm(live, CAT_AND_COW)
    (tmp_path / "media" / "exercises").mkdir(parents=True)
    (tmp_path / "media" / "exercises" / "cat-and-cow.jpg").write_bytes(b"\xff\xd8 a picture")
    go = tmp_path / "go"
    writers = start_writers(live, count=WRITERS, each=PER_WRITER, go=go)
    go.touch()
    time.sleep(2)  # comments are arriving
    backup_output = manage(live, "backup").stdout
    failures = writers_failures(writers, timeout=300)
    assert failures == [], "\n---\n".join(failures)

    (folder,) = (tmp_path / "backups").iterdir()
    manifest = json.loads((folder / "manifest.json").read_text())
    in_backup = manifest["summary"]["counts"]["comments.Comment"]
    final_count = int(orm(live, CHECKSUM).split()[0])

    fresh = {
        **live,
        "DATABASE_URL": database_url(kind, tmp_path, "fresh", make_postgres_database),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "restored-media"),
    }
    manage(fresh, "migrate", "--no-input", "-v0")
    restore_output = manage(fresh, "restore", str(folder), "--no-input").stdout
    restored_count, restored_checksum = orm(fresh, CHECKSUM).split()
    pks = tmp_path / "restored-pks.json"
    orm(
        fresh,
        "import json\nfrom comments.models import Comment\n"
        f"open({str(pks)!r}, 'w').write(json.dumps(list(Comment.objects.values_list('pk', flat=True))))\n",
    )
    live_same_rows = orm(
        live,
        CHECKSUM.replace(
            "backups.checksum(cursor, Comment)",
            f"backups.checksum(cursor, Comment, pks=__import__('json').load(open({str(pks)!r})))",
        ),
    ).split()[1]
    print(
        f"\n[backup {kind}] {backup_output.strip()} while {WRITERS} writers posted {WRITERS * PER_WRITER}; "
        f"{final_count} comments at the end; restored {restored_count}."
    )
    assert 0 < in_backup <= final_count
    assert int(restored_count) == in_backup
    assert restored_checksum == manifest["summary"]["checksums"]["comments.Comment"]
    assert restored_checksum == live_same_rows  # the same rows as the live table, not merely self-consistent
    assert "every count and checksum matches" in restore_output
    assert (
        tmp_path / "restored-media" / "exercises" / "cat-and-cow.jpg"
    ).read_bytes() == b"\xff\xd8 a picture"


WRITTEN_ROWS = (
    "from django.apps import apps\n"
    "from django.db import connection\n"
    "from operations import backups\n"
    "with connection.cursor() as cursor:\n"
    "    for label in ('comments.Comment', 'classes.Course', 'classes.Enquiry'):\n"
    "        model = apps.get_model(label)\n"
    "        print(label, model.objects.count(), backups.checksum(cursor, model))\n"
)


def test_a_backup_copied_off_the_machine_restores_into_a_fresh_database_once_the_local_copies_are_lost(
    production_env, tmp_path
):
    password = tmp_path / "restic-password"
    password.write_text("correct horse battery staple\n")
    password.chmod(0o600)
    live = {
        **production_env,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'live.sqlite3'}",
        "BACKUP_DIR": str(tmp_path / "backups"),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "RESTIC_REPOSITORY": str(tmp_path / "elsewhere"),
        "RESTIC_PASSWORD_FILE": str(password),
        "RESTIC_CACHE_DIR": str(tmp_path / "restic-cache"),
    }
    manage(live, "migrate", "--no-input", "-v0")
    orm(
        live,
        "from classes.models import Enquiry\n"
        "from tests.classes.factories import CourseFactory, TeacherFactory\n"
        "from tests.comments.factories import CommentFactory\n"
        "CommentFactory.create_batch(5)\n"
        "course = CourseFactory()\n"
        "Enquiry.objects.create(teacher=TeacherFactory(), course=course, name='Ann',\n"
        "    email='ann@example.org', message='Is there room?')\n",
    )
    (tmp_path / "media" / "exercises").mkdir(parents=True)
    (tmp_path / "media" / "exercises" / "knee.jpg").write_bytes(b"\xff\xd8 a knee")
    before = orm(live, WRITTEN_ROWS)

    manage(live, "offsite_backup", "--init")
    manage(live, "backup")
    copied = manage(live, "offsite_backup").stdout
    shutil.rmtree(tmp_path / "backups")  # the machine's disk is lost

    fresh = {
        **live,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "BACKUP_DIR": str(tmp_path / "new-backups"),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "restored-media"),
    }
    manage(fresh, "migrate", "--no-input", "-v0")
    restored = manage(fresh, "restore", "--from-offsite", "--no-input").stdout
    after = orm(fresh, WRITTEN_ROWS)
    print(f"\n[off-machine backup] {copied.strip()}\n{restored.strip()}\n{after.strip()}")
    assert "every count and checksum matches" in restored
    assert after == before
    assert "comments.Comment 5 " in after
    assert (tmp_path / "restored-media" / "exercises" / "knee.jpg").read_bytes() == b"\xff\xd8 a knee"
