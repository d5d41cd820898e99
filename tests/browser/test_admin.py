"""Every admin page the editor or a teacher can open passes axe-core (WCAG 2.2 A/AA), at 390 and 1280 px.

No page is listed by hand. The walk starts at the admin's own start page and
follows its links, and theirs, so every model on the index gets its list, its
add page and (through the list's first row) a change page, with the history,
delete and quick-action pages those link to, the filtered list, the pop-up
forms, the password and language pages. A model added later is walked
without touching this file; if its list is empty, the walk fails and says so
(give ``one_of_everything`` a row for it).

Each login walks once, in one browser context: every page is audited at
1280 px, then at 390 px without reloading. The failure lists every page with
its violations, not just the first.
"""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from classes.models import AlertSubscription, Course, Enquiry, Teacher
from comments.models import CommentSettings
from exercises.models import Exercise
from mailing.models import BouncingAddress
from safety.models import WarningSign
from tests.browser.test_editor_admin import log_in
from tests.conftest import AXE_SOURCE, AXE_TAGS, describe_violations

# The Teachers group comes from a data migration; restore it for every test that flushes the database.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDTHS = {"laptop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
EDITOR = ("editor", "gentle-back-demo")  # backcare/management/commands/load_demo.py
TEACHER = ("teacher", "gentle-teacher-demo")  # classes/demo.py
# Admin addresses the walk never opens: signing out, and "view on site" (a redirect to a public page).
NOT_WALKED = re.compile(r"^/admin/(logout/|login/|r/|jsi18n/|autocomplete/)")


