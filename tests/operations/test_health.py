"""/healthz: what works and what is degraded, never cached, no secrets; 503 only without a database."""

from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from comments import tasks
from comments.models import Comment
from operations import health
from tests.comments.factories import CommentFactory

pytestmark = pytest.mark.django_db


def test_health_answers_200_with_every_part_reported(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    report = response.json()
    assert report["database"] == "ok"
    assert report["cache"] == "ok"
    assert report["task_queue_depth"] == 0
    assert report["akismet"] == "not-configured"


def test_health_is_never_cached(client):
    response = client.get("/healthz")
    assert response["Cache-Control"] == "no-store"
    assert "X-Page-Cache" not in client.get("/healthz")


def test_health_answers_a_probe_by_ip_over_plain_http_in_production(client, settings):
    settings.ALLOWED_HOSTS = ["backcare.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200


def test_health_shows_no_secret(client, settings):
    settings.SECRET_KEY = "a-very-secret-key-for-this-test-only-0123456789-abcdefghij"
    body = client.get("/healthz").content.decode()
    assert settings.SECRET_KEY not in body
    assert str(settings.DATABASES["default"]["NAME"]) not in body


def test_health_answers_503_only_when_the_database_is_unreachable(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
    assert response.json()["status"] == "down"


def test_health_counts_queued_tasks_and_the_oldest_comment_waiting_for_its_check(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    comment = CommentFactory(status=Comment.Status.PENDING)
    Comment.objects.filter(pk=comment.pk).update(submitted_at=timezone.now() - timedelta(minutes=45))
    tasks.check_comment.enqueue(comment.pk)
    report = client.get("/healthz").json()
    assert report["task_queue_depth"] == 1
    assert report["oldest_unchecked_comment_seconds"] >= 45 * 60


def test_the_admin_banner_tells_the_editor_a_comment_waits_for_its_check(editor_client):
    comment = CommentFactory(status=Comment.Status.PENDING)
    Comment.objects.filter(pk=comment.pk).update(submitted_at=timezone.now() - timedelta(hours=2))
    page = editor_client.get("/admin/").content.decode()
    assert "A comment has been waiting 120 minutes for its spam check." in page


def test_the_admin_banner_says_nothing_about_health_when_all_is_well(editor_client):
    assert health.check().warnings() == []
    assert "site-health" not in editor_client.get("/admin/").content.decode()


def test_a_teacher_is_not_shown_the_sites_health(client):
    from tests.classes.factories import teacher_login

    user, _teacher = teacher_login("gwen")
    client.force_login(user)
    comment = CommentFactory(status=Comment.Status.PENDING)
    Comment.objects.filter(pk=comment.pk).update(submitted_at=timezone.now() - timedelta(hours=2))
    page = client.get("/admin/").content.decode()
    assert "for its spam check" not in page
    assert "site-health" not in page


# --- Who may read the report -------------------------------------------------------


def test_health_is_a_404_page_for_a_visitor_from_outside(client):
    response = client.get("/healthz", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 404
    assert b"akismet" not in response.content
    assert b"task_queue_depth" not in response.content


def test_health_refuses_an_outside_visitor_that_nginx_passed_on_by_mistake(client, settings):
    """Behind nginx every request comes from 127.0.0.1; the visitor is nginx's X-Forwarded-For entry."""
    settings.TRUSTED_PROXIES = 1
    outsider = client.get("/healthz", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    spoofed = client.get("/healthz", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1, 2001:db8::5")
    on_the_server = client.get("/healthz", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert outsider.status_code == 404
    assert spoofed.status_code == 404
    assert on_the_server.json()["database"] == "ok"


def test_health_answers_the_machine_itself_over_ipv6_loopback(client):
    response = client.get("/healthz", REMOTE_ADDR="::1", HTTP_HOST="[::1]:8000")
    assert response.json()["database"] == "ok"


def test_health_answers_a_loopback_request_for_the_sites_own_name(client, settings):
    settings.ALLOWED_HOSTS = ["backcare.example.org"]
    response = client.get("/healthz", HTTP_HOST="backcare.example.org")
    assert response.json()["database"] == "ok"


def test_health_refuses_a_loopback_request_for_a_name_that_is_not_ours(client, settings):
    """A stranger's page whose name resolves to 127.0.0.1 (DNS rebinding) reads nothing."""
    settings.ALLOWED_HOSTS = ["backcare.example.org"]
    response = client.get("/healthz", HTTP_HOST="evil.example")
    assert response.status_code in (400, 404)
    assert b"akismet" not in response.content


# --- /healthz/ready: up or down, for anyone ------------------------------------------


def test_ready_says_ok_to_anyone_and_nothing_more(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/healthz/ready", REMOTE_ADDR="203.0.113.9", HTTP_HOST="lb.example")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Cache-Control"] == "no-store"
    assert "X-Page-Cache" not in client.get("/healthz/ready")


def test_ready_says_unavailable_with_503_when_the_database_is_unreachable(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz/ready", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 503
    assert response.content == b"unavailable\n"
    assert response["Cache-Control"] == "no-store"
