"""`manage.py backup` keeps N whole generations with a manifest; `restore` refuses a damaged one.

The round trip under load (backing up while comments are posted, restoring
into a fresh database) is in tests/deploy/test_backup.py, on SQLite and PostgreSQL.
"""

import io
import json
import os
import shutil
import sqlite3
import stat
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from classes.models import Course, Enquiry
from operations import backups, health
from operations import offsite as offsite_module
from tests.classes.factories import CourseFactory, TeacherFactory
from tests.comments.factories import CommentFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # These restore into the test database itself, which only SQLite's backup API does in place;
    # the PostgreSQL round trip (pg_dump, pg_restore into a fresh database) is tests/deploy/test_backup.py.
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="PostgreSQL is covered by tests/deploy/test_backup.py"
    ),
]


def backup(root, keep=3) -> str:
    out = io.StringIO()
    call_command("backup", "--to", str(root), "--keep", str(keep), stdout=out)
    return out.getvalue()


def test_a_backup_holds_the_database_media_and_a_manifest_of_what_it_holds(tmp_path, settings):
    CommentFactory.create_batch(3)
    (settings.MEDIA_ROOT / "exercises").mkdir(parents=True)
    (settings.MEDIA_ROOT / "exercises" / "knee.jpg").write_bytes(b"not really a jpeg")
    assert "3 comments" in backup(tmp_path)
    (folder,) = backups.list_backups(tmp_path)
    assert {p.name for p in folder.iterdir()} == {"database.sqlite3", "media.tar.gz", "manifest.json"}
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["summary"]["counts"]["comments.Comment"] == 3
    with connection.cursor() as cursor:
        live = backups.checksum(cursor, CommentFactory._meta.model)
    assert manifest["summary"]["checksums"]["comments.Comment"] == live


def test_only_the_newest_generations_are_kept(tmp_path):
    for n in range(4):
        (tmp_path / f"backcare-2026010{n}T000000Z").mkdir()
        (tmp_path / f"backcare-2026010{n}T000000Z" / "manifest.json").write_text("{}")
    backup(tmp_path, keep=2)
    names = [p.name for p in backups.list_backups(tmp_path)]
    assert len(names) == 2
    assert names[0] == "backcare-20260103T000000Z"


def test_restore_refuses_a_damaged_backup_and_changes_nothing(tmp_path):
    CommentFactory.create_batch(2)
    backup(tmp_path)
    (folder,) = backups.list_backups(tmp_path)
    with (folder / "database.sqlite3").open("r+b") as database:
        database.seek(200)
        database.write(b"\0damaged\0")
    CommentFactory()
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(folder), "--no-input", stdout=io.StringIO())
    assert CommentFactory._meta.model.objects.count() == 3


def test_restore_brings_back_the_rows_of_the_backup(tmp_path):
    kept = CommentFactory.create_batch(2)
    backup(tmp_path)
    CommentFactory(text="Written after the backup")
    out = io.StringIO()
    call_command("restore", str(backups.list_backups(tmp_path)[-1]), "--no-input", stdout=out)
    assert "every count and checksum matches" in out.getvalue()
    remaining = CommentFactory._meta.model.objects.all()
    assert sorted(c.pk for c in remaining) == sorted(c.pk for c in kept)


def rewrite_manifest(folder, change) -> None:
    """Edit a backup's manifest and keep its file checksums true, as a copy made from another
    moment than its manifest (or a bug) would: only the row checks can tell."""
    manifest = json.loads((folder / "manifest.json").read_text())
    change(manifest)
    manifest["files"] = {name: backups._file_sha256(folder / name) for name in manifest["files"]}
    (folder / "manifest.json").write_text(json.dumps(manifest))


def test_restore_refuses_a_copy_whose_comment_text_differs_though_every_count_matches(tmp_path):
    comment = CommentFactory(text="Keep your back straight.")
    backup(tmp_path)
    (folder,) = backups.list_backups(tmp_path)
    copy = sqlite3.connect(folder / "database.sqlite3")
    with copy:
        copy.execute(
            f"UPDATE {comment._meta.db_table} SET text = ? WHERE id = ?",  # noqa: S608 - our table name
            ("Round your back.", comment.pk),
        )
    copy.close()
    rewrite_manifest(folder, lambda manifest: None)
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(folder), "--no-input", stdout=io.StringIO())
    assert "Restore refused" in str(refused.value)
    assert "comments.Comment (checksum)" in str(refused.value)
    assert "(count)" not in str(refused.value)


def test_restore_refuses_a_copy_whose_manifest_checksum_differs_though_every_count_matches(tmp_path):
    CommentFactory.create_batch(2)
    backup(tmp_path)
    (folder,) = backups.list_backups(tmp_path)

    def alter(manifest):
        manifest["summary"]["checksums"]["classes.Enquiry"] = "0" * 64

    rewrite_manifest(folder, alter)
    with pytest.raises(CommandError, match=r"Restore refused: .*classes\.Enquiry \(checksum\)"):
        call_command("restore", str(folder), "--no-input", stdout=io.StringIO())


