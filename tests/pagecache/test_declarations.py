"""A page is cached because its view says ``@shared_page``, and retired by the models its app's
``ready()`` names with ``retire_on_change``: no list in the settings to keep in step."""

import pytest
from django.template import Template, TemplateSyntaxError
from django.test import Client

from comments import tokens
from pagecache.checks import check_shared_page_scopes
from pagecache.decorators import declared_page, shared_page
from tests.classes.factories import TeacherFactory
from tests.factories import ExerciseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _declared_urls(settings):
    settings.ROOT_URLCONF = "tests.pagecache.declared_urls"


def test_a_view_that_says_shared_page_is_answered_from_the_cache_on_the_next_visit(client):
    assert client.get("/shared/")["X-Page-Cache"] == "miss"
    assert client.get("/shared/")["X-Page-Cache"] == "hit"
    assert client.get("/shared-class/")["X-Page-Cache"] == "miss"
    assert client.get("/shared-class/")["X-Page-Cache"] == "hit"


def test_a_view_that_says_nothing_is_never_stored(client):
    client.get("/not-shared/")
    response = client.get("/not-shared/")
    assert "X-Page-Cache" not in response
    assert "public" not in response.get("Cache-Control", "")


def test_a_subclass_of_a_shared_view_is_not_cached_unless_it_says_so(client):
    client.get("/subclass/")
    assert "X-Page-Cache" not in client.get("/subclass/")


def test_the_parameters_a_view_declares_are_kept_apart_and_any_other_is_never_stored(client):
    assert client.get("/shared/", {"colour": "red"})["X-Page-Cache"] == "miss"
    assert client.get("/shared/", {"colour": "blue"}).content == b"shared blue"
    assert client.get("/shared/", {"colour": "red"})["X-Page-Cache"] == "hit"
    assert client.get("/shared/", {"size": "2"})["X-Page-Cache"] == "bypass"


def test_saving_a_model_retired_on_change_retires_the_pages_of_its_scope_only(client, committed):
    exercise, teacher = ExerciseFactory(), TeacherFactory()
    for url in ("/shared/", "/shared-class/"):
        client.get(url)
    exercise.title = "Knee walking, revised"
    with committed():
        exercise.save()  # exercises/apps.py: retire_on_change(..., Exercise, ..., scope="exercises")
    assert client.get("/shared/")["X-Page-Cache"] == "miss"
    assert client.get("/shared-class/")["X-Page-Cache"] == "hit"
    teacher.name = "Ceri Jones"
    with committed():
        teacher.save()  # classes/apps.py: retire_on_change(Teacher, ..., scope="classes")
    assert client.get("/shared-class/")["X-Page-Cache"] == "miss"


def test_a_cookie_the_comments_app_declares_personal_sends_the_reader_past_the_cache(settings):
    reader = Client()
    reader.get("/shared/")
    reader.cookies[tokens.AUTHOR_COOKIE] = "signed details"
    response = reader.get("/shared/")
    assert "X-Page-Cache" not in response
    assert "public" not in response.get("Cache-Control", "")


def test_declaring_a_function_of_someone_elses_wraps_it_and_leaves_it_as_it_was():
    def theirs(request):
        return None

    ours = shared_page(scopes=["exercises"])(theirs)
    assert declared_page(ours).scopes == ("exercises",)
    assert declared_page(theirs) is None


def test_every_shared_page_of_the_site_shows_only_scopes_some_model_retires(settings):
    settings.ROOT_URLCONF = "backcare.urls"
    assert check_shared_page_scopes() == []


def test_a_shared_page_naming_a_scope_no_model_retires_fails_the_system_check(settings):
    settings.ROOT_URLCONF = "tests.pagecache.misspelt_urls"
    assert [error.id for error in check_shared_page_scopes()] == ["pagecache.E001"]
    assert "'exercise'" in check_shared_page_scopes()[0].msg


def test_a_fragment_naming_a_scope_no_model_retires_is_refused_when_its_template_is_read():
    with pytest.raises(TemplateSyntaxError, match="exercise"):
        Template('{% load fragments %}{% cachedfragment "box" "exercise" %}x{% endcachedfragment %}')
    assert Template('{% load fragments %}{% cachedfragment "box" "exercises" %}x{% endcachedfragment %}')
