"""What an attacker might send: script in every field, bad URLs, huge bodies, forged posts."""

import pytest
from django.urls import reverse

from comments.models import Comment
from comments.templatetags.comments import comment_text

from .factories import CommentFactory

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def test_script_in_every_field_is_escaped_on_the_page(client, exercise):
    CommentFactory(on=exercise, name=SCRIPT, text=SCRIPT, url='https://example.org/"onmouseover="alert(3)')
    html = client.get(exercise.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert '"onmouseover="' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_script_in_a_refused_post_is_escaped_when_the_form_is_shown_again(post_comment, exercise):
    response = post_comment(exercise, name=SCRIPT, text=SCRIPT, email="not-an-address")
    html = response.content.decode()
    assert "<script>alert" not in html
    assert 'onerror="alert(2)">' not in html.replace("&quot;", '"').split("<textarea")[0]


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "JaVaScRiPt:alert(1)"]
)
def test_javascript_and_data_urls_are_refused(post_comment, exercise, url):
    post_comment(exercise, url=url)
    assert Comment.objects.count() == 0


def test_a_javascript_url_that_got_into_the_database_is_not_linked(client, exercise):
    CommentFactory(on=exercise, name="Mallory", url="javascript:alert(1)")
    html = client.get(exercise.get_absolute_url()).content.decode()
    assert "javascript:alert" not in html


def test_links_in_comments_are_nofollow_ugc():
    html = comment_text("Read https://example.org/back please")
    assert 'rel="nofollow ugc"' in html


def test_a_typed_rel_attribute_cannot_break_out_of_the_text():
    html = comment_text('rel="nofollow" <a href="https://evil.example">x</a>')
    assert '<a href="https://evil.example">x</a>' not in html
    assert "<p>rel=&quot;nofollow&quot; &lt;a href=&quot;" in html


def test_nul_bytes_are_refused(post_comment, exercise):
    response = post_comment(exercise, text="hello\x00world")
    assert response.status_code == 200
    assert Comment.objects.count() == 0


def test_a_three_megabyte_body_is_refused_and_nothing_stored(client, exercise):
    response = client.post(
        reverse("comments:post"),
        {"text": "a" * 3_000_000, "name": "x", "email": "x@example.org"},
        headers={"Origin": "http://testserver"},
    )
    assert response.status_code in (400, 413)
    assert Comment.objects.count() == 0


def test_a_thousand_and_one_fields_are_refused_and_nothing_stored(client, exercise):
    data = {f"f{i}": "x" for i in range(1001)}
    response = client.post(reverse("comments:post"), data, headers={"Origin": "http://testserver"})
    assert response.status_code == 400
    assert Comment.objects.count() == 0


def test_a_post_from_a_foreign_origin_is_refused(post_comment, exercise):
    response = post_comment(exercise, headers={"Origin": "https://evil.example", "Sec-Fetch-Site": None})
    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_a_cross_site_fetch_is_refused_even_with_a_matching_origin(post_comment, exercise):
    response = post_comment(exercise, headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_a_same_site_subdomain_post_is_refused(post_comment, exercise):
    response = post_comment(exercise, headers={"Sec-Fetch-Site": "same-site"})
    assert response.status_code == 403


def test_a_foreign_referer_is_refused_when_no_other_header_says_where_the_post_came_from(
    post_comment, exercise
):
    response = post_comment(
        exercise, headers={"Origin": None, "Sec-Fetch-Site": None, "Referer": "https://evil.example/page"}
    )
    assert response.status_code == 403


def test_our_own_referer_is_enough_for_an_older_browser(post_comment, exercise):
    response = post_comment(
        exercise, headers={"Origin": None, "Sec-Fetch-Site": None, "Referer": "http://testserver/exercises/"}
    )
    assert response.status_code == 302


def test_a_post_without_a_form_token_is_refused(post_comment, exercise):
    response = post_comment(exercise, token=None)
    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_a_tampered_form_token_is_refused(post_comment, exercise):
    from tests.comments.conftest import old_token

    token = old_token(exercise)
    payload, signature = token.rsplit(":", 1)
    response = post_comment(exercise, token=payload.replace(f":{exercise.pk}:", ":999:") + ":" + signature)
    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_the_refusal_page_does_not_echo_the_posted_text(post_comment, exercise):
    response = post_comment(exercise, token="forged", text="echo-me-please")
    assert "echo-me-please" not in response.content.decode()


def test_a_get_to_the_post_address_is_not_allowed(client):
    assert client.get(reverse("comments:post")).status_code == 405
