"""Pages gzipped when gunicorn serves alone (backcare/compression.py), never one carrying a secret."""

from __future__ import annotations

import gzip

import httpx
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.urls import reverse

from comments import tokens
from pagecache.wsgi import ServeHitsBeforeDjango
from tests.factories import ExerciseFactory, StepFactory

pytestmark = pytest.mark.django_db

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.fixture
def exercise():
    exercise = ExerciseFactory(title="Knee walking", slug="knee-walking")
    StepFactory(exercise=exercise, text="Keep your feet still. " * 40)
    return exercise


def test_a_public_page_is_sent_gzipped_and_reads_the_same(client, exercise):
    plain = client.get(exercise.get_absolute_url())
    response = client.get(exercise.get_absolute_url(), headers=GZIP)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == plain.content
    assert len(response.content) < len(plain.content) / 2
    assert "Accept-Encoding" in response["Vary"]


def test_a_browser_that_cannot_read_gzip_gets_the_page_plain(client, exercise):
    response = client.get(exercise.get_absolute_url())
    assert "Content-Encoding" not in response
    assert b"Knee walking" in response.content
    assert "Accept-Encoding" in response["Vary"]  # so no cache in between mixes the two


def test_a_page_cache_hit_answered_before_django_is_gzipped_too(client, exercise):
    client.get(exercise.get_absolute_url())  # rendered and stored
    site = httpx.Client(
        transport=httpx.WSGITransport(app=ServeHitsBeforeDjango(WSGIHandler())), base_url="http://testserver"
    )
    response = site.get(exercise.get_absolute_url(), headers={"Accept-Encoding": "gzip"})
    assert response.headers["X-Page-Cache"] == "hit"
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Knee walking" in response.text  # httpx decompressed it


def test_a_revalidation_with_the_compressed_pages_etag_gets_304(client, exercise):
    etag = client.get(exercise.get_absolute_url(), headers=GZIP)["ETag"]
    assert etag.startswith('W/"')  # compressed bytes differ from the plain page's: a weak tag
    response = client.get(exercise.get_absolute_url(), headers={**GZIP, "If-None-Match": etag})
    assert response.status_code == 304
    assert response["ETag"] == etag  # the same name for the same (compressed) page


def test_a_signed_in_visitors_page_is_never_compressed(client, exercise, editor):
    client.force_login(editor)
    response = client.get(exercise.get_absolute_url(), headers=GZIP)
    assert response.status_code == 200
    assert "Content-Encoding" not in response


def test_a_page_with_a_readers_saved_details_is_never_compressed(client, exercise):
    client.cookies[tokens.AUTHOR_COOKIE] = "anything"
    response = client.get(exercise.get_absolute_url(), headers=GZIP)
    assert response.status_code == 200
    assert "Content-Encoding" not in response


def test_a_page_carrying_a_csrf_token_is_never_compressed(client, editor):
    response = client.get(reverse("account_login"), headers=GZIP)
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert "Content-Encoding" not in response


def test_the_answer_to_a_form_post_is_never_compressed(client, exercise):
    token = tokens.issue_form_token(exercise, now=tokens.now_seconds() - 600)
    response = client.post(
        reverse("comments:post"),
        {
            "token": token,
            "text": "",
            "name": "Gwen <b>echoed</b>",
            "email": "not an address",
            "your_phone": "",
        },
        headers={**GZIP, "Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
    )
    assert response.status_code == 200
    assert b"Gwen" in response.content
    assert "Content-Encoding" not in response
