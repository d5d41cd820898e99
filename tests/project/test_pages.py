import pytest
from django.urls import reverse

from tests.factories import ExerciseFactory

pytestmark = pytest.mark.django_db


def test_home_page_introduces_the_site_and_lists_the_latest_exercises(client):
    from tests.factories import ExerciseFactory

    ExerciseFactory(title="Knee walking")
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Gentle exercises for a stiff or sore lower back" in html
    assert "Knee walking" in html
    assert "Not medical advice." in html


def test_unknown_address_gets_the_friendly_not_found_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We can’t find that page" in response.content.decode()


@pytest.mark.parametrize(
    ("handler", "status", "heading"),
    [
        ("bad_request", 400, "Something was wrong with that request"),
        ("permission_denied", 403, "You can’t do that here"),
        ("page_not_found", 404, "We can’t find that page"),
    ],
)
def test_error_pages_explain_what_happened_in_the_sites_style(rf, handler, status, heading):
    from backcare import views

    response = getattr(views, handler)(rf.get("/somewhere/"), Exception("boom"))
    html = response.content.decode()
    assert response.status_code == status
    assert heading in html
    assert "site-header" in html


def test_server_error_page_renders_without_the_request(rf):
    from backcare import views

    response = views.server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Sorry, something went wrong on our side" in response.content.decode()


def test_privacy_page_is_linked_from_every_page(client):
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("privacy")}"' in html


def test_privacy_page_says_how_long_enquiries_are_kept(client, settings):
    settings.CLASSES_ENQUIRY_KEEP_DAYS = 200
    html = client.get(reverse("privacy")).content.decode()
    assert "Messages to teachers" in html
    assert "once delivered: 200 days, then deleted." in html


def test_the_benchmarks_floor_page_does_not_exist_on_a_real_site(client):
    assert client.get("/bench/floor/").status_code == 404


def test_the_benchmarks_bare_page_does_not_exist_on_a_real_site(client, db):
    ExerciseFactory(slug="knee-walking")
    assert client.get("/bench/bare/knee-walking/").status_code == 404


def test_the_benchmarks_bare_page_renders_an_exercise_with_its_comments(rf):
    """bench/run's yardstick for the exercise page (routed only with BACKCARE_BENCH_FLOOR=1)."""
    from backcare import views
    from comments.models import Comment
    from tests.comments.factories import CommentFactory

    exercise = ExerciseFactory(slug="knee-walking", title="Knee walking")
    CommentFactory(on=exercise, text="Does this help with sciatica?")
    assert Comment.objects.approved().count() == 1
    response = views.bare_page(rf.get("/bench/bare/knee-walking/"), "knee-walking")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Knee walking" in html
    assert "Does this help with sciatica?" in html
    assert 'name="text"' in html
