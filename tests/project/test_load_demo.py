"""`make run` loads the demo with `manage.py load_demo`; it must work on any database, any number of times."""

import io

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.core.management import call_command

from classes.models import Course
from comments.models import Comment
from exercises.models import Exercise

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_prints_working_editor_and_teacher_logins():
    output = load_demo()
    assert "Editor login: editor / gentle-back-demo" in output
    assert "Teacher login: teacher / gentle-teacher-demo" in output
    assert authenticate(username="editor", password="gentle-back-demo").is_superuser
    teacher = authenticate(username="teacher", password="gentle-teacher-demo")
    assert teacher.groups.filter(name="Teachers").exists()


def test_loading_the_demo_twice_duplicates_nothing():
    load_demo()
    counts = (Exercise.objects.count(), Course.objects.count(), Comment.objects.count())
    load_demo()
    assert (Exercise.objects.count(), Course.objects.count(), Comment.objects.count()) == counts


def test_demo_has_knee_walking_with_comments_and_three_courses():
    load_demo()
    knee_walking = Exercise.objects.published().get(slug="knee-walking")
    assert knee_walking.steps.count() == 5
    assert Comment.objects.approved().for_object(knee_walking).exists()
    assert Course.objects.published().upcoming().count() == 3


def test_demo_restores_the_teachers_group_on_a_flushed_database():
    Group.objects.filter(name="Teachers").delete()
    load_demo()
    group = Group.objects.get(name="Teachers")
    assert group.permissions.filter(codename="change_course").exists()


def test_demo_uses_placeholder_contact_details_only():
    load_demo()
    emails = [c.email for c in Comment.objects.all()]
    from classes.models import Teacher

    emails += [t.email for t in Teacher.objects.all() if t.email]
    assert emails
    assert all(email.endswith("example.org") for email in emails), emails


def test_the_demo_is_complete_in_welsh():
    from bilingual.languages import missing_welsh
    from classes.models import Teacher, Venue
    from exercises.models import Category, Step

    load_demo()
    everything = [
        *Exercise.objects.all(),
        *Step.objects.all(),
        *Category.objects.all(),
        *Course.objects.all(),
        *Teacher.objects.all(),
        *Venue.objects.all(),
    ]
    assert Exercise.objects.count() == 6
    assert Course.objects.count() == 3
    assert {str(item): missing_welsh(item) for item in everything if missing_welsh(item)} == {}


def test_demo_refuses_to_run_on_a_production_site_and_changes_nothing(monkeypatch):
    from django.core.management.base import CommandError

    monkeypatch.setenv("DJANGO_DEBUG", "0")
    with pytest.raises(CommandError, match="production"):
        load_demo()
    assert not Exercise.objects.exists()
    assert not authenticate(username="editor", password="gentle-back-demo")


def test_demo_runs_on_production_settings_only_when_told_it_is_on_purpose(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "0")
    call_command("load_demo", "--i-know-this-is-production", stdout=io.StringIO())
    assert Exercise.objects.exists()
