import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from classes.models import Course, Session
from tests.classes.factories import CourseFactory, TeacherFactory, VenueFactory, weekly_course
from tests.factories import ExerciseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


def page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


# --- The list -------------------------------------------------------------------


def test_list_shows_upcoming_courses_and_not_past_or_draft_ones(client, today):
    weekly_course(today + timedelta(days=3), title="Spring course")
    weekly_course(today - timedelta(weeks=10), title="Old course")
    weekly_course(today + timedelta(days=3), title="Draft course", is_published=False)
    html = page(client, reverse("classes:list"))
    assert "Spring course" in html
    assert "Old course" not in html
    assert "Draft course" not in html


def test_list_groups_courses_running_now_apart_from_those_starting_later(client, today):
    weekly_course(today - timedelta(weeks=1), title="Running course")
    later = today + timedelta(days=70)
    weekly_course(later, title="Later course")
    html = page(client, reverse("classes:list"))
    assert html.index("Running now") < html.index("Running course")
    assert html.index("Running course") < html.index(f">{later:%B %Y}</h2>") < html.index("Later course")


def test_list_filters_by_town(client, today):
    weekly_course(today, title="Aber course", venue=VenueFactory(town="Aberystwyth"))
    weekly_course(today, title="Borth course", venue=VenueFactory(town="Borth"))
    html = page(client, reverse("classes:list"), town="Borth")
    assert "Borth course" in html
    assert "Aber course" not in html
    assert "1 course matches." in html


def test_list_filters_by_weekday(client, today):
    weekly_course(today + timedelta(days=1), title="Tomorrow’s course")
    weekly_course(today + timedelta(days=2), title="Other course")
    html = page(client, reverse("classes:list"), weekday=(today + timedelta(days=1)).weekday())
    assert "Tomorrow’s course" in html
    assert "Other course" not in html


def test_list_filters_by_teacher(client, today):
    gwen = TeacherFactory(name="Gwen", slug="gwen")
    weekly_course(today, title="Gwen’s course", teachers=[gwen])
    weekly_course(today, title="Someone else’s course")
    html = page(client, reverse("classes:list"), teacher="gwen")
    assert "Gwen’s course" in html
    assert "Someone else’s course" not in html


def test_list_filters_by_language(client, today):
    weekly_course(today, title="Ioga i’r cefn", language=Course.Language.WELSH)
    weekly_course(today, title="English course")
    html = page(client, reverse("classes:list"), language="cy")
    assert "Ioga i’r cefn" in html
    assert "English course" not in html


def test_an_unknown_filter_value_is_ignored(client, today):
    weekly_course(today, title="Only course")
    assert "Only course" in page(client, reverse("classes:list"), town="Atlantis")


def test_no_matches_says_what_to_do_next(client, today):
    weekly_course(today, teachers=[TeacherFactory(name="Gwen")])
    html = page(client, reverse("classes:list"), language="cy")
    assert "No courses match those choices" in html
    assert 'href="/classes/">Show all classes</a>' in html
    assert "send them a message" in html
    assert "Gwen" in html


def test_an_empty_list_says_when_courses_appear(client):
    html = page(client, reverse("classes:list"))
    assert "No courses are listed just now" in html


def test_list_renders_in_a_fixed_number_of_queries_with_fifty_courses_and_600_sessions(
    client, today, django_assert_num_queries
):
    venues = [VenueFactory(town=f"Town {n}") for n in range(5)]
    teachers = [TeacherFactory() for _ in range(5)]
    for n in range(50):
        weekly_course(today - timedelta(weeks=2), weeks=12, venue=venues[n % 5], teachers=[teachers[n % 5]])
    assert Session.objects.count() == 600
    with django_assert_num_queries(4):
        html = page(client, reverse("classes:list"))
    assert html.count('class="course-card"') == 50


def test_list_queries_do_not_grow_from_five_courses_to_fifty(
    client, today, django_assert_num_queries, django_capture_on_commit_callbacks
):
    for _ in range(5):
        weekly_course(today, weeks=12)
    with django_assert_num_queries(4):
        page(client, reverse("classes:list"))
    with django_capture_on_commit_callbacks(execute=True):  # committed: the cached list is retired
        for _ in range(45):
            weekly_course(today, weeks=12)
    with django_assert_num_queries(4):
        page(client, reverse("classes:list"))


# --- The course page ---------------------------------------------------------


@pytest.fixture
def course(today):
    course = weekly_course(
        today + timedelta(days=7),
        weeks=4,
        title="Yoga for backs: autumn",
        concessions="£40 for students",
        teachers=[
            TeacherFactory(
                name="Gwen",
                email="gwen@private.example.org",
                website="https://example.org/gwen",
                show_website=True,
            )
        ],
        venue=VenueFactory(name="Prom Hall", step_free_access=True, parking=False),
    )
    cancelled = course.sessions.all()[1]
    cancelled.is_cancelled, cancelled.cancellation_reason = True, "Bank holiday"
    cancelled.save()
    return course


def test_course_page_strikes_through_a_cancelled_session_and_gives_the_reason(client, course):
    cancelled = course.sessions.get(is_cancelled=True)
    html = page(client, course.get_absolute_url())
    assert re.search(
        rf"<del>{cancelled.date:%A} {cancelled.date.day} {cancelled.date:%B %Y}, 7:00 p.m.</del>", html
    )
    assert "<strong>Cancelled:</strong> <span>Bank holiday</span>" in html


