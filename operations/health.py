"""Is the site serving, and what is degraded? For ``/healthz``, systemd, nginx and the admin banner.

``/healthz`` answers before any other middleware (no host check, no HTTPS
redirect, no page cache, no session), so a probe from the machine itself,
by IP address over plain HTTP, reaches it. It shows no secrets: only what
works, counts and ages. It answers 200 whenever the site can serve pages,
including with the cache, the task worker or Akismet down (those degrade one
feature each), and 503 only when the database cannot be reached.

The report is for the machine itself only (``may_see_report``): the visitor's
address must be loopback, read with the site's one rule for it
(``akismet_service.visitors.client_ip``, which trusts only our own proxy's
X-Forwarded-For entry), so a request from outside that nginx passes on by
mistake is still refused. The Host must be a loopback name or one of
``ALLOWED_HOSTS``: a page on another site whose name is made to resolve to
127.0.0.1 (DNS rebinding) would otherwise read it through a browser on the
server. Anyone else gets the site's ordinary 404, as if there were no such page.

``/healthz/ready`` is for a load balancer, and public: "ok" (200) or
"unavailable" (503), one query, never cached, nothing else said.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.http.request import split_domain_port, validate_host
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from akismet_service.visitors import client_ip
from pagecache.guard import CACHE_ERRORS, RedisWithDatabaseFallback, ResilientRedisCache, guard

from . import offsite

HEALTH_PATH = "/healthz"
READY_PATH = "/healthz/ready"
# Names a probe on the machine itself uses (deploy/healthcheck.py asks http://127.0.0.1:8000/healthz).
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
# Older than these, the admin banner says so.
QUEUE_WARNING_AGE = timedelta(minutes=10)
UNCHECKED_WARNING_AGE = timedelta(minutes=30)


@dataclass
class HealthReport:
    database: str = "ok"  # "ok" or "unreachable"
    cache: str = "ok"  # "ok" or "unavailable" (the pages' Redis)
    counters: str = "ok"  # "ok", or "database": the counters' Redis is down or full, limits count there
    cache_failures: int = 0  # in this process since it started
    task_queue_depth: int | None = None  # tasks ready to run
    oldest_queued_task_seconds: int | None = None
    tasks_running: int | None = None
    oldest_unchecked_comment_seconds: int | None = None  # pending, no verdict from Akismet yet
    akismet: str = "ok"  # "ok", "not-configured" or the last check's failure
    offsite_backup: str = "not-configured"  # "ok", "stale", "missing" (never copied) or "not-configured"
    offsite_backup_age_seconds: int | None = None  # since the newest copy off the machine
    problems: list[str] = field(default_factory=list)

    @property
    def is_serving(self) -> bool:
        return self.database == "ok"

    def as_dict(self) -> dict[str, object]:
        return {"status": "ok" if not self.problems else "degraded" if self.is_serving else "down"} | {
            key: value for key, value in asdict(self).items() if key != "problems"
        }

    def warnings(self) -> list[str]:
        """What an editor should know, in words, for the admin banner (Akismet's own are in akismet_service.health)."""
        found = []
        if self.cache != "ok":
            found.append(
                _(
                    "The shared cache for pages (Redis) cannot be reached: pages are rendered for "
                    "every visit. Nothing is lost."
                )
            )
        if self.counters != "ok":
            found.append(
                _(
                    "The shared cache for rate limits (Redis) cannot be reached or is full: sign-in "
                    "and the forms still work, and their limits are counted in the database. "
                    "Nothing is lost."
                )
            )
        if self.oldest_queued_task_seconds is not None and self.oldest_queued_task_seconds > (
            QUEUE_WARNING_AGE.total_seconds()
        ):
            minutes = self.oldest_queued_task_seconds // 60
            found.append(
                ngettext(
                    "%(count)d background task is waiting, for %(age)s: "
                    "is the task worker (manage.py db_worker) running?",
                    "%(count)d background tasks are waiting, the oldest for %(age)s: "
                    "is the task worker (manage.py db_worker) running?",
                    self.task_queue_depth or 0,
                )
                % {
                    "count": self.task_queue_depth,
                    "age": ngettext("%(minutes)d minute", "%(minutes)d minutes", minutes)
                    % {"minutes": minutes},
                }
            )
        if self.oldest_unchecked_comment_seconds is not None and self.oldest_unchecked_comment_seconds > (
            UNCHECKED_WARNING_AGE.total_seconds()
        ):
            minutes = self.oldest_unchecked_comment_seconds // 60
            found.append(
                ngettext(
                    "A comment has been waiting %(minutes)d minute for its spam check.",
                    "A comment has been waiting %(minutes)d minutes for its spam check.",
                    minutes,
                )
                % {"minutes": minutes}
            )
        found.extend(offsite.warnings(self.offsite_backup, self.offsite_backup_age_seconds))
        return found


def _age(moment: datetime | None, now: datetime) -> int | None:
    return None if moment is None else max(0, int((now - moment).total_seconds()))


def check(*, now: datetime | None = None) -> HealthReport:
    """Look at every part the site depends on; never raises."""
    now = now or timezone.now()
    report = HealthReport(cache_failures=guard.failures)
    report.offsite_backup, report.offsite_backup_age_seconds = offsite.state(now=now)
    if report.offsite_backup in ("missing", "stale"):
        report.problems.append("offsite-backup")
    try:
        caches["pages"].get("health:probe")
    except CACHE_ERRORS as error:
        guard.fail("health check", f"{type(error).__name__}: {error}")
        report.cache = "unavailable"
        report.problems.append("cache")
    report.counters = _counters_state()
    if report.counters != "ok":
        report.problems.append("counters")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        _read_queues(report, now)
    except DatabaseError:
        report.database = "unreachable"
        report.problems.append("database")
        return report
    report.akismet = _akismet_state()
    if report.akismet != "ok":
        report.problems.append("akismet")
    return report


def _counters_state() -> str:
    """Whether the counters' Redis takes a write; "database" when the limits are counted there."""
    counters = caches["default"]
    if not isinstance(counters, RedisWithDatabaseFallback):
        return "ok"  # development: local memory
    try:
        # Past the fallback, straight to Redis: a full noeviction Redis refuses the write.
        ResilientRedisCache.set(counters, "health:probe", 1, timeout=10)
    except CACHE_ERRORS:
        return "database"
    return "ok"


def _akismet_state() -> str:
    """ "ok", "not-configured", or the failure of the latest call (akismet_service.health records them)."""
    from akismet_service import api
    from akismet_service import health as akismet_health

    if not api.is_configured():
        return str(api.Failure.NOT_CONFIGURED)
    state = akismet_health.current()
    return state.last_failure if state.is_failing else "ok"


def _read_queues(report: HealthReport, now: datetime) -> None:
    from django_tasks_db.models import DBTaskResult

    from comments.models import Comment

    ready = DBTaskResult.objects.ready()
    report.task_queue_depth = ready.count()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    report.oldest_queued_task_seconds = _age(oldest, now)
    report.tasks_running = DBTaskResult.objects.running().count()
    unchecked = (
        Comment.objects.held()
        .filter(checked_at__isnull=True)
        .order_by("submitted_at")
        .values_list("submitted_at", flat=True)
        .first()
    )
    report.oldest_unchecked_comment_seconds = _age(unchecked, now)
    if report.oldest_queued_task_seconds and report.oldest_queued_task_seconds > (
        QUEUE_WARNING_AGE.total_seconds()
    ):
        report.problems.append("tasks")


def is_loopback(address: str | None) -> bool:
    if address is None:
        return False
    ip = ipaddress.ip_address(address)
    return ip.is_loopback or (ip.version == 6 and ip.ipv4_mapped is not None and ip.ipv4_mapped.is_loopback)


def may_see_report(request: HttpRequest) -> bool:
    """The full report goes to the machine itself only (the module's docstring says why)."""
    if not is_loopback(client_ip(request)):
        return False
    host = request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", "")
    domain, _port = split_domain_port(host)
    return bool(domain) and validate_host(domain, [*LOOPBACK_HOSTS, *settings.ALLOWED_HOSTS])


def is_ready() -> bool:
    """Can pages be served? One query; never raises."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


def respond_ready(request: HttpRequest) -> HttpResponse:
    ready = is_ready()
    response = HttpResponse(
        "ok\n" if ready else "unavailable\n",
        content_type="text/plain; charset=utf-8",
        status=200 if ready else 503,
    )
    response["Cache-Control"] = "no-store"
    return response


def respond(request: HttpRequest) -> HttpResponse:
    report = check()
    response = HttpResponse(
        json.dumps(report.as_dict(), indent=2) + "\n",
        content_type="application/json",
        status=200 if report.is_serving else 503,
    )
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    """Answers ``/healthz`` (to the machine itself) and ``/healthz/ready`` first of all; every
    other request, and ``/healthz`` from anyone else, passes through untouched (to a 404)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method in ("GET", "HEAD"):
            if request.path_info == READY_PATH:
                return respond_ready(request)
            if request.path_info == HEALTH_PATH and may_see_report(request):
                return respond(request)
        return self.get_response(request)
