"""Cache hits answered before Django (pagecache/wsgi.py, in backcare/wsgi.py), what still
works with the cache down, and one cached copy per language's address."""

import pytest
from django.test import Client, RequestFactory

pytestmark = pytest.mark.django_db


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
    # Plain, as the test client asks (httpx asks for gzip, which changes the bytes and the ETag).
    response = before_django.get(exercise.get_absolute_url(), headers={"Accept-Encoding": "identity"})
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
