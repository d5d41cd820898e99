"""Anonymous pages come from the shared cache, and are fresh again as soon as content changes."""

from datetime import timedelta

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from backcare.security import SECURITY_HEADERS
from comments import lifecycle, verdicts
from exercises.models import Exercise
from tests.classes.factories import weekly_course
from tests.comments.factories import CommentFactory
from tests.factories import ExerciseFactory, StepFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def exercise():
    exercise = ExerciseFactory(title="Knee walking")
    StepFactory(exercise=exercise, text="Keep your feet still.")
    return exercise


def test_anonymous_page_is_public_with_validators_and_sets_no_cookie(client, exercise):
    response = client.get(exercise.get_absolute_url())
    assert "public" in response["Cache-Control"]
    assert "max-age=" in response["Cache-Control"]
    assert response["ETag"]
    assert response["Last-Modified"]
    assert not response.cookies


def test_second_anonymous_visit_is_served_from_the_cache_byte_for_byte(client, exercise):
    first = client.get(exercise.get_absolute_url())
    second = client.get(exercise.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert first.content == second.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["Content-Type"] == "text/html; charset=utf-8"


def test_page_served_from_the_cache_carries_every_security_header_of_a_fresh_one(client, exercise):
    first = client.get(exercise.get_absolute_url())
    second = client.get(exercise.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    for header in SECURITY_HEADERS:
        assert second[header] == first[header], header
    assert "default-src 'none'" in second["Content-Security-Policy"]
    assert second["Cross-Origin-Resource-Policy"] == "same-origin"


def test_cached_page_needs_no_database_query(client, exercise, django_assert_num_queries):
    client.get(exercise.get_absolute_url())
    with django_assert_num_queries(0):
        client.get(exercise.get_absolute_url())


def test_repeated_conditional_get_answers_not_modified(client, exercise):
    etag = client.get(exercise.get_absolute_url())["ETag"]
    response = client.get(exercise.get_absolute_url(), headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""


def test_editing_an_exercise_shows_at_once_to_the_next_anonymous_reader(client, exercise, committed):
    client.get(exercise.get_absolute_url())
    exercise.title = "Knee walking, revised"
    with committed():
        exercise.save()
    assert "Knee walking, revised" in client.get(exercise.get_absolute_url()).content.decode()


def test_editing_a_step_shows_at_once_on_the_list_and_the_page(client, exercise, committed):
    client.get(exercise.get_absolute_url())
    step = exercise.steps.get()
    step.text = "Keep both feet flat."
    with committed():
        step.save()
    assert "Keep both feet flat." in client.get(exercise.get_absolute_url()).content.decode()


def test_signed_in_staff_get_private_pages_that_are_never_stored(editor_client, exercise):
    staff_view = editor_client.get(exercise.get_absolute_url())
    assert "private" in staff_view["Cache-Control"]
    assert "X-Page-Cache" not in staff_view
    assert Client().get(exercise.get_absolute_url())["X-Page-Cache"] == "miss"


def test_a_visitor_with_a_session_bypasses_the_cache_and_gets_a_private_page(client, exercise):
    client.get(exercise.get_absolute_url())
    client.cookies["sessionid"] = "whatever"
    response = client.get(exercise.get_absolute_url())
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]


def test_not_found_pages_are_not_cached(client):
    client.get("/exercises/nothing-here/")
    ExerciseFactory(slug="nothing-here")
    assert client.get("/exercises/nothing-here/").status_code == 200


def test_admin_pages_are_never_cached_publicly(editor_client):
    response = editor_client.get(reverse("admin:index"))
    assert "public" not in response["Cache-Control"]
    assert "X-Page-Cache" not in response


def test_approving_a_comment_shows_it_at_once_to_the_next_anonymous_reader(
    client, exercise, editor, committed
):
    held = CommentFactory(on=exercise, pending=True, text="Does this help sciatica?")
    assert "Does this help sciatica?" not in client.get(exercise.get_absolute_url()).content.decode()
    with committed():
        lifecycle.approve([held], actor=editor)
    assert "Does this help sciatica?" in client.get(exercise.get_absolute_url()).content.decode()


def test_trashing_a_comment_removes_it_at_once_from_the_cached_page(client, exercise, editor, committed):
    comment = CommentFactory(on=exercise, text="Buy cheap mats here")
    assert "Buy cheap mats here" in client.get(exercise.get_absolute_url()).content.decode()
    with committed():
        lifecycle.trash([comment], actor=editor)
    assert "Buy cheap mats here" not in client.get(exercise.get_absolute_url()).content.decode()


def test_moving_a_session_shows_the_new_date_at_once_on_the_course_page(client, committed):
    start = timezone.localdate() + timedelta(days=7)
    course = weekly_course(start, weeks=3)
    session = course.sessions.order_by("date").first()
    client.get(course.get_absolute_url())
    session.date = start + timedelta(days=1)
    with committed():
        session.save()
    html = client.get(course.get_absolute_url()).content.decode()
    assert date_format(session.date, "j F Y") in html
    assert client.get(course.get_absolute_url())["X-Page-Cache"] == "hit"


def test_cancelling_a_session_shows_at_once_in_the_course_calendar(client, committed):
    course = weekly_course(timezone.localdate() + timedelta(days=7), weeks=2)
    client.get(reverse("classes:calendar", args=[course.slug]))
    session = course.sessions.order_by("date").first()
    session.is_cancelled = True
    session.cancellation_reason = "Bank holiday"
    with committed():
        session.save()
    assert "STATUS:CANCELLED" in client.get(reverse("classes:calendar", args=[course.slug])).content.decode()


def test_a_page_outlives_a_lost_generation_counter_without_being_served_stale(client, exercise):
    from django.core.cache import cache

    from pagecache.keys import GENERATION_KEY

    cache.clear()  # the first visit below seeds the counter
    client.get(exercise.get_absolute_url())
    cache.delete(GENERATION_KEY)  # evicted, or flushed on its own
    exercise.title = "Knee walking, after the flush"
    Exercise.objects.filter(pk=exercise.pk).update(title=exercise.title)  # no signal: only the lost counter
    assert "after the flush" in client.get(exercise.get_absolute_url()).content.decode()


# --- Scoped invalidation, after commit ---------------------------------------------


def generations_now() -> dict[str, object]:
    """Every generation counter in the (local-memory) test cache, by key."""
    from django.core.cache import cache

    from pagecache.keys import GENERATION_KEY, PATH_PREFIX, SCOPE_PREFIX

    keys = [key.split(":", 2)[2] for key in cache._cache]  # locmem keys are ":version:key"
    counters = [key for key in keys if key == GENERATION_KEY or key.startswith((SCOPE_PREFIX, PATH_PREFIX))]
    return cache.get_many(counters)


def test_two_hundred_spam_and_pending_posts_retire_no_cached_page(client, exercise, committed, monkeypatch):
    from akismet_service import api
    from comments import tasks
    from comments.models import Comment

    monkeypatch.setattr(tasks, "enqueue_on_commit", lambda *args, **kwargs: None)  # the verdicts come below
    client.get(exercise.get_absolute_url())
    client.get(reverse("home"))
    before = generations_now()
    with committed():
        for number in range(200):
            comment = lifecycle.receive(
                Comment(
                    content_type=CommentFactory.build(on=exercise).content_type,
                    object_id=str(exercise.pk),
                    name=f"Cheap mats {number}",
                    email=f"mats{number}@example.org",
                    text="Buy cheap mats here",
                )
            )
            if number % 2:  # Akismet calls half of them spam; the other half wait for a re-check
                verdict = api.CheckResult(api.Verdict.SPAM)
            else:
                verdict = api.CheckResult(api.Verdict.UNKNOWN, failure=api.Failure.TIMEOUT, detail="slow")
            verdicts.apply_verdict(comment, verdict, now=timezone.now(), recheck=False)
    assert Comment.objects.filter(status=Comment.Status.SPAM).count() == 100
    assert Comment.objects.filter(status=Comment.Status.PENDING, next_check_at__isnull=False).count() == 100
    assert generations_now() == before
    assert client.get(exercise.get_absolute_url())["X-Page-Cache"] == "hit"
    assert client.get(reverse("home"))["X-Page-Cache"] == "hit"


def test_a_verdict_on_an_already_approved_comment_retires_nothing(client, exercise, committed):
    from akismet_service import api

    comment = CommentFactory(on=exercise)
    client.get(exercise.get_absolute_url())
    with committed():
        verdicts.apply_verdict(comment, api.CheckResult(api.Verdict.HAM), now=timezone.now(), recheck=False)
    assert client.get(exercise.get_absolute_url())["X-Page-Cache"] == "hit"


def test_approving_a_comment_on_one_exercise_leaves_another_exercise_cached(
    client, exercise, editor, committed
):
    other = ExerciseFactory(title="Cat and camel")
    held = CommentFactory(on=exercise, pending=True, text="Does this help sciatica?")
    client.get(exercise.get_absolute_url())
    client.get(other.get_absolute_url())
    with committed():
        lifecycle.approve([held], actor=editor)
    assert client.get(other.get_absolute_url())["X-Page-Cache"] == "hit"
    assert client.get(reverse("exercises:list"))["X-Page-Cache"] == "miss"  # never visited: nothing to keep
    refreshed = client.get(exercise.get_absolute_url())
    assert refreshed["X-Page-Cache"] == "miss"
    assert "Does this help sciatica?" in refreshed.content.decode()


def test_editing_a_course_leaves_the_exercise_list_and_privacy_page_cached(client, exercise, committed):
    course = weekly_course(timezone.localdate() + timedelta(days=7), weeks=2)
    for url in (reverse("exercises:list"), reverse("privacy"), course.get_absolute_url(), reverse("home")):
        client.get(url)
    course.title = "Yoga for backs, Tuesdays"
    with committed():
        course.save()
    assert client.get(reverse("exercises:list"))["X-Page-Cache"] == "hit"
    assert client.get(reverse("privacy"))["X-Page-Cache"] == "hit"
    assert "Yoga for backs, Tuesdays" in client.get(course.get_absolute_url()).content.decode()
    assert client.get(reverse("home"))["X-Page-Cache"] == "miss"  # its upcoming-courses box shows it


def test_a_page_stored_while_a_change_is_uncommitted_is_not_served_after_the_commit(
    client, exercise, editor, committed
):
    held = CommentFactory(on=exercise, pending=True, text="Does this help sciatica?")
    with committed():
        lifecycle.approve([held], actor=editor)
        # A reader arrives before the commit: nothing is retired yet, so a page
        # rendered now (from the rows as they were, on another connection) is
        # stored under the numbers that the commit is about to retire.
        assert client.get(exercise.get_absolute_url())["X-Page-Cache"] == "miss"
        assert client.get(exercise.get_absolute_url())["X-Page-Cache"] == "hit"
    assert client.get(exercise.get_absolute_url())["X-Page-Cache"] == "miss"


# --- Keys: parameters the view reads, and the host ---------------------------------


def test_query_parameters_a_page_does_not_read_are_answered_but_never_stored(client, exercise):
    for number in range(1, 51):
        response = client.get(exercise.get_absolute_url(), {"x": number})
        assert response.status_code == 200
        assert response["X-Page-Cache"] == "bypass"
    assert client.get(exercise.get_absolute_url(), {"x": 1})["X-Page-Cache"] == "bypass"
    assert generations_now()  # the counters exist…
    from django.core.cache import cache

    from pagecache.keys import PAGE_PREFIX

    assert not [key for key in cache._cache if PAGE_PREFIX in key]  # …but no page was stored


def test_the_parameters_a_page_reads_share_one_entry_whatever_their_order(client, exercise):
    first = client.get(f"{reverse('exercises:list')}?q=knee&page=1")
    second = client.get(f"{reverse('exercises:list')}?page=1&q=knee")
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert client.get(f"{reverse('exercises:list')}?q=cat")["X-Page-Cache"] == "miss"


def test_each_allowed_host_gets_robots_txt_with_its_own_sitemap_address(client, settings):
    settings.ALLOWED_HOSTS = ["backcare.example.org", "www.backcare.example.org"]
    client.get("/robots.txt", headers={"Host": "backcare.example.org"})
    other = client.get("/robots.txt", headers={"Host": "www.backcare.example.org"})
    assert "Sitemap: http://www.backcare.example.org/sitemap.xml" in other.content.decode()
    assert other["X-Page-Cache"] == "miss"


def test_a_host_that_is_not_allowed_is_refused_even_for_a_cached_page(client, settings):
    settings.ALLOWED_HOSTS = ["backcare.example.org"]
    assert client.get("/robots.txt", headers={"Host": "backcare.example.org"})["X-Page-Cache"] == "miss"
    assert client.get("/robots.txt", headers={"Host": "evil.example.net"}).status_code == 400


def test_cached_pages_expire(client, exercise, settings):
    from django.core.cache import cache

    from pagecache.keys import PAGE_PREFIX

    client.get(exercise.get_absolute_url())
    key = next(key for key in cache._cache if PAGE_PREFIX in key)
    assert cache._expire_info[key] is not None


# --- Hits answered before Django (pagecache/wsgi.py, in backcare/wsgi.py) ----------------------------------


class DjangoStandIn:
    """Stands in for Django behind the WSGI layer: counts what reaches it."""

    def __init__(self):
        self.requests = []

    def __call__(self, environ, start_response):
        self.requests.append((environ["REQUEST_METHOD"], environ["PATH_INFO"]))
        start_response("200 OK", [("Content-Type", "text/plain"), ("X-From", "django")])
        return [b"rendered by Django"]


@pytest.fixture
def before_django():
    """An HTTP client for the WSGI layer, with the stand-in for Django behind it."""
    import httpx

    from pagecache.wsgi import ServeHitsBeforeDjango

    django = DjangoStandIn()
    layer = httpx.Client(
        transport=httpx.WSGITransport(app=ServeHitsBeforeDjango(django)), base_url="http://testserver"
    )
    layer.django = django
    return layer


def test_a_cached_page_is_answered_before_django_with_the_same_bytes_and_headers(
    client, exercise, before_django
):
    client.get(exercise.get_absolute_url())
    through_django = client.get(exercise.get_absolute_url())
    response = before_django.get(exercise.get_absolute_url())
    assert before_django.django.requests == []
    assert response.status_code == 200
    assert response.content == through_django.content
    for header in (
        "Content-Type",
        "Content-Security-Policy",
        "Cache-Control",
        "ETag",
        "Last-Modified",
        "Vary",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "Cross-Origin-Resource-Policy",
        "Permissions-Policy",
        "X-Page-Cache",
    ):
        assert response.headers.get(header) == through_django.get(header), header


def test_a_revalidation_of_a_cached_page_gets_304_before_django(client, exercise, before_django):
    etag = client.get(exercise.get_absolute_url())["ETag"]
    response = before_django.get(exercise.get_absolute_url(), headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert before_django.django.requests == []


def test_a_visitor_with_a_personal_cookie_is_sent_on_to_django(client, exercise, before_django):
    client.get(exercise.get_absolute_url())
    before_django.cookies.set("sessionid", "whatever")
    assert before_django.get(exercise.get_absolute_url()).headers["X-From"] == "django"


def test_a_host_that_is_not_allowed_is_sent_on_to_django_to_refuse(client, exercise, before_django, settings):
    client.get(exercise.get_absolute_url())
    settings.ALLOWED_HOSTS = ["backcare.example.org"]
    assert before_django.get(exercise.get_absolute_url()).headers["X-From"] == "django"


def test_posts_misses_and_unread_parameters_are_sent_on_to_django(client, exercise, before_django):
    url = exercise.get_absolute_url()
    before_django.get(url)  # not cached yet
    client.get(url)
    before_django.post(url, data={"text": "hello"})
    before_django.get(url, params={"utm_source": "newsletter"})
    before_django.get("/static/css/site.css")
    assert before_django.django.requests == [
        ("GET", url),
        ("POST", url),
        ("GET", url),
        ("GET", "/static/css/site.css"),
    ]


def test_the_site_wsgi_application_serves_hits_before_django():
    from backcare import wsgi
    from pagecache.wsgi import ServeHitsBeforeDjango

    assert isinstance(wsgi.application, ServeHitsBeforeDjango)
    assert wsgi.application.django_app is wsgi.django_application


@pytest.fixture
def broken_cache(monkeypatch):
    """The shared cache refuses every call, as Redis does when it is down."""
    from django.core.cache import cache

    def refuse(*args, **kwargs):
        raise ConnectionError("Redis is down")

    for method in ("get", "get_many", "set", "add", "incr"):
        monkeypatch.setattr(cache, method, refuse)


def test_with_the_cache_down_the_layer_before_django_passes_the_request_on(
    exercise, before_django, broken_cache
):
    assert before_django.get(exercise.get_absolute_url()).headers["X-From"] == "django"


def test_with_the_cache_down_the_courses_box_is_still_rendered(broken_cache):
    from pagecache.fragments import cached_fragment

    assert (
        cached_fragment("upcoming-courses-3", ["classes"], lambda: "<p>Tuesday backs</p>")
        == "<p>Tuesday backs</p>"
    )


def test_english_and_welsh_readers_never_get_each_others_page_from_the_cache(exercise):
    exercise.title_cy = "Cerdded y pengliniau"
    exercise.save()
    english_reader = Client(headers={"Accept-Language": "en-GB"})
    welsh_reader = Client(headers={"Accept-Language": "cy"})
    english_url = exercise.get_absolute_url()
    welsh_url = "/cy" + english_url

    # Each reader first reads the other language's address, so the cache is warm with it.
    welsh_reader.get(english_url)
    english_reader.get(welsh_url)
    english = english_reader.get(english_url)
    welsh = welsh_reader.get(welsh_url)

    assert (english["X-Page-Cache"], welsh["X-Page-Cache"]) == ("hit", "hit")
    assert '<html lang="en-GB">' in english.content.decode()
    assert "Knee walking</h1>" in english.content.decode()
    assert '<html lang="cy">' in welsh.content.decode()
    assert "Cerdded y pengliniau</h1>" in welsh.content.decode()
    assert english["Content-Language"] == "en-GB"
    assert welsh["Content-Language"] == "cy"


def test_the_cache_keeps_one_copy_per_address_whatever_the_browsers_language(exercise):
    from pagecache.keys import cached_page

    def key(path, accept):
        return cached_page(RequestFactory().get(path, headers={"Accept-Language": accept})).key

    assert key("/exercises/", "cy") == key("/exercises/", "en-GB")
    assert key("/cy/exercises/", "en-GB") == key("/cy/exercises/", "cy")
    assert key("/exercises/", "en-GB") != key("/cy/exercises/", "en-GB")


def test_a_cached_welsh_page_is_answered_before_django_in_welsh(client, exercise, before_django):
    exercise.title_cy = "Cerdded y pengliniau"
    exercise.save()
    welsh_url = "/cy" + exercise.get_absolute_url()
    client.get(welsh_url)
    response = before_django.get(welsh_url)
    assert before_django.django.requests == []
    assert response.headers["Content-Language"] == "cy"
    assert "Cerdded y pengliniau</h1>" in response.text


# --- Every language's page is retired, whatever language the change was made in ----------


def both_languages(url: str) -> list[str]:
    return [url, "/cy" + url]


@pytest.mark.parametrize("admin_language", ["en-gb", "cy"])
def test_trashing_a_comment_removes_it_at_once_from_the_page_in_both_languages(
    client, exercise, editor, committed, admin_language
):
    comment = CommentFactory(on=exercise, text="Buy cheap mats here")
    for url in both_languages(exercise.get_absolute_url()):
        assert "Buy cheap mats here" in client.get(url).content.decode()
        assert client.get(url)["X-Page-Cache"] == "hit"
    with translation.override(admin_language), committed():
        lifecycle.trash([comment], actor=editor)
    for url in both_languages(exercise.get_absolute_url()):
        assert "Buy cheap mats here" not in client.get(url).content.decode()


def test_a_comment_trashed_from_a_welsh_admin_leaves_both_languages_pages_at_once(
    exercise, editor, committed
):
    from accounts.admin_language import choose_admin_language

    reader = Client()
    comment = CommentFactory(on=exercise, text="Buy cheap mats here")
    for url in both_languages(exercise.get_absolute_url()):
        assert "Buy cheap mats here" in reader.get(url).content.decode()
    choose_admin_language(user=editor, language="cy")
    moderator = Client()
    moderator.force_login(editor)
    with committed():
        answer = moderator.post(
            reverse("admin:comments_comment_changelist"),
            {"action": "trash", "_selected_action": [comment.pk]},
        )
    assert answer.status_code == 302
    assert answer.wsgi_request.LANGUAGE_CODE == "cy"
    for url in both_languages(exercise.get_absolute_url()):
        assert "Buy cheap mats here" not in reader.get(url).content.decode()


@pytest.mark.parametrize("admin_language", ["en-gb", "cy"])
def test_an_exercise_page_rendered_while_its_change_is_uncommitted_is_not_served_in_either_language(
    client, exercise, committed, admin_language
):
    urls = both_languages(exercise.get_absolute_url())
    exercise.title = "Knee walking, slowly"
    with translation.override(admin_language), committed():
        exercise.save()
        # Readers of both languages arrive before the commit and store what they rendered.
        for url in urls:
            assert client.get(url)["X-Page-Cache"] == "miss"
            assert client.get(url)["X-Page-Cache"] == "hit"
    for url in urls:
        assert client.get(url)["X-Page-Cache"] == "miss"


@pytest.mark.parametrize("admin_language", ["en-gb", "cy"])
def test_a_course_page_rendered_while_its_change_is_uncommitted_is_not_served_in_either_language(
    client, committed, admin_language
):
    course = weekly_course(timezone.localdate() + timedelta(days=7), weeks=2, title="Tuesday backs")
    urls = both_languages(course.get_absolute_url())
    course.title = "Wednesday backs"
    with translation.override(admin_language), committed():
        course.save()
        for url in urls:
            assert client.get(url)["X-Page-Cache"] == "miss"
            assert client.get(url)["X-Page-Cache"] == "hit"
    for url in urls:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss"
        assert "Wednesday backs" in response.content.decode()


def test_approving_a_comment_from_a_welsh_admin_shows_it_at_once_on_both_pages(
    client, exercise, editor, committed
):
    held = CommentFactory(on=exercise, pending=True, text="Does this help sciatica?")
    for url in both_languages(exercise.get_absolute_url()):
        assert "Does this help sciatica?" not in client.get(url).content.decode()
    with translation.override("cy"), committed():
        lifecycle.approve([held], actor=editor)
    for url in both_languages(exercise.get_absolute_url()):
        assert "Does this help sciatica?" in client.get(url).content.decode()
