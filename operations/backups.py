"""Consistent online backups of the database and the uploaded media, and restoring them.

One backup is one folder, ``backcare-YYYYMMDDTHHMMSSZ``, holding:

* ``database.sqlite3`` (SQLite's online backup API: a consistent copy taken
  while the site keeps writing) or ``database.pgdump`` (``pg_dump`` custom
  format, taken in a REPEATABLE READ snapshot);
* ``media.tar.gz``, the uploaded pictures;
* ``manifest.json``: when, from which database engine, the row count of every
  table and a checksum of the tables people write to (comments, their
  history, enquiries), all read from the same snapshot as the copy; and the
  SHA-256 of each file.

A backup is written under a temporary name and renamed when complete, so a
folder with a manifest is a whole backup. It holds everything (password
hashes, sessions, second-factor secrets, e-mail and IP addresses), so each
backup folder is made 0700 before anything is written into it and each file
0600, whatever the umask or the mode of ``BACKUP_DIR``; a copy made with
``rsync -a`` keeps these modes. The newest ``keep`` are kept.
``restore`` loads one into the configured (empty or disposable) database and
media folder, then checks the counts and checksums against the manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from django.apps import apps
from django.conf import settings
from django.db import connections, models, transaction

PREFIX = "backcare-"
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
MEDIA_FILE = "media.tar.gz"
# What people write: a restore must bring these back row for row.
CHECKSUMMED = ["comments.Comment", "comments.CommentEvent", "classes.Enquiry"]
PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600


class BackupError(Exception):
    """A backup or restore could not be completed; the message says why."""


def _tables() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if model._meta.managed and not model._meta.proxy]


def checksum(cursor, model: type[models.Model], *, pks: list[int] | None = None) -> str:
    """SHA-256 over every row of ``model``'s table (all columns, in primary-key order; only ``pks``
    if given), read with a DB-API ``cursor``: equal for two databases of one engine only if the rows are."""
    quote = connections["default"].ops.quote_name
    # Concrete fields always have a column; the stubs allow None for the others.
    columns = ", ".join(quote(cast(str, field.column)) for field in model._meta.concrete_fields)
    pk = quote(cast(str, model._meta.pk.column))
    where = f" WHERE {pk} IN ({', '.join(str(int(value)) for value in pks)})" if pks else ""
    cursor.execute(
        f"SELECT {columns} FROM {quote(model._meta.db_table)}{where} ORDER BY {pk}"  # noqa: S608 - names from our models, integers
    )
    digest = hashlib.sha256()
    while rows := cursor.fetchmany(2000):
        for row in rows:
            digest.update(repr(tuple(row)).encode())
            digest.update(b"\n")
    return digest.hexdigest()


def summary(cursor) -> dict[str, dict[str, object]]:
    """Row counts of every table, and checksums of the ``CHECKSUMMED`` ones, read with ``cursor``."""
    quote = connections["default"].ops.quote_name
    counts = {}
    for model in _tables():
        cursor.execute(f"SELECT COUNT(*) FROM {quote(model._meta.db_table)}")  # noqa: S608 - our table names
        counts[model._meta.label] = cursor.fetchone()[0]
    sums = {label: checksum(cursor, apps.get_model(label)) for label in CHECKSUMMED}
    return {"counts": counts, "checksums": sums}


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class Backup:
    folder: Path
    manifest: dict

    @property
    def comment_count(self) -> int:
        return self.manifest["summary"]["counts"]["comments.Comment"]


def list_backups(root: Path) -> list[Path]:
    """Complete backups in ``root``, oldest first."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.name.startswith(PREFIX) and (p / MANIFEST).is_file())