@pytest.fixture
def permissive_umask():
    """The loosest umask a careless shell or unit could run the backup under."""
    previous = os.umask(0)
    yield
    os.umask(previous)


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_backup_is_readable_by_its_owner_only_whatever_the_umask(tmp_path, permissive_umask):
    root = tmp_path / "backups"
    CommentFactory()
    backup(root)
    (folder,) = backups.list_backups(root)
    assert (mode(root), mode(folder)) == (0o700, 0o700)
    assert {p.name: mode(p) for p in folder.iterdir()} == {
        "database.sqlite3": 0o600,
        "media.tar.gz": 0o600,
        "manifest.json": 0o600,
    }


def test_an_existing_backup_folder_keeps_the_mode_its_operator_gave_it(tmp_path, permissive_umask):
    tmp_path.chmod(0o750)
    backup(tmp_path)
    (folder,) = backups.list_backups(tmp_path)
    assert (mode(tmp_path), mode(folder)) == (0o750, 0o700)


def test_a_private_backup_restores_with_the_media_as_it_was(tmp_path, settings, permissive_umask):
    (settings.MEDIA_ROOT / "exercises").mkdir(parents=True)
    picture = settings.MEDIA_ROOT / "exercises" / "knee.webp"
    picture.write_bytes(b"a picture")
    picture.chmod(0o644)
    kept = CommentFactory()
    backup(tmp_path)
    CommentFactory(text="Written after the backup")
    picture.unlink()
    out = io.StringIO()
    call_command("restore", str(backups.list_backups(tmp_path)[-1]), "--no-input", stdout=out)
    assert "every count and checksum matches" in out.getvalue()
    assert [c.pk for c in CommentFactory._meta.model.objects.all()] == [kept.pk]
    assert (picture.read_bytes(), mode(picture)) == (b"a picture", 0o644)


# --- Copies off the machine (restic) ------------------------------------------------------------

SECRET = "correct horse battery staple"


@pytest.fixture
def offsite(tmp_path, settings):
    """A restic repository in a local folder standing for the other machine, created as the docs say."""
    password = tmp_path / "restic-password"
    password.write_text(SECRET + "\n")
    password.chmod(0o600)
    settings.RESTIC_REPOSITORY = str(tmp_path / "elsewhere")
    settings.RESTIC_PASSWORD_FILE = str(password)
    settings.BACKUP_DIR = tmp_path / "backups"
    call_command("offsite_backup", "--init", stdout=io.StringIO())
    return tmp_path / "elsewhere"


def written_rows() -> dict[str, str]:
    with connection.cursor() as cursor:
        return {
            label: backups.checksum(cursor, apps.get_model(label))
            for label in ("comments.Comment", "classes.Course", "classes.Enquiry")
        }


def snapshots() -> list[dict]:
    return json.loads(offsite_module.restic("snapshots", "--json"))


def test_a_backup_copied_off_the_machine_restores_row_for_row_once_the_local_copy_is_lost(offsite, settings):
    CommentFactory.create_batch(3, text="My knee clicks on the stairs.")
    course = CourseFactory()
    Enquiry.objects.create(
        teacher=TeacherFactory(), course=course, name="Ann", email="ann@example.org", message="Is there room?"
    )
    before = written_rows()
    backup(settings.BACKUP_DIR)
    out = io.StringIO()
    call_command("offsite_backup", stdout=out)
    assert "Copied backcare-" in out.getvalue()
    assert len(snapshots()) == 1
    # Encrypted: the words people wrote are nowhere in the repository's files.
    assert not [p for p in offsite.rglob("*") if p.is_file() and b"knee clicks" in p.read_bytes()]

    shutil.rmtree(settings.BACKUP_DIR)  # the disk is lost...
    Enquiry.objects.all().delete()  # ...and the database with it
    Course.objects.all().delete()
    CommentFactory._meta.model.objects.all().delete()
    assert written_rows() != before

    out = io.StringIO()
    call_command("restore", "--from-offsite", "--no-input", stdout=out)
    assert "every count and checksum matches" in out.getvalue()
    assert written_rows() == before
    assert list(settings.BACKUP_DIR.iterdir()) == []  # the fetched copy is not left behind


def test_the_restic_password_is_never_on_a_command_line(offsite, settings, monkeypatch):
    calls = []
    run = subprocess.run

    def spy(command, **kwargs):
        calls.append((command, kwargs["env"]))
        return run(command, **kwargs)

    monkeypatch.setattr(subprocess, "run", spy)
    monkeypatch.setenv("RESTIC_PASSWORD", SECRET)  # set by mistake: restic must not be given it
    backup(settings.BACKUP_DIR)
    call_command("offsite_backup", stdout=io.StringIO())
    assert [command[1] for command, _ in calls] == ["backup", "forget"]
    assert all(SECRET not in " ".join(command) for command, _ in calls)
    assert all("RESTIC_PASSWORD" not in env for _, env in calls)


