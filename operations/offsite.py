"""Copies of the backups off this machine, with restic: encrypted, deduplicated, with retention.

``manage.py offsite_backup`` runs after ``manage.py backup`` in backcare-backup.service. It
wraps restic in Python rather than a shell line in the unit so that it can be tested on a
local repository, so that the password stays in ``RESTIC_PASSWORD_FILE`` (restic reads the
file itself: it is never on a command line, and ``RESTIC_PASSWORD`` is not passed on), and so
that a successful copy leaves a stamp: ``/healthz`` reads the stamp's time, which is cheaper
than asking the repository (over the network) on every probe.

One snapshot holds one backup folder. Every snapshot has the host name ``backcare`` and the
tag ``backcare`` whatever the machine is called, so a new machine finds the copies of the
old one, and ``restic forget`` groups them by host and tag (the folder's path changes daily).
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .backups import MANIFEST, PRIVATE_FOLDER, BackupError

HOST = "backcare"
TAG = "backcare"
STAMP = "offsite.json"  # in BACKUP_DIR, written after each successful copy
TIMEOUT_SECONDS = 6 * 3600


def restic_environment() -> dict[str, str]:
    """The environment restic runs with: the repository and the password file from the settings."""
    if not settings.RESTIC_REPOSITORY or not settings.RESTIC_PASSWORD_FILE:
        raise BackupError(
            "Set RESTIC_REPOSITORY and RESTIC_PASSWORD_FILE in the environment file "
            '(docs/deploying.md, "Backups").'
        )
    environment = {name: value for name, value in os.environ.items() if name != "RESTIC_PASSWORD"}
    return environment | {
        "RESTIC_REPOSITORY": settings.RESTIC_REPOSITORY,
        "RESTIC_PASSWORD_FILE": settings.RESTIC_PASSWORD_FILE,
    }


def restic(*arguments: str) -> str:
    """Run ``restic`` with ``arguments``; its standard output, or BackupError with its complaint."""
    try:
        result = subprocess.run(  # noqa: S603 - fixed program, our own arguments
            ["restic", *arguments],  # noqa: S607 - restic from the system's PATH (Debian package)
            env=restic_environment(),
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except FileNotFoundError:
        raise BackupError("restic is not installed (Debian: apt-get install restic).") from None
    if result.returncode != 0:
        raise BackupError(f"restic {arguments[0]} failed: {result.stderr.strip()[-2000:]}")
    return result.stdout


def init_repository() -> None:
    """Create the (encrypted) repository once, before the first copy."""
    restic("init")


def copy_offsite(folder: Path, *, stamp_dir: Path, now: datetime | None = None) -> str:
    """Send one backup folder to the repository, apply the retention, write the stamp; the snapshot id."""
    if not (folder / MANIFEST).is_file():
        raise BackupError(f"{folder} is not a complete backup (no {MANIFEST}).")
    output = restic("backup", "--json", "--host", HOST, "--tag", TAG, str(folder))
    summaries = [json.loads(line) for line in output.splitlines() if '"summary"' in line]
    snapshot = summaries[-1]["snapshot_id"] if summaries else ""
    restic(
        "forget",
        "--host",
        HOST,
        "--tag",
        TAG,
        "--group-by",
        "host,tags",
        "--prune",
        *shlex.split(settings.BACKUP_OFFSITE_RETENTION),
    )
    write_stamp(stamp_dir, copied_at=now or datetime.now(UTC), snapshot=snapshot, backup=folder.name)
    return snapshot


def write_stamp(stamp_dir: Path, *, copied_at: datetime, snapshot: str, backup: str) -> None:
    work = stamp_dir / f".{STAMP}.partial"
    work.write_text(json.dumps({"copied_at": copied_at.isoformat(), "snapshot": snapshot, "backup": backup}))
    work.rename(stamp_dir / STAMP)


def last_copy(stamp_dir: Path) -> datetime | None:
    """When the newest off-machine copy was made, from the stamp; None if never (or unreadable)."""
    try:
        return datetime.fromisoformat(json.loads((stamp_dir / STAMP).read_text())["copied_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def fetch_offsite(target: Path, *, snapshot: str = "latest") -> Path:
    """Take a backup folder back from the repository into ``target`` (made private); its path."""
    target.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
    target.chmod(PRIVATE_FOLDER)
    restic("restore", snapshot, "--host", HOST, "--tag", TAG, "--target", str(target))
    # restic recreates the folder's whole original path under the target.
    found = sorted(manifest.parent for manifest in target.rglob(MANIFEST))
    if len(found) != 1:
        raise BackupError(f"Snapshot {snapshot} holds {len(found)} backups, not one.")
    return found[0]


def state(*, now: datetime) -> tuple[str, int | None]:
    """For /healthz: "ok", "stale" (older than BACKUP_OFFSITE_WARNING_HOURS), "missing" (never
    copied) or "not-configured", and the newest copy's age in seconds, from the stamp."""
    if not settings.RESTIC_REPOSITORY:
        return "not-configured", None
    copied_at = last_copy(Path(settings.BACKUP_DIR))
    if copied_at is None:
        return "missing", None
    age = max(0, int((now - copied_at).total_seconds()))
    return ("stale" if age > settings.BACKUP_OFFSITE_WARNING_HOURS * 3600 else "ok"), age


def warnings(state: str, age_seconds: int | None) -> list[str]:
    """What the admin banner says about the copies off the machine, in words."""
    if state == "missing":
        return [_("No copy of the backups has left this machine yet: is the backup timer running?")]
    if state == "stale" and age_seconds is not None:
        hours = age_seconds // 3600
        return [
            ngettext(
                "The newest copy of the backups off this machine is %(hours)d hour old: "
                "is the backup timer failing?",
                "The newest copy of the backups off this machine is %(hours)d hours old: "
                "is the backup timer failing?",
                hours,
            )
            % {"hours": hours}
        ]
    return []