@pytest.fixture
def one_of_everything(transactional_db, settings):
    """The demo, plus a row for every model the admin shows that the demo leaves empty,
    so that every list has a change page to open.

    Tasks go to the database queue, as in production: its list is in the editor's admin
    (and the handout PDF is not built, which the admin pages do not need)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("load_demo", stdout=io.StringIO())
    editor = get_user_model().objects.get(username=EDITOR[0])
    teacher = Teacher.objects.get(user__username=TEACHER[0])
    exercise = Exercise.objects.get(slug="knee-walking")
    WarningSign.objects.create(words="numb saddle", meaning="numbness in the saddle area")
    BouncingAddress.objects.create(
        email="gone@example.org", last_bounced_at=timezone.now(), status="5.1.1", diagnostic="No such user"
    )
    CommentSettings.objects.create(
        content_type=ContentType.objects.get_for_model(exercise), object_id=str(exercise.pk), closed=True
    )
    Enquiry.objects.create(
        teacher=teacher, name="Reader", email="reader@example.org", message="Is there a chair?"
    )
    AlertSubscription.objects.create(email="reader@example.org", teacher=teacher)
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    app = SocialApp.objects.create(provider="google", name="Google", client_id="demo-id", secret="demo")
    account = SocialAccount.objects.create(user=editor, provider="google", uid="1234567890")
    SocialToken.objects.create(app=app, account=account, token="demo-token")
    Authenticator.objects.create(
        user=editor, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "00", "used_mask": 0}
    )


# Views whose pages share one template whatever the model: one of each is enough.
SAME_FOR_EVERY_MODEL = re.compile(r"_(history|delete)$")


def kind_of_page(url: str) -> str | None:
    """What the walk audits once: each admin view (a model's list, add and change page, its quick
    actions), the list filtered, and one of each page that looks the same for every model
    (an app's list of models, history, delete, the pop-up forms). None: not walked."""
    parts = urlsplit(url)
    if not parts.path.startswith("/admin/") or NOT_WALKED.match(parts.path):
        return None
    try:
        view = resolve(parts.path).view_name
    except Resolver404:
        return None
    query = parse_qs(parts.query)
    if "_popup" in query:
        return "pop-up " + view.rsplit("_", 1)[-1]
    if same := SAME_FOR_EVERY_MODEL.search(view):
        return same.group(1)
    if view.endswith("_changelist") and set(query) - {"o", "p", "_facets", "_changelist_filters"}:
        return f"{view} filtered"
    return view


@dataclass
class Walk:
    """The pages seen so far, and what axe found on them."""

    audited: list[str] = field(default_factory=list)
    found: dict[str, str] = field(default_factory=dict)
    forbidden: list[str] = field(default_factory=list)

    def audit(self, page, name: str) -> None:
        """Axe at every width, on the page as it is now."""
        for width, size in WIDTHS.items():
            page.set_viewport_size(size)
            self.audited.append(f"{name} at {size['width']} px")
            if violations := violations_on(page):
                self.found[f"{name} at {size['width']} px ({width})"] = describe_violations(violations)

    def summary(self) -> str:
        pages = {audit.rsplit(" at ", 1)[0] for audit in self.audited}
        failing = {audit.rsplit(" at ", 1)[0] for audit in self.found}
        return (
            f"{len(pages)} admin pages at {len(WIDTHS)} widths ({len(self.audited)} audits): "
            f"{len(failing)} pages with violations, {len(self.forbidden)} links answering 403"
        )

    def report(self) -> str:
        return "\n".join(
            [f"{page}: {violations}" for page, violations in self.found.items()]
            + [f"{url}: a link to a page this login may not open (403)" for url in self.forbidden]
        )


def violations_on(page) -> list[dict]:
    """axe-core's WCAG 2.2 A/AA violations, without the passing nodes (which cost most of the run)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return result["violations"]


def links(page, selector: str = "a[href]") -> list[str]:
    return page.eval_on_selector_all(selector, "links => links.map(link => link.href)")


def walk_the_admin(page) -> Walk:
    """From the start page, every admin page its links lead to, one of each kind, breadth first."""
    walk = Walk()
    queue = [page.url if "/admin/" in page.url else reverse("admin:index")]
    seen = {kind_of_page(queue[0])}
    empty_lists = []
    while queue:
        url = queue.pop(0)
        response = page.goto(url)
        if response.status == 403:
            walk.forbidden.append(url)
            continue
        assert response.ok, f"{url} answered {response.status}"
        walk.audit(page, urlsplit(url).path + (f"?{urlsplit(url).query}" if urlsplit(url).query else ""))
        found_here = links(page)
        kind = kind_of_page(url) or ""
        if kind.endswith("_changelist"):
            rows = links(page, "#result_list tbody tr a[href]")
            if not rows and page.locator("#changelist").count():  # a list, not a summary page
                empty_lists.append(url)
            # The list filtered: the first choice in its filter panel (or its search, if none).
            found_here += links(
                page, "#changelist-filter li:not(.selected) a[href*='?']:not([href*='_facets'])"
            )[:1] or [f"{url}?q=a"]
        for link in found_here:
            link_kind = kind_of_page(link)
            if link_kind and link_kind not in seen:
                if link_kind.endswith(" filtered") and not kind.endswith("_changelist"):
                    continue  # a list is filtered from its own page, not from every link with a query
                seen.add(link_kind)
                queue.append(link)
    assert not empty_lists, (
        f"These lists have no row, so their change page goes unchecked: {empty_lists}. "
        "Give one_of_everything (tests/browser/test_admin.py) a row for each."
    )
    return walk


def audit_after(walk: Walk, page, name: str, action: Callable[[], None]) -> None:
    """Pages reached only through a form: do it, then audit what it shows."""
    action()
    walk.audit(page, name)


def delete_selected(page, changelist: str) -> Callable[[], None]:
    """The confirmation (or the refusal, for a row others depend on) of "Delete selected"."""

    def action() -> None:
        page.goto(changelist)
        page.locator("input.action-select").first.check()
        page.get_by_label("Action:").select_option("delete_selected")
        with page.expect_navigation():
            page.get_by_role("button", name="Run").click()
        assert page.locator("input[name=post]").count() or "Cannot delete" in page.title()

    return action


@pytest.mark.parametrize("width", WIDTHS)
def test_the_login_page_passes_axe(page, live_server, width, axe):
    page.set_viewport_size(WIDTHS[width])
    page.goto(reverse("admin:login"))
    axe(page)


def test_every_admin_page_the_editor_can_open_passes_axe_on_a_phone_and_a_laptop(
    page, live_server, one_of_everything
):
    log_in(page, *EDITOR)
    walk = walk_the_admin(page)
    for model in ("comments_comment", "safety_warningsign"):
        changelist = reverse(f"admin:{model}_changelist")
        audit_after(walk, page, f"{changelist} delete selected", delete_selected(page, changelist))
    audit_after(walk, page, "password changed", lambda: page.goto(reverse("admin:password_change_done")))
    print(f"\nEditor: {walk.summary()}")
    assert len(walk.audited) > 2 * 60, "The walk missed most of the admin."
    if walk.found or walk.forbidden:
        pytest.fail(walk.report(), pytrace=False)


def test_every_admin_page_a_teacher_can_open_passes_axe_on_a_phone_and_a_laptop(
    page, live_server, one_of_everything
):
    log_in(page, *TEACHER)
    walk = walk_the_admin(page)
    course_list = reverse("admin:classes_course_changelist")
    audit_after(walk, page, f"{course_list} delete selected", delete_selected(page, course_list))

    def places_with_a_mistake() -> None:
        page.goto(course_list)
        page.locator("#result_list tbody tr a").first.click()
        page.goto(page.url.replace("/change/", "/places/"))
        page.get_by_label("Places taken by phone").fill("400")
        page.get_by_role("button", name="Save places and booking").click()
        page.locator(".errorlist").wait_for()

    audit_after(walk, page, "places form with a mistake", places_with_a_mistake)
    print(f"\nTeacher: {walk.summary()}")
    assert len(walk.audited) > 2 * 20, "The walk missed most of the admin."
    if walk.found or walk.forbidden:
        pytest.fail(walk.report(), pytrace=False)


def test_a_teacher_switches_the_admin_to_welsh_and_it_stays_welsh_after_signing_in_again(
    page, live_server, one_of_everything
):
    log_in(page, *TEACHER)
    page.get_by_role("link", name="Language").click()
    walk = Walk()
    walk.audit(page, "language page")
    page.get_by_label("Cymraeg").check()
    page.get_by_role("button", name="Save").click()
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.get_by_text("Mae’r tudalennau gweinyddu yn Gymraeg nawr.").is_visible()  # ours
    assert page.get_by_role("heading", name="Eich cyrsiau").is_visible()  # ours
    assert page.get_by_role("button", name="Allgofnodi").is_visible()  # Django's own "Log out"
    walk.audit(page, "start page in Welsh")
    course = Course.objects.taught_by(get_user_model().objects.get(username=TEACHER[0])).first()
    for url in (
        reverse("admin:classes_course_changelist"),
        reverse("admin:classes_course_change", args=[course.pk]),
        reverse("admin:classes_course_places", args=[course.pk]),
        reverse("admin_language"),
    ):
        page.goto(url)
        walk.audit(page, f"{url} in Welsh")
    page.goto(reverse("admin:classes_course_change", args=[course.pk]))
    assert page.get_by_role("button", name="Cadw", exact=True).is_visible()  # Django's "Save"
    # The public course page keeps the language of its address.
    page.goto(course.get_absolute_url())
    assert page.locator("html").get_attribute("lang") == "en-GB"
    # Signed out and in again through the sign-in page: still Welsh.
    page.goto(reverse("admin:index"))
    page.get_by_role("button", name="Allgofnodi").click()
    log_in(page, *TEACHER)
    page.get_by_role("heading", name="Eich cyrsiau").wait_for()
    assert page.get_by_text(f"Wedi mewngofnodi fel {TEACHER[0]}.").is_visible()
    if walk.found:
        pytest.fail(walk.report(), pytrace=False)
