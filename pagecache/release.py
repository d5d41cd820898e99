"""Which release of the site this process runs: a short id in every cached page's and fragment's key.

A release can change what a page looks like without changing a single row:
a template, a view, a Welsh string (``make messages`` rebuilds the ``.mo``,
which is never committed), a static file's hashed name. The page cache's
generations only follow content, so each process works out its release once,
when its settings load (settings.py calls ``current_release``), and the
page cache files pages under it: a fresh gunicorn after ``deploy/update``
never answers from pages the old code rendered, while pages of the same
release stay shared by every app server.
Pages of the old release are not deleted; they expire (``PAGE_CACHE_SECONDS``).

The id is ``BACKCARE_RELEASE`` when the environment sets one (letters,
digits, ``.``, ``_``, ``-``; a build system may know better), otherwise the
deployed commit, read from ``.git`` without running git, and a hash of the
compiled catalogues and of the static files' manifest. A tree without
``.git`` (an unpacked tarball) gets ``no-git`` plus that hash. Uncommitted
edits to code or templates are not noticed: deploy commits.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

RELEASE_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,64}")


def current_release(
    *, environ: Mapping[str, str], base_dir: Path, locale_paths: Iterable[Path], static_root: Path
) -> str:
    """``BACKCARE_RELEASE`` if set, else the id derived from the code and files deployed in ``base_dir``.

    Raises ``ValueError`` for a ``BACKCARE_RELEASE`` that cannot be part of a cache key.
    """
    given = environ.get("BACKCARE_RELEASE", "").strip()
    if given:
        if not RELEASE_PATTERN.fullmatch(given):
            raise ValueError(
                f"BACKCARE_RELEASE={given!r}: use up to 64 letters, digits, '.', '_' or '-' (or leave it empty)."
            )
        return given
    commit = git_commit(base_dir) or "no-git"
    return f"{commit[:12]}-{built_files_digest(locale_paths, static_root)}"


def built_files_digest(locale_paths: Iterable[Path], static_root: Path) -> str:
    """A hash of what a release builds besides its commit: the ``.mo`` catalogues and ``staticfiles.json``."""
    files = sorted(path for folder in locale_paths for path in Path(folder).glob("*/LC_MESSAGES/*.mo"))
    files.append(Path(static_root) / "staticfiles.json")
    digest = hashlib.blake2b(digest_size=6)
    for path in files:
        try:
            content = path.read_bytes()
        except OSError:  # not built (yet): no manifest under DEBUG, no .mo before `make messages`
            continue
        digest.update(str(path).encode() + b"\0" + hashlib.blake2b(content).digest())
    return digest.hexdigest()


def git_commit(base_dir: Path) -> str | None:
    """The commit checked out in ``base_dir``, from the files in ``.git``; None when there is none to read.

    Follows ``HEAD`` to its branch, in the loose refs or ``packed-refs``, and
    a ``.git`` file (a worktree: ``gitdir: …``, its refs in ``commondir``).
    """
    git = Path(base_dir) / ".git"
    try:
        if git.is_file():
            git = (Path(base_dir) / git.read_text().removeprefix("gitdir:").strip()).resolve()
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref:"):
            return head or None  # a detached HEAD: the commit itself
        ref = head.removeprefix("ref:").strip()
        common = git
        if (git / "commondir").is_file():
            common = (git / (git / "commondir").read_text().strip()).resolve()
        for folder in (git, common):
            if (folder / ref).is_file():
                return (folder / ref).read_text().strip() or None
        for line in (common / "packed-refs").read_text().splitlines():
            commit, _, name = line.partition(" ")
            if name == ref:
                return commit
    except OSError:
        return None
    return None