def test_old_off_machine_copies_are_forgotten_as_the_retention_says(offsite, settings):
    settings.BACKUP_OFFSITE_RETENTION = "--keep-last 2"
    for day in (1, 2, 3):
        folder = backups.create_backup(
            settings.BACKUP_DIR, keep=1, now=datetime(2026, 12, day, 3, 15, tzinfo=UTC)
        )
        offsite_module.copy_offsite(folder.folder, stamp_dir=settings.BACKUP_DIR)
    assert sorted(Path(s["paths"][0]).name for s in snapshots()) == [
        "backcare-20261202T031500Z",
        "backcare-20261203T031500Z",
    ]


def test_an_off_machine_copy_without_a_repository_fails_and_says_what_to_set(tmp_path, settings):
    settings.RESTIC_REPOSITORY = ""
    settings.BACKUP_DIR = tmp_path
    backup(tmp_path)
    with pytest.raises(CommandError, match="Set RESTIC_REPOSITORY and RESTIC_PASSWORD_FILE"):
        call_command("offsite_backup", stdout=io.StringIO())


# --- Telling the admins when the backup fails ------------------------------------------------------

SYSTEMD = Path(__file__).resolve().parents[2] / "deploy" / "systemd"


def unit_lines(name: str, key: str) -> list[str]:
    """The values of ``key`` in a unit file, in order (systemd allows a key more than once)."""
    lines = (SYSTEMD / name).read_text().splitlines()
    return [line.split("=", 1)[1] for line in lines if line.startswith(f"{key}=")]


def test_the_daily_backup_copies_off_the_machine_and_mails_the_admins_if_either_step_fails():
    assert [
        command.split("manage.py ")[1] for command in unit_lines("backcare-backup.service", "ExecStart")
    ] == [
        "backup",
        "offsite_backup",
    ]
    assert unit_lines("backcare-backup.service", "OnFailure") == ["backcare-failure@%n.service"]
    assert unit_lines("backcare-failure@.service", "ExecStart")[0].endswith(
        "manage.py mail_admins_failure %i"
    )


def test_a_failed_unit_is_mailed_to_the_admins_through_the_sites_mail_settings(settings, mailoutbox):
    settings.ADMINS = ["owner@example.org"]
    call_command("mail_admins_failure", "backcare-backup.service", stdout=io.StringIO())
    (message,) = mailoutbox
    assert message.to == ["owner@example.org"]
    assert "backcare-backup.service failed on" in message.subject
    assert "The systemd unit backcare-backup.service failed" in message.body


def test_a_failed_unit_with_no_admin_to_tell_fails_loudly(settings, mailoutbox):
    settings.ADMINS = []
    with pytest.raises(CommandError, match="DJANGO_ADMINS is empty"):
        call_command("mail_admins_failure", "backcare-backup.service", stdout=io.StringIO())
    assert mailoutbox == []


# --- The age of the newest off-machine copy in /healthz --------------------------------------------


def test_health_reports_the_age_of_the_newest_copy_off_the_machine(tmp_path, settings):
    settings.RESTIC_REPOSITORY = "sftp:backup@elsewhere:/srv/backcare"
    settings.BACKUP_DIR = tmp_path
    now = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
    offsite_module.write_stamp(tmp_path, copied_at=now - timedelta(hours=3), snapshot="abc", backup="b")
    report = health.check(now=now)
    assert (report.offsite_backup, report.offsite_backup_age_seconds) == ("ok", 3 * 3600)
    assert report.as_dict()["offsite_backup_age_seconds"] == 3 * 3600
    assert "offsite-backup" not in report.problems


def test_health_warns_when_the_newest_copy_off_the_machine_is_over_a_day_old(tmp_path, settings):
    settings.RESTIC_REPOSITORY = "sftp:backup@elsewhere:/srv/backcare"
    settings.BACKUP_DIR = tmp_path
    now = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
    offsite_module.write_stamp(tmp_path, copied_at=now - timedelta(hours=27), snapshot="abc", backup="b")
    report = health.check(now=now)
    assert report.offsite_backup == "stale"
    assert report.as_dict()["status"] == "degraded"
    assert "The newest copy of the backups off this machine is 27 hours old" in " ".join(report.warnings())


def test_health_warns_when_no_copy_has_left_the_machine_yet(tmp_path, settings):
    settings.RESTIC_REPOSITORY = "sftp:backup@elsewhere:/srv/backcare"
    settings.BACKUP_DIR = tmp_path
    report = health.check()
    assert report.offsite_backup == "missing"
    assert "No copy of the backups has left this machine yet" in " ".join(report.warnings())


def test_a_copy_off_the_machine_leaves_the_stamp_health_reads(offsite, settings):
    backup(settings.BACKUP_DIR)
    call_command("offsite_backup", stdout=io.StringIO())
    report = health.check()
    assert report.offsite_backup == "ok"
    assert report.offsite_backup_age_seconds < 3600
