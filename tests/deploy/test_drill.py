"""The drill: docs/deploying.md followed as the person who runs the server follows it.

One test, in the order an operator lives it: install a server from nothing (a fresh system
user, the environment file from the example with real values, PostgreSQL and Redis with
passwords, ``migrate`` through the documented command, gunicorn and the worker from their
units' ``ExecStart``, nginx with TLS in front); release a new commit (a changed template and
a new migration) through the update procedure while readers keep reading (no failed
request, the new page served at once); a view that raises (one e-mail to the admins);
then a backup, its copy off the machine, and a fresh database restored from that copy with
the same rows. Every command comes from the guide (``drill.Guide``): the drill holds no
copy of them, so the guide cannot drift from what works. The figures are printed and
kept in docs/reliability.md ("The drill").
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.fake_akismet import FakeAkismet
from tests.fake_smtp import FakeSmtp

from . import drill
from .drill_site import (
    FAILING_VIEW,
    RELEASE_MIGRATION,
    RELEASED_SENTENCE,
    Readers,
    first_seen,
    trust,
    user_exists,
    wait_for_port,
    wait_until,
)
from .fake_systemd import Systemd
from .faults import record_figures
from .services import (
    free_port,
    make_certificates,
    nginx_command,
    render,
    require_binary,
    spawn,
    stop,
    wait_for,
)
from .test_backup import WRITTEN_ROWS

pytestmark = pytest.mark.deploy

ROOT = drill.ROOT
USER = "backcare"


def test_the_guide_installs_releases_reports_and_restores_a_server(nginx_readable_folder, capsys):
    if os.geteuid() != 0:
        pytest.fail("the drill installs a server: it needs root (CI runs as root)", pytrace=False)
    require_binary("redis-server", "redis-server")
    guide = drill.Guide.read()
    git = require_binary("git", "git")
    root = nginx_readable_folder("drill")
    figures: dict[str, str] = {}
    ports = {name: free_port() for name in ("app", "https", "http", "redis", "redis_limits")}
    database = f"drill_{secrets.token_hex(3)}"
    database_password = secrets.token_urlsafe(18)
    created_user = False
    servers: list[subprocess.Popen] = []
    granted: list[int] = []  # uids let through /root
    nginx_config: list[Path] = []

    for folder in ("bin", "logs", "offsite", "etc/redis", "etc/nginx/sites-available",
                   "etc/nginx/sites-enabled", "etc/nginx/snippets", "etc/systemd/system",
                   "var/lib/redis", "var/www/letsencrypt", "var/cache/nginx"):  # fmt: skip
        (root / folder).mkdir(parents=True, exist_ok=True)
    # The code a server pulls from: a copy of the commit under test, to which the release is pushed.
    upstream = root / "upstream.git"
    subprocess.run([git, "clone", "-q", "--bare", str(ROOT), str(upstream)], check=True)

    akismet = FakeAkismet().start()
    akismet.answer("valid")  # akismet_verify: the key works
    with FakeSmtp() as smtp:
        env_values = {
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{ports['https']}",
            "BACKCARE_SITE_URL": f"https://127.0.0.1:{ports['https']}",
            "DJANGO_ADMINS": "Drill Owner <owner@example.org>",
            "DATABASE_URL": f"postgresql://{database}:{database_password}@127.0.0.1:5432/{database}",
            "RESTIC_REPOSITORY": str(root / "offsite" / "restic"),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_USE_TLS": "0",
            "PYTHON_AKISMET_API_KEY": "drill-key",
            "PYTHON_AKISMET_BLOG_URL": f"https://127.0.0.1:{ports['https']}",
            "AKISMET_API_URL": f"http://127.0.0.1:{akismet.port}",
            "GUNICORN_BIND": f"127.0.0.1:{ports['app']}",
            "GUNICORN_WORKERS": "2",
            "GUNICORN_THREADS": "2",
        }
        shell_env = {
            "PATH": f"{root / 'bin'}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME": str(root),
            "LANG": "C.UTF-8",
            "DRILL_SYSTEMD_SOCKET": str(root / "systemd.sock"),
            "BACKCARE_ENV_FILE": str(root / "etc/backcare/env"),  # bin/manage's default, moved with /etc
            "BACKCARE_HEALTHZ_URL": f"http://127.0.0.1:{ports['app']}/healthz",  # deploy/update's, likewise
            # Nothing the drill runs may leave loopback.
            "HTTPS_PROXY": "http://127.0.0.1:9",
            "HTTP_PROXY": "http://127.0.0.1:9",
            "NO_PROXY": "127.0.0.1,localhost",
        }
        machine = drill.Machine(
            root, ports["app"], shell_env, redis_ports={6379: ports["redis"], 6380: ports["redis_limits"]}
        )
        systemd = Systemd(
            machine.path("/etc/systemd/system"),
            root / "logs",
            machine.rewrite,
            extra_environment={key: shell_env[key] for key in ("HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY")},
        )
        control = systemd.serve(root / "systemd.sock")
        tools = root / "bin"
        for name in ("systemctl", "systemd-run"):  # one client; it asks for what it is named
            shutil.copy(ROOT / "tests/deploy/systemctl.py", tools / name)
        drill.write_tool(tools, "editor", drill.editor_script(env_values, machine.replacements()))
        # The virtualenv and npm packages are the tests' own (linked by the clone stand-in): tell make.
        # The operator's shell has no BACKCARE_ENV_FILE (bin/manage sets it): nor has make's.
        drill.write_tool(
            tools, "make",
            "#!/bin/sh\nexec env -u BACKCARE_ENV_FILE /usr/bin/make --assume-old=.venv/.installed --assume-old=node_modules/.installed \"$@\"\n",
        )  # fmt: skip

        def check_packages(command, match):
            wanted = {"nginx": "nginx", "redis-server": "redis-server", "postgresql": "pg_dump",
                      "python3-venv": "python3", "gettext": "msgfmt", "openssl": "openssl", "certbot": None}  # fmt: skip
            for package in command.bare.split()[2:]:
                assert package in wanted, f"the drill does not know how to check the package {package}"
                if wanted[package]:
                    require_binary(wanted[package], package)

        def start_redis(command, match):
            main = machine.path("/etc/redis/redis.conf")
            main.write_text(
                f'bind 127.0.0.1\nport {ports["redis"]}\ndaemonize no\nsave ""\nappendonly no\n'
                f"dir {root / 'var/lib/redis'}\n"
            )
            machine.shell(machine.rewrite(command.bare.split(" && ")[0]))
            with main.open("a") as settings:  # last word: the drill's free port, not the server's 6379
                settings.write(f"port {ports['redis']}\n")
            servers.append(spawn([require_binary("redis-server", "redis-server"), str(main)],
                                 root / "logs" / "redis.log"))  # fmt: skip
            wait_for_port(ports["redis"], root / "logs" / "redis.log")

        def start_redis_instance(command, match):
            name = match.group(1)
            (root / f"var/lib/redis-{name}").mkdir()
            log = root / "logs" / f"redis-{name}.log"
            servers.append(spawn([require_binary("redis-server", "redis-server"),
                                  str(machine.path(f"/etc/redis/redis-{name}.conf")),
                                  "--port", str(ports["redis_limits"]), "--daemonize", "no",
                                  "--pidfile", "", "--dir", str(root / f"var/lib/redis-{name}")], log))  # fmt: skip
            wait_for_port(ports["redis_limits"], log)

        def clone(command, match):
            # The tests' virtualenv runs pyenv's Python, under /root (0700); a server's runs Debian's.
            # The site user may pass through /root (not list it) while the drill runs.
            python_home = Path((ROOT / ".venv" / "bin" / "python").resolve())
            if python_home.is_relative_to("/root"):
                subprocess.run([require_binary("setfacl", "acl"), "-m", f"u:{USER}:x", "/root"], check=True)
                granted.append(pwd.getpwnam(USER).pw_uid)
            machine.shell(f"git clone -q {upstream} {machine.srv}", cwd=root)
            (machine.srv / ".venv").symlink_to((ROOT / ".venv").resolve())
            (machine.srv / "node_modules").symlink_to((ROOT / "node_modules").resolve())
            machine.shell("make install assets messages")

        def create_database(command, match):
            machine.shell(command.bare.replace("backcare", database), stdin=f"{database_password}\n" * 2,
                          cwd=Path("/"))  # fmt: skip

        def recreate_database(command, match):
            machine.shell(command.bare.replace("backcare", database), cwd=Path("/"))

        def certificate(command, match):
            live = machine.path("/etc/letsencrypt/live/example.org")
            live.mkdir(parents=True)
            make_certificates(
                live, ca_name="BackCare drill CA", key="privkey.pem", certificate="fullchain.pem"
            )

        def render_template(command, match):
            overrides = {
                "UPSTREAM": f"127.0.0.1:{ports['app']}",
                "CACHE_DIR": str(root / "var/cache/nginx/backcare"),
                "LISTEN": f"127.0.0.1:{ports['https']} ssl",
                "SERVER_NAME": "127.0.0.1",
                "TLS": f"include {machine.path('/etc/nginx/snippets/backcare-tls.conf')};",
                "STATIC_ROOT": str(machine.srv / "staticfiles"),
                "MEDIA_ROOT": str(machine.srv / "media"),
                "TLS_CERTIFICATE": str(machine.path("/etc/letsencrypt/live/example.org/fullchain.pem")),
                "TLS_CERTIFICATE_KEY": str(machine.path("/etc/letsencrypt/live/example.org/privkey.pem")),
                "HTTP_LISTEN": f"listen 127.0.0.1:{ports['http']};",
                "HTTP_SERVER_NAMES": "127.0.0.1",
                "ACME_ROOT": str(machine.path("/var/www/letsencrypt")),
                "HTTPS_ORIGIN": f"https://127.0.0.1:{ports['https']}",
            }
            template, operators, target = match.groups()
            machine.shell(
                f"python3 deploy/render.py {template} {drill.shell_quote_overrides(overrides)}{operators}"
                f" > {machine.rewrite(target)}"
            )

        def start_nginx(command, match):
            prefix = root / "nginx"
            prefix.mkdir()
            config = prefix / "nginx.conf"
            config.write_text(render.render(
                (ROOT / "deploy/nginx/standalone.conf").read_text(),
                {**render.standalone_defaults(prefix), "SITE": str(machine.path("/etc/nginx/sites-enabled/*"))},
            ))  # fmt: skip
            nginx_config.append(config)
            reload_nginx(command, match, reload=False)
            process = spawn([*nginx_command(config), "-g", "daemon off;"], prefix / "nginx.log")
            servers.append(process)
            wait_for(f"https://127.0.0.1:{ports['https']}/robots.txt", process, prefix / "error.log",
                     verify=trust(ca))  # fmt: skip

        def reload_nginx(command, match, *, reload=True):
            (config,) = nginx_config
            checked = subprocess.run(nginx_command(config, "-t"), capture_output=True, text=True, check=False)
            assert checked.returncode == 0, f"nginx -t:\n{checked.stderr}"
            if reload:
                subprocess.run(nginx_command(config, "-s", "reload"), capture_output=True, check=True)
                time.sleep(1)  # the old workers finish, the new ones read the new site

        def on_the_server(command, match):
            return machine.shell(machine.rewrite(match.group(1)))

        def restore_newest(command, match):
            newest = max(machine.path("/var/backups/backcare").glob("backcare-*"))
            return machine.shell(f"bin/manage restore {newest}", stdin="yes\n")

        machine.handlers.update(
            check_packages=check_packages, start_redis=start_redis, clone=clone,
            start_redis_instance=start_redis_instance,
            create_database=create_database, recreate_database=recreate_database,
            certificate=certificate, render=render_template, start_nginx=start_nginx,
            on_the_server=on_the_server, restore_newest=restore_newest, reload_nginx=reload_nginx,
        )  # fmt: skip
        ca = machine.path("/etc/letsencrypt/live/example.org/ca.pem")
        site = f"https://127.0.0.1:{ports['https']}"

        try:
            created_user = not user_exists(USER)
            # --- 1. Install, as "On a Debian server, step by step" says.
            started = time.monotonic()
            machine.play_section("On a Debian server, step by step", guide)
            figures["install (clone to nginx serving)"] = f"{time.monotonic() - started:.0f} s"
            home = httpx.get(site + "/", verify=trust(ca), timeout=30)
            assert home.status_code == 200
            assert "BackCare" in home.text
            account = pwd.getpwnam(USER)
            assert account.pw_uid < 1000, "the guide makes a system user"
            assert (machine.srv / "staticfiles").stat().st_uid == account.pw_uid
            migrated = machine.shell("bin/manage showmigrations --plan | grep -c '\\[X\\]'")
            figures["migrations applied at install"] = migrated.strip()

            # --- 1b. The day-to-day commands of the guide, each where it is written.
            health = machine.play_block(guide, "Health", "ssh ")
            report = json.loads(health)
            # Both Redis answer with the password the guide generated: nothing is degraded.
            assert (report["database"], report["cache"], report["counters"]) == ("ok", "ok", "ok"), report
            machine.play_block(guide, "nginx and the two page caches", "bin/manage clear_page_cache")
            pongs = machine.play_block(guide, "Redis", "redis-cli")
            assert pongs.split() == ["PONG", "PONG"], pongs
            bounces = machine.path("/var/mail/backcare-bounces/Maildir")
            for folder in ("cur", "new", "tmp"):  # where fetchmail would deliver the bounce address's mail
                (bounces / folder).mkdir(parents=True)
            machine.shell(f"chown -R {USER}: {bounces.parent}")
            machine.play_block(guide, "Mail that arrives", "bin/manage record_bounces")
            machine.play_block(guide, "Mail that arrives", "bin/manage clear_bounce")
            smtp.messages.clear()
            machine.play_block(guide, "Errors", "bin/manage sendtestemail --admins")
            wait_until(lambda: smtp.messages, "sendtestemail --admins mailed nobody")
            assert "owner@example.org" in str(smtp.messages[0]["To"])
            machine.play_block(guide, "Errors", "systemctl restart backcare-web backcare-worker")
            machine.play_block(
                guide, "The staff door: turn on a second factor for editors", "systemctl restart"
            )
            machine.play_block(guide, "Rate limits", "python3 deploy/render.py")
            site_file = machine.path("/etc/nginx/sites-available/backcare.conf").read_text()
            assert "burst=60" in site_file
            assert httpx.get(site + "/", verify=trust(ca), timeout=30).status_code == 200

            # Someone's words, courses and enquiries, to follow through release and restore.
            machine.shell(
                "bin/manage shell -v0 -c " + drill.shlex.quote(
                    "from classes.models import Enquiry\n"
                    "from tests.classes.factories import CourseFactory, TeacherFactory\n"
                    "from tests.comments.factories import CommentFactory\n"
                    "CommentFactory.create_batch(12)\n"
                    "course = CourseFactory()\n"
                    "Enquiry.objects.create(teacher=TeacherFactory(), course=course, name='Ann',\n"
                    "    email='ann@example.org', message='Is there room on the Tuesday course?')\n"
                )
            )  # fmt: skip
            rows_before = machine.shell("bin/manage shell -v0 -c " + drill.shlex.quote(WRITTEN_ROWS))

            # --- 2. A release, while readers read.
            work = root / "release"
            subprocess.run([git, "clone", "-q", str(upstream), str(work)], check=True)
            home_template = work / "templates" / "home.html"
            text = home_template.read_text()
            assert "{% endblock %}" in text
            head, _, tail = text.rpartition("{% endblock %}")
            home_template.write_text(f"{head}<p>{RELEASED_SENTENCE}</p>\n{{% endblock %}}{tail}")
            migrations = sorted((work / "exercises" / "migrations").glob("0*.py"))
            (work / "exercises" / "migrations" / "0999_drill_release.py").write_text(
                RELEASE_MIGRATION.format(app="exercises", latest=migrations[-1].stem)
            )
            with (work / "backcare" / "urls.py").open("a") as urls:
                urls.write(FAILING_VIEW)
            subprocess.run([git, "-C", str(work), "add", "-A"], check=True)
            subprocess.run([git, "-C", str(work), "-c", "user.name=Drill", "-c", "user.email=drill@example.org",
                            "commit", "-qm", "The drill's release"], check=True)  # fmt: skip
            subprocess.run([git, "-C", str(work), "push", "-q", "origin", "HEAD"], check=True)

            readers = Readers(site, ca)
            reading = threading.Thread(target=readers.run, daemon=True)
            reading.start()
            time.sleep(2)
            started = time.monotonic()
            machine.play_section("Updating", guide)
            figures["update (deploy/update)"] = f"{time.monotonic() - started:.0f} s"
            released_at = time.monotonic()
            direct = httpx.get(f"http://127.0.0.1:{ports['app']}/", headers={"X-Forwarded-Proto": "https"})
            time.sleep(2)
            readers.stopping.set()
            reading.join(60)
            assert readers.failures() == [], readers.failures()[:20]
            during = [a for a in readers.answers if started <= a[0] <= released_at]
            figures["reader requests during the update"] = f"{len(during)}, failed {len(readers.failures())}"
            figures["slowest answer during the update"] = f"{max((a[3] for a in during), default=0):.2f} s"
            assert RELEASED_SENTENCE in direct.text, "the app served the old page after the release"
            seen = first_seen(site, ca, RELEASED_SENTENCE)
            figures["new page through nginx after the update"] = f"{seen:.1f} s (nginx keeps a page ≤ 1 s)"
            applied = machine.shell("bin/manage showmigrations exercises")
            assert "[X] 0999_drill_release" in applied

            # --- 3. A view that raises: one e-mail to the admins.
            smtp.messages.clear()
            failed = httpx.get(site + "/drill-failure/", verify=trust(ca), timeout=30)
            assert failed.status_code == 500
            wait_until(lambda: smtp.messages, "no error mail arrived")
            time.sleep(1)
            errors = [m for m in smtp.messages if "drill-failure" in str(m["Subject"])]
            assert len(errors) == 1, [str(m["Subject"]) for m in smtp.messages]
            assert "owner@example.org" in str(errors[0]["To"])
            assert database_password not in errors[0].as_string()
            figures["error mails for one failing request"] = str(len(errors))

            # --- 4. Backups: a local one, its copy off the machine, a restore from each.
            machine.answers["bin/manage restore"] = "yes\n"  # restore asks before it replaces the database
            machine.play_block(guide, "Backups", "(umask 077")  # restic's password file
            # The other machine: an SFTP account or a bucket the site may write to (here a folder).
            machine.shell(f"chown {USER}: {root / 'offsite'}")
            started = time.monotonic()
            machine.play_block(guide, "Backups", "bin/manage offsite_backup --init")  # and the first backup
            figures["backup and off-machine copy"] = f"{time.monotonic() - started:.0f} s"
            smtp.messages.clear()
            machine.play_block(guide, "Backups", "systemctl start backcare-failure@")
            wait_until(lambda: smtp.messages, "the failure unit mailed nobody")
            assert "owner@example.org" in str(smtp.messages[0]["To"])
            snapshots = machine.play_block(guide, "Backups", "systemd-run --pipe --quiet -p User=backcare")
            assert "1 snapshots" in snapshots, snapshots
            started = time.monotonic()
            machine.play_block(guide, "Backups", "bin/manage restore /var/backups/backcare/")
            figures["restore from the local backup"] = f"{time.monotonic() - started:.0f} s"
            assert machine.shell("bin/manage shell -v0 -c " + drill.shlex.quote(WRITTEN_ROWS)) == rows_before
            shutil.rmtree(machine.path("/var/backups/backcare"))  # the server's disk is lost
            machine.shell(f"install -d -m 0750 -o {USER} -g {USER} {machine.path('/var/backups/backcare')}")
            started = time.monotonic()
            machine.play_block(guide, "Backups", "bin/manage restore --from-offsite")
            figures["restore from the off-machine copy"] = f"{time.monotonic() - started:.0f} s"
            rows_after = machine.shell("bin/manage shell -v0 -c " + drill.shlex.quote(WRITTEN_ROWS))
            assert rows_after == rows_before
            assert httpx.get(site + "/", verify=trust(ca), timeout=30).status_code == 200
            figures["rows restored (comments, courses, enquiries)"] = " / ".join(
                line.split()[1] for line in rows_after.splitlines()
            )
            unplayed = [c.text for c in guide.commands if c not in machine.played and not drill.not_played(c)]
            assert unplayed == [], f"commands in docs/deploying.md the drill did not play: {unplayed}"
        finally:
            systemd.stop_everything()
            control.shutdown()
            control.server_close()
            for process in servers:
                stop(process)
            subprocess.run([require_binary("su", "util-linux"), "postgres", "-c", f"dropdb --if-exists --force {database}; "
                            f"dropuser --if-exists {database}"], capture_output=True, check=False)  # fmt: skip
            for uid in granted:
                subprocess.run([require_binary("setfacl", "acl"), "-x", f"u:{uid}", "/root"], check=False)
            if created_user and user_exists(USER):
                subprocess.run(
                    [require_binary("deluser", "adduser"), "--system", USER], capture_output=True, check=False
                )
            (root / "logs" / "commands.log").write_text("\n".join(machine.log))
            akismet.stop()

    with capsys.disabled():
        record_figures("drill", [f"{name}: {value}" for name, value in figures.items()])


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-m", "deploy", "-s"]))
