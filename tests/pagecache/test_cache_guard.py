"""With the shared cache down or hung, every page still answers, nothing anyone writes is lost,
flood control and the enquiry rate limit still hold (from the database), and no page cached
before a change made during the outage is served once the cache is back."""

import logging
import socket
from collections.abc import Iterator
from datetime import timedelta
from io import StringIO

import pytest
import redis
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from classes import alerts
from classes.models import Enquiry
from comments.models import Comment
from exercises.models import Exercise
from operations import health
from pagecache.guard import guard, guarded
from pagecache.invalidation import reconciler
from pagecache.models import CountedLimit, MissedPageInvalidation
from tests.classes.factories import TeacherFactory
from tests.comments.conftest import comment_data
from tests.comments.factories import CommentFactory
from tests.factories import ExerciseFactory

pytestmark = pytest.mark.django_db

FAILING = ("get", "get_many", "set", "add", "incr", "delete", "set_many")


def refuse_like_a_stopped_redis(*args, **kwargs):
    """What the production backend (ResilientRedisCache) does when redis-py cannot connect."""

    def connect():
        raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    return guarded("the shared cache", connect)


@pytest.fixture
def cache_down(monkeypatch) -> Iterator[None]:
    """Every cache call fails as in production when Redis is stopped; undo() brings it back with its data."""
    for name in FAILING:
        monkeypatch.setattr(LocMemCache, name, refuse_like_a_stopped_redis)
    yield
    monkeypatch.undo()


def bring_cache_back(monkeypatch) -> None:
    monkeypatch.undo()
    guard._open_until = 0.0  # as if the breaker's pause (CACHE_RETRY_SECONDS) had passed


@pytest.fixture
def exercise():
    return ExerciseFactory(title="Knee walking", slug="knee-walking")


@pytest.fixture
def real_redis_client_settings(settings):
    """A real RedisCache with the production timeouts; the test points it at a dead or hung server."""

    def point_at(port: int) -> None:
        server = {
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {
                "socket_connect_timeout": settings.REDIS_TIMEOUT,
                "socket_timeout": settings.REDIS_TIMEOUT,
            },
        }
        settings.CACHES = {
            **settings.CACHES,
            "default": {
                **server,
                "BACKEND": "pagecache.guard.RedisWithDatabaseFallback",
                "FALLBACK": "counts",
            },
            "pages": {**server, "BACKEND": "pagecache.guard.ResilientRedisCache"},
        }

    return point_at


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- Pages ---------------------------------------------------------------------


def test_pages_render_when_redis_refuses_connections(client, exercise, real_redis_client_settings):
    real_redis_client_settings(closed_port())
    # /admin/login/ hands over to the staff door (allauth), which must render too.
    for url in ("/", "/exercises/", exercise.get_absolute_url(), "/admin/login/"):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
    assert Client().get(exercise.get_absolute_url())["X-Page-Cache"] == "unavailable"


def test_pages_render_when_redis_accepts_connections_but_never_answers(
    client, exercise, real_redis_client_settings
):
    with socket.socket() as hung:  # listens, never accepts: the kernel's backlog takes the connection
        hung.bind(("127.0.0.1", 0))
        hung.listen(16)
        real_redis_client_settings(hung.getsockname()[1])
        response = client.get(exercise.get_absolute_url())
    assert response.status_code == 200
    assert "Knee walking" in response.content.decode()


def test_a_page_rendered_during_an_outage_is_still_public_with_validators(client, exercise, cache_down):
    response = client.get(exercise.get_absolute_url())
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert response["ETag"]


def test_saving_content_succeeds_while_the_cache_is_down(exercise, cache_down, committed):
    with committed():
        exercise.title = "Knee walking, saved during the outage"
        exercise.save()
    assert Exercise.objects.get(pk=exercise.pk).title == "Knee walking, saved during the outage"
    assert MissedPageInvalidation.objects.exists()


def test_a_change_made_during_the_outage_is_shown_once_the_cache_is_back(
    client, exercise, cache_down, monkeypatch, settings, committed
):
    monkeypatch.undo()
    client.get(exercise.get_absolute_url())
    assert client.get(exercise.get_absolute_url())["X-Page-Cache"] == "hit"

    for name in FAILING:  # Redis goes away, keeping the page it holds
        monkeypatch.setattr(LocMemCache, name, refuse_like_a_stopped_redis)
    with committed():
        exercise.title = "Knee walking, edited while Redis was down"
        exercise.save()

    bring_cache_back(monkeypatch)
    page = client.get(exercise.get_absolute_url())
    assert "edited while Redis was down" in page.content.decode()
    assert page["X-Page-Cache"] == "miss"
    assert not MissedPageInvalidation.objects.exists()