def create_backup(root: Path, *, keep: int, now: datetime | None = None) -> Backup:
    """Back up the default database and the media folder into a new folder under ``root``."""
    now = now or datetime.now(UTC)
    if not root.exists():
        # A root we create is private too; an existing one keeps the mode its operator gave it.
        root.mkdir(parents=True, mode=PRIVATE_FOLDER)
        root.chmod(PRIVATE_FOLDER)
    name = f"{PREFIX}{now:%Y%m%dT%H%M%SZ}"
    final = root / name
    if final.exists():
        raise BackupError(f"{final} exists already; wait a second and try again.")
    work = root / f".{name}.partial"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(mode=PRIVATE_FOLDER)
    work.chmod(PRIVATE_FOLDER)  # mkdir's mode is filtered by the umask; chmod is not
    try:
        vendor = connections["default"].vendor
        if vendor == "sqlite":
            database_file, tables = _backup_sqlite(work / SQLITE_FILE)
        elif vendor == "postgresql":
            database_file, tables = _backup_postgresql(work / PG_FILE)
        else:
            raise BackupError(f"Backups of {vendor} databases are not supported.")
        media_file = _backup_media(work / MEDIA_FILE)
        manifest = {
            "created_at": now.isoformat(),
            "engine": vendor,
            "summary": tables,
            "files": {path.name: _file_sha256(path) for path in (database_file, media_file)},
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        for written in work.iterdir():
            written.chmod(PRIVATE_FILE)
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    prune(root, keep=keep)
    return Backup(final, manifest)


def prune(root: Path, *, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups (and leftovers of interrupted ones)."""
    removed = []
    for partial in root.glob(f".{PREFIX}*.partial"):
        shutil.rmtree(partial, ignore_errors=True)
    backups = list_backups(root)
    for old in backups[: max(0, len(backups) - keep)]:
        shutil.rmtree(old)
        removed.append(old)
    return removed


def _backup_sqlite(target: Path) -> tuple[Path, dict]:
    """SQLite's online backup API: a consistent copy while the site keeps writing. The manifest
    is read from the copy itself."""
    live = connections["default"]
    live.ensure_connection()
    # Read the copy with the same type conversions as the site's own connection.
    copy = sqlite3.connect(str(target), detect_types=live.get_connection_params().get("detect_types", 0))
    try:
        live.connection.backup(copy)
        return target, summary(copy.cursor())
    finally:
        copy.close()


def _pg_environment(database: Mapping[str, Any]) -> dict[str, str]:
    env = {**os.environ}
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if database.get(key):
            env[variable] = str(database[key])
    env["PGDATABASE"] = str(database["NAME"])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600, check=False)  # noqa: S603
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is not installed (Debian: apt-get install postgresql-client)."
        ) from None
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _backup_postgresql(target: Path) -> tuple[Path, dict]:
    """pg_dump inside our own REPEATABLE READ transaction's snapshot, so the manifest describes the dump."""
    database = settings.DATABASES["default"]
    with transaction.atomic(), connections["default"].cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ],
            _pg_environment(database),
        )
        return target, summary(cursor)


def _backup_media(target: Path) -> Path:
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(target, "w:gz") as archive:
        if media.is_dir():
            archive.add(media, arcname="media")
    return target


def restore_backup(folder: Path) -> dict:
    """Load a backup into the default database and media folder; return the checked summary.

    The database must be empty or disposable: its tables are replaced.
    Stop the web server and the task worker first.
    """
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{folder} is not a complete backup (no {MANIFEST}).")
    manifest = json.loads(manifest_path.read_text())
    for name, expected in manifest["files"].items():
        if _file_sha256(folder / name) != expected:
            raise BackupError(f"{folder / name} is damaged: its checksum differs from the manifest.")
    vendor = connections["default"].vendor
    if vendor != manifest["engine"]:
        raise BackupError(f"This backup is of a {manifest['engine']} database; the site uses {vendor}.")
    if vendor == "sqlite":
        _restore_sqlite(folder / SQLITE_FILE)
    else:
        _restore_postgresql(folder / PG_FILE)
    _restore_media(folder / MEDIA_FILE)
    live = connections["default"]
    live.ensure_connection()
    restored = summary(live.connection.cursor())
    differences = _differences(restored, manifest["summary"])
    if differences:
        raise BackupError(
            f"Restore refused: the restored rows differ from the backup's manifest in {', '.join(differences)}. "
            "The database now holds this copy: do not start the site on it; restore another backup."
        )
    return restored


def _differences(restored: dict, expected: dict) -> list[str]:
    """Every table whose row count or checksum differs, e.g. ``comments.Comment (checksum)``: a copy
    with the right number of rows but other rows in them is as wrong as one with rows missing."""
    return sorted(
        f"{label} ({'count' if part == 'counts' else 'checksum'})"
        for part in ("counts", "checksums")
        for label in set(restored[part]) | set(expected[part])
        if restored[part].get(label) != expected[part].get(label)
    )


def _restore_sqlite(source_file: Path) -> None:
    live = connections["default"]
    live.ensure_connection()
    source = sqlite3.connect(str(source_file))
    try:
        source.backup(live.connection)
    finally:
        source.close()


def _restore_postgresql(dump: Path) -> None:
    connections["default"].close()
    database = settings.DATABASES["default"]
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={database['NAME']}",
            str(dump),
        ],
        _pg_environment(database),
    )


def _restore_media(archive_file: Path) -> None:
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive_file, "r:gz") as archive:
        members = [m for m in archive.getmembers() if m.name == "media" or m.name.startswith("media/")]
        for member in members:
            member.name = member.name.removeprefix("media").lstrip("/") or "."
        archive.extractall(media, members=members, filter="data")