def test_course_page_shows_time_venue_access_price_places_and_status(client, course):
    html = page(client, course.get_absolute_url())
    assert "7:00 p.m. to 8:15 p.m." in html
    assert "Prom Hall" in html
    assert "Step-free access: <strong>yes</strong>" in html
    assert "Parking: <strong>no</strong>" in html
    assert "£60.00" in html
    assert "£40 for students" in html
    assert "4 of 10 left" in html
    assert "Open for booking" in html


def test_course_page_shows_the_teachers_chosen_contact_routes_but_not_their_hidden_email(client, course):
    html = page(client, course.get_absolute_url())
    assert "https://example.org/gwen" in html
    assert reverse("classes:enquiry", args=[course.teachers.get().slug]) in html
    assert "gwen@private.example.org" not in html


def test_course_page_shows_an_email_the_teacher_chose_to_show(client, course):
    course.teachers.update(show_email=True)
    assert "gwen@private.example.org" in page(client, course.get_absolute_url())


def test_course_page_links_to_its_calendar_file(client, course):
    assert reverse("classes:calendar", args=[course.slug]) in page(client, course.get_absolute_url())


def test_course_page_describes_each_session_for_search_engines(client, course):
    data = json_ld(page(client, course.get_absolute_url()))
    assert data["@type"] == "Course"
    instances = data["hasCourseInstance"]
    assert len(instances) == 4
    assert [i["eventStatus"] for i in instances].count("https://schema.org/EventCancelled") == 1
    assert [i["eventStatus"] for i in instances].count("https://schema.org/EventScheduled") == 3
    assert instances[0]["location"]["name"] == "Prom Hall"
    assert instances[0]["offers"]["availability"] == "https://schema.org/InStock"
    assert data["offers"]["price"] == "60.00"
    assert data["offers"]["priceCurrency"] == "GBP"


def test_course_json_ld_puts_an_online_course_at_a_virtual_location(client, today):
    course = weekly_course(today, venue=VenueFactory(is_online=True, town=""))
    data = json_ld(page(client, course.get_absolute_url()))
    assert data["hasCourseInstance"][0]["location"]["@type"] == "VirtualLocation"


def test_a_draft_course_page_is_not_found(client, today):
    course = weekly_course(today, is_published=False)
    assert client.get(course.get_absolute_url()).status_code == 404


def test_course_page_renders_in_a_fixed_number_of_queries(client, today, django_assert_num_queries):
    course = weekly_course(today, weeks=30, teachers=[TeacherFactory(), TeacherFactory()])
    with django_assert_num_queries(3):
        page(client, course.get_absolute_url())


# --- Teacher pages ------------------------------------------------------------


def test_teacher_page_says_when_the_next_course_starts(client, today):
    teacher = TeacherFactory(name="Gwen", bio="I teach slowly.")
    start = today + timedelta(days=20)
    weekly_course(today - timedelta(weeks=1), teachers=[teacher], title="Running one")
    weekly_course(start, teachers=[teacher], title="Next one")
    html = page(client, teacher.get_absolute_url())
    assert f"Next course starts on {start:%A} {start.day} {start:%B %Y}." in html
    assert "I teach slowly." in html
    assert "Running one" in html
    assert "Next one" in html


def test_teacher_page_never_shows_a_hidden_email_address(client):
    teacher = TeacherFactory(email="hidden@private.example.org")
    assert "hidden@private.example.org" not in page(client, teacher.get_absolute_url())


# --- Public pages are the same for everyone -----------------------------------


def test_public_pages_set_no_cookies_and_do_not_vary_by_visitor(client, course):
    for url in [
        reverse("classes:list"),
        course.get_absolute_url(),
        course.teachers.get().get_absolute_url(),
        reverse("classes:calendar", args=[course.slug]),
        reverse("classes:feed"),
    ]:
        response = client.get(url)
        assert response.cookies == {}, url
        assert "public" in response["Cache-Control"], url
        assert "csrfmiddlewaretoken" not in response.content.decode(), url


def test_two_anonymous_visitors_get_the_same_bytes(client, course):
    url = course.get_absolute_url()
    assert client.get(url).content == Client().get(url, headers={"user-agent": "Other"}).content


# --- Other pages showing courses ---------------------------------------------


def test_home_page_shows_the_next_upcoming_courses(client, today):
    weekly_course(today + timedelta(days=3), title="Soon course")
    html = page(client, reverse("home"))
    assert "Find a yoga for backs class" in html
    assert "Soon course" in html


def test_exercise_page_shows_the_next_three_upcoming_courses(client, today):
    for n in range(4):
        weekly_course(today + timedelta(days=n), title=f"Course number {n}")
    html = page(client, ExerciseFactory().get_absolute_url())
    assert [f"Course number {n}" in html for n in range(4)] == [True, True, True, False]


def test_sitemap_lists_course_and_teacher_pages(client, course):
    html = page(client, reverse("sitemap"))
    assert course.get_absolute_url() in html
    assert course.teachers.get().get_absolute_url() in html


def test_a_course_without_sessions_is_not_listed(client):
    CourseFactory(title="No dates yet")
    assert "No dates yet" not in page(client, reverse("classes:list"))
