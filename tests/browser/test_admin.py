"""Every admin page a teacher or the editor uses passes axe-core (WCAG 2.2 A/AA), on a phone and a laptop.

One test per login and width walks through all of that login's pages in one
browser context, so each login happens once; the failure lists every page
with its violations, not just the first.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from classes.models import Enquiry
from comments.models import CommentSettings
from tests.browser.test_editor_admin import log_in
from tests.classes.factories import teacher_login, weekly_course
from tests.comments.factories import CommentFactory
from tests.conftest import describe_violations, run_axe
from tests.factories import ExerciseFactory, StepFactory

# The Teachers group comes from a data migration; restore it for every test that flushes the database.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDTHS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 800}}


@pytest.fixture
def site_content():
    """Something on every list, so rows, editable columns and filters are all on the page."""
    user, teacher = teacher_login("gwen", name="Gwen Teacher")
    today = timezone.localdate()
    course = weekly_course(today + timedelta(days=7), weeks=4, teachers=[teacher], title="Gentle backs")
    session = course.sessions.first()
    exercise = ExerciseFactory(title="Knee rolls", slug="knee-rolls")
    StepFactory(exercise=exercise)
    comment = CommentFactory(on=exercise, pending=True)
    enquiry = Enquiry.objects.create(
        teacher=teacher, name="Reader", email="reader@example.org", message="Is there a chair?"
    )
    settings_row = CommentSettings.objects.create(
        content_type=ContentType.objects.get_for_model(exercise), object_id=str(exercise.pk), closed=True
    )
    editor = get_user_model().objects.create_superuser("editor", "editor@backcare.example.org", "pw")
    return {
        "teacher_user": user,
        "teacher": teacher,
        "course": course,
        "session": session,
        "exercise": exercise,
        "comment": comment,
        "enquiry": enquiry,
        "settings": settings_row,
        "editor": editor,
    }


def teacher_pages(c) -> list[str]:
    course, teacher, session = c["course"], c["teacher"], c["session"]
    course_url = lambda view, *args: reverse(f"admin:classes_course_{view}", args=[course.pk, *args])  # noqa: E731
    return [
        reverse("admin:index"),
        reverse("admin:classes_course_changelist"),
        reverse("admin:classes_course_changelist") + "?q=backs&booking_status__exact=open",
        reverse("admin:classes_course_add"),
        course_url("change"),
        course_url("history"),
        course_url("delete"),
        course_url("repeat"),
        course_url("places"),
        course_url("cancel_session", session.pk),
        course_url("move_session", session.pk),
        reverse("admin:classes_course_guide"),
        reverse("admin_language"),
        reverse("admin:classes_teacher_changelist"),
        reverse("admin:classes_teacher_change", args=[teacher.pk]),
        reverse("admin:classes_venue_changelist"),
        reverse("admin:classes_venue_change", args=[course.venue_id]),
        reverse("admin:app_list", args=["classes"]),
        reverse("admin:password_change"),
        reverse("admin:password_change_done"),
    ]


def editor_pages(c) -> list[str]:
    pages = [
        reverse("admin:index"),
        reverse("admin:password_change"),
        reverse("admin_language"),
        reverse("admin:comments_comment_changelist"),
        reverse("admin:comments_comment_changelist") + "?status__exact=pending&q=sciatica",
        reverse("admin:comments_comment_change", args=[c["comment"].pk]),
        reverse("admin:comments_comment_history", args=[c["comment"].pk]),
        reverse("admin:comments_comment_delete", args=[c["comment"].pk]),
        reverse("admin:comments_commentsettings_changelist"),
        reverse("admin:comments_commentsettings_add"),
        reverse("admin:comments_commentsettings_change", args=[c["settings"].pk]),
        reverse("admin:exercises_exercise_changelist"),
        reverse("admin:exercises_exercise_changelist") + "?status__exact=published&q=knee",
        reverse("admin:exercises_exercise_add"),
        reverse("admin:exercises_exercise_change", args=[c["exercise"].pk]),
        reverse("admin:exercises_exercise_delete", args=[c["exercise"].pk]),
        reverse("admin:exercises_category_changelist"),
        reverse("admin:exercises_category_change", args=[c["exercise"].category_id]),
        reverse("admin:classes_course_changelist"),
        reverse("admin:classes_course_changelist") + "?teachers__id__exact=" + str(c["teacher"].pk),
        reverse("admin:classes_course_change", args=[c["course"].pk]),
        reverse("admin:classes_course_add"),
        reverse("admin:classes_course_history", args=[c["course"].pk]),
        reverse("admin:classes_venue_add"),
        reverse("admin:exercises_exercise_history", args=[c["exercise"].pk]),
        reverse("admin:classes_teacher_changelist"),
        reverse("admin:classes_teacher_add"),
        reverse("admin:classes_teacher_change", args=[c["teacher"].pk]),
        reverse("admin:classes_venue_changelist"),
        reverse("admin:classes_venue_change", args=[c["course"].venue_id]),
        reverse("admin:classes_enquiry_changelist"),
        reverse("admin:classes_enquiry_change", args=[c["enquiry"].pk]),
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_change", args=[c["teacher_user"].pk]),
        reverse("admin:auth_user_add"),
        reverse("admin:auth_user_password_change", args=[c["teacher_user"].pk]),
        reverse("admin:auth_group_changelist"),
        reverse("admin:auth_group_change", args=[c["teacher_user"].groups.get().pk]),
    ]
    return pages


def audit_all(page, urls: list[str], *, delete_from: str) -> dict[str, str]:
    """Audit each page, then the "delete selected" confirmation reached from a list's actions."""
    found = {}
    for url in urls:
        response = page.goto(url)
        assert response.ok, f"{url} answered {response.status}"
        if violations := run_axe(page):
            found[url] = describe_violations(violations)
    page.goto(delete_from)
    page.locator("input.action-select").first.check()
    page.get_by_label("Action:").select_option("delete_selected")
    page.get_by_role("button", name="Run").click()
    page.get_by_role("heading", name="Delete multiple objects").or_(
        page.get_by_text("Are you sure")
    ).first.wait_for()
    if violations := run_axe(page):
        found[f"{delete_from} delete selected"] = describe_violations(violations)
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_the_login_page_passes_axe(page, live_server, width, axe):
    page.set_viewport_size(WIDTHS[width])
    page.goto(reverse("admin:login"))
    axe(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_admin_page_a_teacher_uses_passes_axe(page, live_server, site_content, width):
    page.set_viewport_size(WIDTHS[width])
    log_in(page, "gwen", "pw")
    found = audit_all(
        page, teacher_pages(site_content), delete_from=reverse("admin:classes_course_changelist")
    )
    # A quick action with a mistake in it: the error message beside the kept value.
    page.goto(reverse("admin:classes_course_places", args=[site_content["course"].pk]))
    page.get_by_label("Places left").fill("40")
    page.get_by_role("button", name="Save places and booking").click()
    page.locator(".errorlist").wait_for()
    if violations := run_axe(page):
        found["places form with an error"] = describe_violations(violations)
    if found:
        pytest.fail("\n".join(f"{url}: {v}" for url, v in found.items()), pytrace=False)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_admin_page_the_editor_uses_passes_axe(page, live_server, site_content, width):
    page.set_viewport_size(WIDTHS[width])
    log_in(page, "editor", "pw")
    found = audit_all(
        page, editor_pages(site_content), delete_from=reverse("admin:comments_comment_changelist")
    )
    if found:
        pytest.fail("\n".join(f"{url}: {v}" for url, v in found.items()), pytrace=False)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_teacher_switches_the_admin_to_welsh_and_it_stays_welsh_after_signing_in_again(
    page, live_server, site_content, width
):
    page.set_viewport_size(WIDTHS[width])
    log_in(page, "gwen", "pw")
    page.get_by_role("link", name="Language").click()
    found = {}
    if violations := run_axe(page):
        found["language page"] = describe_violations(violations)
    page.get_by_label("Cymraeg").check()
    page.get_by_role("button", name="Save").click()
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.get_by_text("Mae’r tudalennau gweinyddu yn Gymraeg nawr.").is_visible()  # ours
    assert page.get_by_role("heading", name="Eich cyrsiau").is_visible()  # ours
    assert page.get_by_role("button", name="Allgofnodi").is_visible()  # Django's own "Log out"
    if violations := run_axe(page):
        found["start page in Welsh"] = describe_violations(violations)
    course = site_content["course"]
    for url in (
        reverse("admin:classes_course_changelist"),
        reverse("admin:classes_course_change", args=[course.pk]),
        reverse("admin:classes_course_places", args=[course.pk]),
        reverse("admin_language"),
    ):
        page.goto(url)
        if violations := run_axe(page):
            found[f"{url} in Welsh"] = describe_violations(violations)
    page.goto(reverse("admin:classes_course_change", args=[course.pk]))
    assert page.get_by_role("button", name="Cadw", exact=True).is_visible()  # Django's "Save"
    # The public course page keeps the language of its address.
    page.goto(course.get_absolute_url())
    assert page.locator("html").get_attribute("lang") == "en-GB"
    # Signed out and in again through the sign-in page: still Welsh.
    page.goto(reverse("admin:index"))
    page.get_by_role("button", name="Allgofnodi").click()
    log_in(page, "gwen", "pw")
    page.get_by_role("heading", name="Eich cyrsiau").wait_for()
    assert page.get_by_text("Wedi mewngofnodi fel gwen.").is_visible()
    if found:
        pytest.fail("\n".join(f"{url}: {v}" for url, v in found.items()), pytrace=False)
