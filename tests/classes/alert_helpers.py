"""What the course-alert tests share: the sign-up POST, the links in its e-mail, a confirmed
subscriber, and a course published with its on-commit alerts run."""

import re
from datetime import timedelta

import akismet
from django.urls import reverse
from django.utils import timezone

from classes.models import AlertSubscription, Course
from tests.classes.factories import VenueFactory, weekly_course

TEST_CONFIG = akismet.Config(key="test-key", url="http://127.0.0.1/")


def sign_up(client, capture, *, email="reader@example.org", about="teacher:gwen", **extra):
    with capture(execute=True):
        return client.post(
            reverse("classes:alert_signup"), {"email": email, "about": about, **extra}, **HEADERS
        )


HEADERS = {"REMOTE_ADDR": "192.0.2.10", "HTTP_USER_AGENT": "Mozilla/5.0 (test)"}


def link_in(message, name: str) -> str:
    match = re.search(r"http://127\.0\.0\.1:8000(/classes/alerts/" + name + r"/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def confirmed(email="reader@example.org", **choice) -> AlertSubscription:
    return AlertSubscription.objects.create(email=email, confirmed_at=timezone.now(), **choice)


def publish(capture, teachers, *, town=None, online=False, language=Course.Language.ENGLISH, **kwargs):
    venue = VenueFactory(town=town or "Aberystwyth", is_online=online)
    with capture(execute=True):
        return weekly_course(
            timezone.localdate() + timedelta(days=14),
            weeks=4,
            teachers=teachers,
            venue=venue,
            language=language,
            **kwargs,
        )
