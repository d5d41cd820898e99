"""deploy/update: the new code, then each step in turn, restarting only when all of them worked.

There is no systemd (nor a site in /srv/backcare) here, so the script runs
in a clone of a throwaway repository that holds it, with stand-ins that
write down how they were called: ``make`` and ``systemctl`` first on the
PATH, ``bin/manage`` and ``deploy/healthcheck.py`` in the clone. git is the
real one. ``FAIL`` makes the stand-in called with those words fail.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GIT = shutil.which("git") or "/usr/bin/git"

STAND_IN = """#!/bin/sh
echo "{name} $*" >> "$UPDATE_LOG"
case "{name} $*" in "$FAIL"*) [ -n "$FAIL" ] && exit 3;; esac
exit 0
"""

HEALTHCHECK_STAND_IN = """import os, sys
call = " ".join(["healthcheck", *sys.argv[1:]])
with open(os.environ["UPDATE_LOG"], "a") as log:
    print(call, file=log)
sys.exit(3 if os.environ["FAIL"] and call.startswith(os.environ["FAIL"]) else 0)
"""

INSTALL_STEPS = [
    "make install assets messages",
    "bin/manage check --deploy",
    "bin/manage migrate --no-input",
    "bin/manage collectstatic --no-input",
]
RESTART_STEPS = [
    "systemctl restart backcare-web backcare-worker",
    "healthcheck http://127.0.0.1:8000/healthz --wait 60",
]


def write_stand_in(path: Path, name: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(STAND_IN.format(name=name))
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def git(folder: Path, *args: str) -> str:
    return subprocess.run(
        [GIT, "-C", str(folder), *args], check=True, capture_output=True, text=True, env=git_env()
    ).stdout.strip()


def git_env() -> dict[str, str]:
    return {
        "PATH": os.environ["PATH"],
        "HOME": "/nonexistent",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_AUTHOR_NAME": "Release",
        "GIT_AUTHOR_EMAIL": "release@example.org",
        "GIT_COMMITTER_NAME": "Release",
        "GIT_COMMITTER_EMAIL": "release@example.org",
    }


def commit(folder: Path, name: str, text: str) -> str:
    (folder / name).write_text(text)
    git(folder, "add", name)
    git(folder, "commit", "-q", "-m", f"Add {name}")
    return git(folder, "rev-parse", "HEAD")


@pytest.fixture
def site(tmp_path) -> Path:
    """/srv/backcare: a clone of ``origin``, which holds the real deploy/update and the stand-ins."""
    origin = tmp_path / "origin"
    (origin / "deploy").mkdir(parents=True)
    shutil.copy2(ROOT / "deploy" / "update", origin / "deploy" / "update")
    write_stand_in(origin / "bin" / "manage", "bin/manage")
    (origin / "deploy" / "healthcheck.py").write_text(HEALTHCHECK_STAND_IN)
    git(tmp_path, "init", "-q", "-b", "main", str(origin))
    git(origin, "add", ".")
    git(origin, "commit", "-q", "-m", "The release that is running")
    git(tmp_path, "clone", "-q", str(origin), str(tmp_path / "srv"))
    for name in ("make", "systemctl"):
        write_stand_in(tmp_path / "stand-ins" / name, name)
    return tmp_path / "srv"


def update(site: Path, *args: str, fail: str = "") -> tuple[subprocess.CompletedProcess, list[str]]:
    log = site.parent / "calls.log"
    log.write_text("")
    env = {
        **git_env(),
        "PATH": f"{site.parent / 'stand-ins'}:{os.environ['PATH']}",
        "UPDATE_LOG": str(log),
        "FAIL": fail,
    }
    result = subprocess.run(
        [str(site / "deploy" / "update"), *args],
        cwd="/",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result, log.read_text().splitlines()


def test_an_update_installs_the_new_commit_then_restarts_both_services_and_waits_for_healthz(site):
    new = commit(site.parent / "origin", "new-template.html", "<p>New</p>")

    result, calls = update(site)

    assert result.returncode == 0, result.stderr
    assert git(site, "rev-parse", "HEAD") == new
    assert (site / "new-template.html").exists()
    assert calls == INSTALL_STEPS + RESTART_STEPS
    assert f"serving {new[:7]}" in result.stdout


def test_an_update_to_a_given_tag_checks_that_release_out(site):
    origin = site.parent / "origin"
    tagged = commit(origin, "release-2.txt", "2")
    git(origin, "tag", "v2")
    commit(origin, "unreleased.txt", "not yet")

    result, calls = update(site, "v2")

    assert result.returncode == 0, result.stderr
    assert git(site, "rev-parse", "HEAD") == tagged
    assert not (site / "unreleased.txt").exists()
    assert calls == INSTALL_STEPS + RESTART_STEPS


@pytest.mark.parametrize("failing", INSTALL_STEPS)
def test_a_failing_step_stops_the_update_before_anything_is_restarted(site, failing):
    commit(site.parent / "origin", "new-template.html", "<p>New</p>")

    result, calls = update(site, fail=failing)

    assert result.returncode != 0
    assert calls == INSTALL_STEPS[: INSTALL_STEPS.index(failing) + 1]
    assert f"FAILED: {failing}" in result.stderr
    assert "stopped before restarting anything" in result.stderr


def test_a_branch_that_cannot_fast_forward_stops_before_installing(site):
    commit(site.parent / "origin", "upstream.txt", "theirs")
    commit(site, "edited-on-the-server.txt", "ours")

    result, calls = update(site)

    assert result.returncode != 0
    assert calls == []
    assert "FAILED: git pull --ff-only" in result.stderr


def test_a_site_that_does_not_answer_after_the_restart_fails_the_update(site):
    result, calls = update(site, fail="healthcheck")

    assert result.returncode != 0
    assert calls == INSTALL_STEPS + RESTART_STEPS
    assert "does not answer" in result.stderr


def test_the_docs_update_with_the_script_alone_and_never_reload_the_site():
    docs = (ROOT / "docs" / "deploying.md").read_text()
    updating = docs.split("\n## Updating\n")[1].split("\n## ")[0]

    assert re.findall(r"```sh\n(.*?)```", updating, re.DOTALL) == ["deploy/update\n"]
    assert "reload backcare" not in "".join(re.findall(r"```sh\n(.*?)```", docs, re.DOTALL))


def test_the_web_service_takes_the_port_nginx_and_the_health_checks_use_from_its_socket_unit():
    socket_unit = (ROOT / "deploy" / "systemd" / "backcare-web.socket").read_text()
    service = (ROOT / "deploy" / "systemd" / "backcare-web.service").read_text()
    listen = re.search(r"^ListenStream=(.+)$", socket_unit, re.MULTILINE)[1]
    render = (ROOT / "deploy" / "render.py").read_text()

    assert re.search(r"^Requires=backcare-web\.socket$", service, re.MULTILINE)
    assert f'"UPSTREAM": "{listen}"' in render
    assert f"http://{listen}/healthz" in service
    assert f"http://{listen}/healthz" in (ROOT / "deploy" / "update").read_text()
    assert not re.search(r"^ExecReload=", service, re.MULTILINE)  # a HUP would keep the old code