def test_a_process_that_saw_no_outage_still_drops_pages_older_than_a_missed_change(
    client, exercise, settings
):
    """Another app server saved the change while Redis was unreachable from it; this one never noticed."""
    client.get(exercise.get_absolute_url())
    Exercise.objects.filter(pk=exercise.pk).update(title="Knee walking, changed on the other server")
    MissedPageInvalidation.objects.create()  # what the other server wrote instead of the bump
    settings.PAGE_CACHE_RECONCILE_SECONDS = 10
    reconciler.next_check = 0  # its periodic look is due

    assert "changed on the other server" in client.get(exercise.get_absolute_url()).content.decode()
    assert not MissedPageInvalidation.objects.exists()


def test_a_page_read_just_as_another_server_applies_the_missed_changes_is_not_served(
    client, exercise, settings, monkeypatch
):
    """Two servers reach Redis again at once: the other bumps and clears the rows while this one looks."""
    from pagecache.keys import GENERATION_KEY, fresh_generation

    client.get(exercise.get_absolute_url())
    Exercise.objects.filter(pk=exercise.pk).update(title="Knee walking, changed while Redis was down")
    MissedPageInvalidation.objects.create()
    run = reconciler.run

    def the_other_server_gets_there_first():
        cache.set(GENERATION_KEY, fresh_generation(), timeout=None)
        MissedPageInvalidation.objects.all().delete()
        return run()

    monkeypatch.setattr(reconciler, "run", the_other_server_gets_there_first)
    settings.PAGE_CACHE_RECONCILE_SECONDS = 10
    reconciler.next_check = 0
    page = client.get(exercise.get_absolute_url())
    assert "changed while Redis was down" in page.content.decode()


