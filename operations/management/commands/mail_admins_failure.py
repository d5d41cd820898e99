import socket
import subprocess

from django.conf import settings
from django.core.mail import mail_admins
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

STATUS_LINES = 40


def unit_status(unit: str) -> str:
    """``systemctl status`` of ``unit`` with its latest log lines, or why it could not be read."""
    try:
        result = subprocess.run(  # noqa: S603 - fixed program; the unit name is one argument
            ["systemctl", "status", "--no-pager", "--full", f"--lines={STATUS_LINES}", "--", unit],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=30,
            check=False,  # a failed unit's status exits 3: that is what we report
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"systemctl status: {error}"
    return (result.stdout + result.stderr).strip()


class Command(BaseCommand):
    help = (
        "Mail DJANGO_ADMINS that a systemd unit failed, with its status and latest log lines, "
        "through the site's own mail settings (no local mail server needed). "
        "backcare-failure@.service runs it for the units that name it in OnFailure=."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("unit", help="The unit that failed, e.g. backcare-backup.service.")

    def handle(self, *args, **options) -> None:
        unit = options["unit"]
        if not settings.ADMINS:
            raise CommandError(f"DJANGO_ADMINS is empty: nobody can be told that {unit} failed.")
        names = {"unit": unit, "host": socket.gethostname()}
        mail_admins(
            _("%(unit)s failed on %(host)s") % names,
            _("The systemd unit %(unit)s failed on %(host)s at %(time)s. Its status and latest log lines:")
            % (names | {"time": timezone.now().strftime("%Y-%m-%d %H:%M UTC")})
            + "\n\n"
            + unit_status(unit)
            + "\n",
            fail_silently=False,
        )
        self.stdout.write(f"Told {len(settings.ADMINS)} admin(s) that {unit} failed.")
