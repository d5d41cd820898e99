"""With the shared cache down, or restarted empty, nothing anyone writes is lost, and flood control,
the enquiry rate limit and the course-alert allowance still hold (from the database)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from classes import alerts
from classes.models import Enquiry
from comments.models import Comment
from operations import health
from pagecache.models import CountedLimit
from tests.classes.factories import TeacherFactory
from tests.comments.conftest import comment_data
from tests.comments.factories import CommentFactory
from tests.factories import ExerciseFactory
from tests.pagecache.guard_helpers import closed_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def exercise():
    """A page with no steps: the cache-guard tests' own, not the folder's."""
    return ExerciseFactory(title="Knee walking", slug="knee-walking")


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