def test_a_cached_page_costs_no_query_while_no_missed_change_is_due(
    client, exercise, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_RECONCILE_SECONDS = 10
    client.get(exercise.get_absolute_url())
    reconciler.reset()
    with django_assert_num_queries(0):
        assert client.get(exercise.get_absolute_url())["X-Page-Cache"] == "hit"


def test_the_outage_is_logged_once_not_on_every_request(client, exercise, cache_down, caplog):
    with caplog.at_level(logging.WARNING, logger="pagecache.guard"):
        for _ in range(5):
            guard._open_until = 0  # as if each request came after the breaker closed
            assert client.get(exercise.get_absolute_url()).status_code == 200
    cache_warnings = [r for r in caplog.records if "shared cache is unavailable" in r.getMessage()]
    assert len(cache_warnings) == 1


def test_after_a_failure_the_cache_is_left_alone_for_a_moment(client, exercise, cache_down):
    client.get(exercise.get_absolute_url())
    failures = guard.failures
    for _ in range(3):
        client.get(exercise.get_absolute_url())
    assert guard.failures == failures  # skipped, not retried and timed out each time


# --- Comments --------------------------------------------------------------------


def comment_post(exercise, client=None, *, remote_addr="203.0.113.9", **fields):
    return (client or Client()).post(
        reverse("comments:post"),
        comment_data(exercise, **fields),
        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
        REMOTE_ADDR=remote_addr,
    )


def test_a_comment_posted_while_the_cache_is_down_is_saved(client, exercise, cache_down):
    response = comment_post(exercise, client)
    assert response.status_code == 302
    assert Comment.objects.get().text == "Does knee walking help with sciatica too?"


def test_flood_control_still_holds_from_the_database_while_the_cache_is_down(client, exercise, cache_down):
    assert comment_post(exercise, client).status_code == 302
    second = comment_post(exercise, text="And again, at once.")
    assert second.status_code == 429
    assert "And again, at once." in second.content.decode()
    assert Comment.objects.count() == 1


def test_flood_control_from_the_database_lets_someone_else_post(client, exercise, cache_down):
    assert comment_post(exercise, client).status_code == 302
    other = comment_post(exercise, email="bea@example.org", remote_addr="198.51.100.4")
    assert other.status_code == 302


def test_flood_control_from_the_database_forgets_old_comments(client, exercise, cache_down):
    from datetime import timedelta

    from django.utils import timezone

    CommentFactory(on=exercise, email="ann@example.org", submitted_at=timezone.now() - timedelta(minutes=5))
    assert comment_post(exercise, client).status_code == 302


def test_flood_control_from_the_database_counts_one_ipv6_slash_64_as_one_visitor(exercise, cache_down):
    statuses = [
        comment_post(
            exercise,
            email=f"reader{n}@example.org",
            text=f"Question {n}",
            remote_addr=f"2001:db8:ab:cd::{n + 1}",
        ).status_code
        for n in range(4)
    ]
    assert statuses == [302, 429, 429, 429]
    assert Comment.objects.count() == 1
    other_network = comment_post(exercise, email="bea@example.org", remote_addr="2001:db8:ab:ce::1")
    assert other_network.status_code == 302


# --- Enquiries -------------------------------------------------------------------


def send_enquiry(teacher, n: int, *, remote_addr: str = "203.0.113.9"):
    client = Client()
    url = reverse("classes:enquiry", args=[teacher.slug])
    form = client.get(url)
    return client.post(
        url,
        {
            "name": "Ann",
            "email": "ann@example.org",
            "message": f"Is there room on Tuesdays? ({n})",
            "csrfmiddlewaretoken": form.context["csrf_token"],
        },
        REMOTE_ADDR=remote_addr,
    )


def test_the_enquiry_rate_limit_still_holds_from_the_database_while_the_cache_is_down(settings, cache_down):
    settings.CLASSES_ENQUIRY_RATE_LIMIT = 2
    teacher = TeacherFactory()
    assert [send_enquiry(teacher, n).status_code for n in range(3)] == [302, 302, 429]
    assert Enquiry.objects.count() == 2


def test_the_enquiry_limit_from_the_database_counts_one_ipv6_slash_64_as_one_sender(settings, cache_down):
    settings.CLASSES_ENQUIRY_RATE_LIMIT = 2
    teacher = TeacherFactory()
    statuses = [
        send_enquiry(teacher, n, remote_addr=f"2001:db8:ab:cd::{n + 1}").status_code for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert send_enquiry(teacher, 4, remote_addr="2001:db8:ab:ce::1").status_code == 302


def sign_up_for_alerts(n: int, *, remote_addr: str = "203.0.113.9", email: str = "", about: str = "any"):
    return Client().post(
        reverse("classes:alert_signup"),
        {"email": email or f"reader{n}@example.org", "about": about},
        REMOTE_ADDR=remote_addr,
    )


def test_course_alert_sign_ups_still_work_and_stay_limited_while_the_cache_is_down(
    settings, cache_down, mailoutbox, django_capture_on_commit_callbacks
):
    from classes.models import AlertSubscription

    settings.CLASSES_ALERT_RATE_LIMIT = 2
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [sign_up_for_alerts(n).status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    assert AlertSubscription.objects.count() == 2
    assert len(mailoutbox) == 2  # the confirmation e-mails still go out


def test_course_alert_sign_ups_from_one_ipv6_slash_64_share_one_allowance_while_the_cache_is_down(
    settings, cache_down, django_capture_on_commit_callbacks
):
    from classes.models import AlertSubscription

    settings.CLASSES_ALERT_RATE_LIMIT = 2
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [sign_up_for_alerts(n, remote_addr=f"2001:db8:1:2::{n + 1}").status_code for n in range(3)]
        other_network = sign_up_for_alerts(9, remote_addr="2001:db8:1:3::1").status_code
    assert statuses == [302, 302, 429]
    assert other_network == 302
    assert AlertSubscription.objects.count() == 3


def test_repeating_a_course_alert_sign_up_while_the_cache_is_down_sends_one_confirmation(
    settings, cache_down, mailoutbox, django_capture_on_commit_callbacks
):
    """The database counts the e-mails sent, not the sign-ups made: repeats update one row."""
    settings.CLASSES_ALERT_RATE_LIMIT = 100
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [
            sign_up_for_alerts(n, email="victim@example.org", remote_addr=f"198.51.100.{n + 1}").status_code
            for n in range(10)
        ]
    assert statuses == [302] * 10
    assert [message.to for message in mailoutbox] == [["victim@example.org"]]


def test_one_inbox_gets_at_most_its_daily_confirmations_while_the_cache_is_down(
    settings, cache_down, mailoutbox, django_capture_on_commit_callbacks
):
    settings.CLASSES_ALERT_RATE_LIMIT = 100
    TeacherFactory(slug="gwen")
    choices = ["any", "teacher:gwen", "town:online", "town:Aberystwyth", "town:Bangor"]
    with django_capture_on_commit_callbacks(execute=True):
        for n, about in enumerate(choices * 2):
            sign_up_for_alerts(n, email="victim@example.org", about=about)
    assert len(mailoutbox) == alerts.CONFIRMATIONS_PER_EMAIL == 3


# --- Signing in and up (allauth) ---------------------------------------------------

LOCKED = "Too many failed sign-in attempts"


@pytest.fixture
def redis_refuses(fast_passwords, real_redis_client_settings) -> None:
    """Both Redis stores refuse connections, as when they are stopped; passwords hash fast."""
    real_redis_client_settings(closed_port())


def sign_in(client: Client, login: str, password: str) -> str:
    response = client.post(
        "/accounts/login/", {"login": login, "password": password}, REMOTE_ADDR="192.0.2.7"
    )
    assert response.status_code in (200, 302)
    return response.content.decode()


def test_wrong_passwords_are_still_refused_by_the_limit_while_redis_is_down(client, redis_refuses):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("gwen", "gwen@example.org", "right-password-123")
    answers = [sign_in(client, "gwen", f"guess-{n}") for n in range(6)]
    assert [LOCKED in answer for answer in answers] == [False] * 5 + [True]
    assert LOCKED in sign_in(client, "gwen", "right-password-123")
    assert "_auth_user_id" not in client.session


def test_the_right_password_signs_in_while_redis_is_down(client, redis_refuses):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("gwen", "gwen@example.org", "right-password-123")
    sign_in(client, "gwen", "right-password-123")
    assert client.session["_auth_user_id"]


def test_readers_sign_up_and_sign_in_with_an_emailed_code_while_redis_is_down(
    client, redis_refuses, mailoutbox
):
    import re

    response = client.post(
        reverse("account_signup"), {"email": "new@example.org", "password1": "a-long-new-password-9"}
    )
    assert response.status_code == 302
    client.logout()
    response = client.post(reverse("account_request_login_code"), {"email": "new@example.org"})
    assert response.status_code == 302
    code = re.search(r"browser window\.\s+(\S+)\s", mailoutbox[-1].body).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_a_password_reset_is_sent_while_redis_is_down(client, redis_refuses, mailoutbox):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("gwen", "gwen@example.org", "right-password-123")
    response = client.post(reverse("account_reset_password"), {"email": "gwen@example.org"})
    assert response.status_code == 302
    assert mailoutbox[-1].to == ["gwen@example.org"]


def test_a_page_redis_fault_leaves_the_counters_redis_in_use(client, exercise, settings):
    from pagecache.guard import counters_guard

    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "pagecache.guard.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        },
    }
    assert client.get(exercise.get_absolute_url())["X-Page-Cache"] == "unavailable"
    assert guard.is_open()
    assert not counters_guard.is_open()


# --- Health ----------------------------------------------------------------------


def test_health_says_the_cache_is_unavailable_and_still_answers_200(client, cache_down):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["cache"] == "unavailable"
    assert response.json()["status"] == "degraded"


def test_flood_control_still_holds_after_redis_restarted_empty(client, exercise):
    from django.core.cache import cache

    assert comment_post(exercise).status_code == 302
    cache.clear()  # a restart without persistence, or the slot evicted
    assert comment_post(exercise, text="Straight after.").status_code == 429


def test_the_enquiry_rate_limit_still_holds_after_redis_restarted_empty(settings):
    from django.core.cache import cache

    settings.CLASSES_ENQUIRY_RATE_LIMIT = 1
    teacher = TeacherFactory()
    assert send_enquiry(teacher, 1).status_code == 302
    cache.clear()
    assert send_enquiry(teacher, 2).status_code == 429


@pytest.mark.django_db
def test_the_daily_purge_deletes_expired_counts_kept_in_the_database_and_keeps_live_ones():
    counts = caches["counts"]
    counts.set("rl:login_failed:ip:203.0.113.9", 3, timeout=1)
    counts.set("rl:login_failed:ip:198.51.100.4", 2, timeout=900)
    CountedLimit.objects.filter(cache_key__contains="203.0.113.9").update(
        expires=timezone.now() - timedelta(seconds=1)
    )

    call_command("purge_counted_limits", stdout=StringIO())

    assert [row.cache_key for row in CountedLimit.objects.all()] == [
        counts.make_key("rl:login_failed:ip:198.51.100.4")
    ]


def test_health_says_the_limits_are_counted_in_the_database_while_their_redis_is_down(
    client, real_redis_client_settings
):
    real_redis_client_settings(closed_port())

    response = client.get("/healthz")

    assert response.status_code == 200  # the site serves: sign-in and the forms count in the database
    assert response.json()["counters"] == "database"
    assert response.json()["status"] == "degraded"
    assert any("counted in the database" in warning for warning in health.check().warnings())
