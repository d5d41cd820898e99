"""A comment describing the warning signs of a back emergency: held for a person, urgent advice first."""

import akismet
import pytest
from django.urls import reverse

from comments import rules
from comments.models import Comment

pytestmark = pytest.mark.django_db


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_a_comment_about_saddle_numbness_sends_the_writer_to_urgent_advice(post_comment, exercise, client):
    response = post_comment(exercise, text="I've lost feeling in my saddle area, should I keep going?")
    assert response.status_code == 302
    assert response.url.startswith(reverse("safety:help_now"))
    advice = client.get(response.url)
    body = advice.content.decode()
    assert "NHS 111 Wales" in body
    assert "999" in body
    assert body.index("Please get medical help now") < body.index("Your message is saved")
    assert Comment.objects.get().get_absolute_url() in body


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_a_comment_with_warning_signs_is_held_with_that_reason_even_when_akismet_calls_it_ham(
    post_comment, exercise, settings
):
    settings.COMMENTS_HOLD_FIRST_TIME = False
    post_comment(exercise, text="Since my fall both legs feel weak and I can't pee")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.held_reason == rules.WARNING_SIGNS


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_an_ordinary_comment_about_stiffness_goes_back_to_the_page(post_comment, exercise, settings):
    settings.COMMENTS_HOLD_FIRST_TIME = False
    response = post_comment(exercise, text="My back is stiff after long train journeys, this helps.")
    assert not response.url.startswith(reverse("safety:help_now"))
    assert Comment.objects.get().held_reason != rules.WARNING_SIGNS


def test_the_advice_page_links_back_only_to_a_page_of_this_site(client):
    response = client.get(reverse("safety:help_now"), {"next": "https://evil.example.org/"})
    assert response.status_code == 200
    assert 'href="https://evil.example.org/"' not in response.content.decode()
    assert "Back to the page you wrote on" not in response.content.decode()
    response = client.get(reverse("safety:help_now"), {"next": "//evil.example.org/"})
    assert 'href="//evil.example.org/"' not in response.content.decode()
    assert "Back to the page you wrote on" not in response.content.decode()
    response = client.get(reverse("safety:help_now"), {"next": "/exercises/knee-walking/#comment-1"})
    assert 'href="/exercises/knee-walking/#comment-1"' in response.content.decode()


WELSH_EMERGENCY = "Dw i wedi colli teimlad rhwng fy nghoesau a dw i'n methu rheoli fy mhledren"


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_a_welsh_comment_describing_an_emergency_sends_the_writer_to_the_welsh_urgent_advice(
    post_comment, exercise, client, settings
):
    settings.COMMENTS_HOLD_FIRST_TIME = False
    response = post_comment(exercise, text=WELSH_EMERGENCY, language="cy")
    assert response.status_code == 302
    assert response.url.startswith("/cy/help-now/")
    comment = Comment.objects.get()
    assert comment.held_reason == rules.WARNING_SIGNS
    body = client.get(response.url).content.decode()
    assert '<html lang="cy"' in body
    assert "GIG 111 Cymru" in body
    assert "999" in body
    assert f'href="/cy/exercises/knee-walking/#comment-{comment.pk}"' in body


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
@pytest.mark.parametrize(
    ("language", "text", "advice"),
    [
        ("en-gb", "I've lost feeling in my saddle area, should I keep going?", "/help-now/"),
        ("cy", WELSH_EMERGENCY, "/cy/help-now/"),
    ],
)
def test_sending_a_warning_sign_comment_again_still_shows_the_urgent_advice(
    post_comment, exercise, language, text, advice
):
    first = post_comment(exercise, text=text, language=language)
    again = post_comment(exercise, text=text, language=language)
    assert again.status_code == 302
    assert again.url.startswith(advice)
    assert Comment.objects.count() == 1
    assert again.url == first.url


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_sending_an_ordinary_comment_again_still_says_it_was_already_sent(post_comment, exercise):
    post_comment(exercise, text="My back is stiff after long train journeys, this helps.")
    again = post_comment(exercise, text="My back is stiff after long train journeys, this helps.")
    assert again.status_code == 200
    assert "You have already sent this comment" in again.content.decode()


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_a_warning_sign_comment_refused_by_flood_control_shows_the_advice_and_keeps_the_text(
    post_comment, exercise
):
    post_comment(exercise, text="Diolch am yr ymarfer!", language="cy")
    response = post_comment(exercise, text=WELSH_EMERGENCY, language="cy")
    assert response.status_code == 429
    body = response.content.decode()
    assert "GIG 111 Cymru" in body
    assert 'class="urgent-advice" role="alert"' in body
    assert "methu rheoli fy mhledren" in body
    assert Comment.objects.count() == 1


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_an_ordinary_comment_refused_by_flood_control_shows_no_urgent_advice(post_comment, exercise):
    post_comment(exercise, text="Thank you for this exercise!")
    response = post_comment(exercise, text="And another question about knees")
    assert response.status_code == 429
    assert "urgent-advice" not in response.content.decode()
