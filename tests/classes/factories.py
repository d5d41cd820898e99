"""Factories for the classes app's tests."""

from datetime import date, time, timedelta
from decimal import Decimal

import factory
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from classes.models import Course, Session, Teacher, Venue
from classes.permissions import teachers_group
from tests.factories import UserFactory


class TeacherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Teacher

    name = factory.Sequence(lambda n: f"Teacher {n}")
    slug = factory.Sequence(lambda n: f"teacher-{n}")
    bio = "Teaches gentle yoga for backs."
    email = factory.Sequence(lambda n: f"teacher{n}@private.example.org")
    show_website = False


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Hall {n}")
    address = "1 Example Street"
    town = "Aberystwyth"
    postcode = "SY23 9ZZ"
    step_free_access = True


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Yoga for backs {n}")
    slug = factory.Sequence(lambda n: f"yoga-for-backs-{n}")
    description = "Gentle classes for a stiff back."
    venue = factory.SubFactory(VenueFactory)
    weekday = factory.LazyFunction(lambda: timezone.localdate().weekday())
    start_time = time(19, 0)
    end_time = time(20, 15)
    price = Decimal("60.00")
    capacity = 10
    places_left = 4
    how_to_book = "Send the teacher a message."
    is_published = True

    @factory.post_generation
    def teachers(self, create, extracted, **kwargs):
        if create:
            self.teachers.set(extracted if extracted is not None else [TeacherFactory()])


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    course = factory.SubFactory(CourseFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))
    start_time = time(19, 0)
    end_time = time(20, 15)


def weekly_course(start: date, weeks: int = 4, **kwargs) -> Course:
    """A course with ``weeks`` weekly sessions from ``start``, on start's weekday."""
    course = CourseFactory(weekday=start.weekday(), **kwargs)
    Session.objects.bulk_create(
        Session(
            course=course,
            date=start + timedelta(weeks=n),
            start_time=course.start_time,
            end_time=course.end_time,
        )
        for n in range(weeks)
    )
    return course


def teacher_login(username: str, **teacher_kwargs) -> tuple:
    """A staff login in the Teachers group, linked to a new teacher profile.

    The group is made afresh if a flush removed it: Playwright's greenlets can give a
    browser test a database connection that has lost the serialized-rollback snapshot.
    """
    user = UserFactory(username=username, is_staff=True)
    # The group the data migration made; made again if a transactional test's flush removed it.
    user.groups.add(teachers_group(group_model=Group, permission_model=Permission))
    teacher = TeacherFactory(user=user, **teacher_kwargs)
    return user, teacher
