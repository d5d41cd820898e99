"""One page skeleton (templates/bare.html): every page says its language once and rightly, and the
shared pieces (the error summary, the pagination, the upcoming-courses box, our admin pages'
breadcrumbs) look the same wherever they are used."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import loader
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation

from backcare import views as site_views
from comments import threads, tokens
from exercises import views as exercise_views
from tests.classes.factories import weekly_course
from tests.comments.conftest import comment_data
from tests.comments.factories import CommentFactory
from tests.factories import CategoryFactory, ExerciseFactory

pytestmark = pytest.mark.django_db

# Addresses of files, not pages: feeds, calendars and PDFs have no <html>.
FILES = {
    "exercises:feed",
    "exercises:atom",
    "exercises:handout",
    "routine:pdf",
    "classes:feed",
    "classes:calendar",
}


def html_lang(html: str) -> str | None:
    found = re.search(r"<html lang=\"([^\"]*)\">", html)
    return found.group(1) if found else None


def public_routes() -> Iterator[tuple[str, set[str], str]]:
    """(name, the arguments it takes, its view's module) of every route under /cy/ and /, read
    from the URLconf: a page added tomorrow is walked without anyone listing it here."""

    def walk(patterns, namespace: str, arguments: set[str]):
        for pattern in patterns:
            taken = arguments | set(pattern.pattern.converters) | set(pattern.pattern.regex.groupindex)
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner, taken)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield namespace + pattern.name, taken, pattern.lookup_str

    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and type(pattern.pattern).__name__ == "LocalePrefixPattern":
            yield from walk(pattern.url_patterns, "", set())


@pytest.fixture
def site():
    category = CategoryFactory(name="Lower back", name_cy="Rhan isaf y cefn", slug="lower-back")
    exercise = ExerciseFactory(title="Knee walking", slug="knee-walking", category=category)
    course = weekly_course(timezone.localdate() + timedelta(days=3), title="Gentle start")
    comment = CommentFactory(on=exercise, subscribed=True)
    slugs = {
        "exercises": exercise.slug,
        "short": exercise.slug,
        "classes:teacher": course.teachers.get().slug,
        "classes:enquiry": course.teachers.get().slug,
        "classes:enquiry_sent": course.teachers.get().slug,
        "classes:course": course.slug,
        "classes:book": course.slug,
        "classes:booking_sent": course.slug,
    }
    return {"slugs": slugs, "comment": comment}


def arguments_for(name: str, taken: set[str], site) -> dict[str, object]:
    values: dict[str, object] = {}
    for argument in taken:
        if argument == "slug":
            values["slug"] = site["slugs"].get(name) or site["slugs"][name.split(":")[0]]
        elif argument == "pk":
            values["pk"] = site["comment"].pk
        elif name == "comments:unsubscribe":
            values["token"] = tokens.unsubscribe_token(site["comment"].pk)
        else:  # a token or key no one was sent: the page that says the link does not work
            values[argument] = "x"
    return values


def test_every_public_page_says_its_language_in_its_html_tag_in_english_and_in_welsh(site):
    client = Client()
    checked = []
    for name, taken, view in public_routes():
        if name in FILES or view.startswith("allauth.socialaccount.providers"):
            continue  # the sign-in providers' addresses send the browser to the provider
        kwargs = arguments_for(name, taken, site)
        for language, expected in (("en-gb", "en-GB"), ("cy", "cy")):
            with translation.override(language):
                url = reverse(name, kwargs=kwargs)
            response = client.get(url)
            if not response.get("Content-Type", "").startswith("text/html") or not response.content:
                continue  # a redirect, or "use POST"
            assert html_lang(response.content.decode()) == expected, url
            checked.append(url)
    assert len(checked) > 40
    assert {"/", "/cy/", "/routine/print/", "/cy/routine/print/", "/cy/exercises/knee-walking/print/"} <= set(
        checked
    )


@pytest.mark.parametrize(
    ("handler", "status"),
    [
        (site_views.bad_request, 400),
        (site_views.permission_denied, 403),
        (site_views.page_not_found, 404),
        (site_views.server_error, 500),
    ],
)
@pytest.mark.parametrize(("language", "expected", "home"), [("en-gb", "en-GB", "/"), ("cy", "cy", "/cy/")])
def test_the_error_pages_say_their_language_and_lead_home_in_it(handler, status, language, expected, home):
    path = "/cy/x/" if language == "cy" else "/x/"
    request = RequestFactory().get(path)
    request.LANGUAGE_CODE = language
    request.user = AnonymousUser()
    with translation.override(language):
        response = handler(request) if status == 500 else handler(request, Exception())
    html = response.content.decode()
    assert response.status_code == status
    assert html_lang(html) == expected
    assert f'href="{home}"' in html
    assert html.count("<head>") == 1


@pytest.mark.parametrize(("language", "expected"), [("en-gb", "en-GB"), ("cy", "cy")])
def test_the_handout_pdf_says_its_language_like_the_pages(language, expected):
    with translation.override(language):
        html = loader.render_to_string("exercises/handout_pdf.html", {"entries": [], "text": {"title": "T"}})
    assert html_lang(html) == expected


def test_no_page_template_writes_its_own_head_or_lang():
    """The one <head> and the one lang rule are bare.html's; a template that writes its own drifts.

    templates/bench/ is left out: its bare page is the benchmark's floor, a Django page
    without our skeleton on purpose (bench/profile_budgets.py), served only under
    BACKCARE_BENCH_FLOOR=1.
    """
    root = Path(__file__).resolve().parents[2]
    bench = root / "templates" / "bench"
    own_heads = [
        str(path.relative_to(root))
        for folder in ("templates", "exercises", "classes", "comments", "safety", "bilingual")
        for path in (root / folder).rglob("*.html")
        if path.name != "bare.html"
        and bench not in path.parents
        and ("<head>" in path.read_text() or "<html" in path.read_text())
    ]
    assert own_heads == []


# --- The pagination ({% querystring %}) -------------------------------------------------------


def test_the_exercise_list_pages_keep_the_search_and_the_part_of_the_body(client, settings):
    category = CategoryFactory(slug="knees")
    ExerciseFactory.create_batch(exercise_views.PER_PAGE + 1, category=category, title="Knee rolls")
    html = client.get("/exercises/", {"q": "knee", "category": "knees"}).content.decode()
    assert 'href="?q=knee&amp;category=knees&amp;page=2" rel="next">Next page</a>' in html
    assert "Page 1 of 2" in html

    second = client.get("/exercises/", {"q": "knee", "category": "knees", "page": 2}).content.decode()
    assert 'href="?q=knee&amp;category=knees&amp;page=1" rel="prev">Previous page</a>' in second
    assert '<nav class="pagination-nav" aria-label="Pages">' in second


def test_the_comment_pages_link_to_each_other_with_nothing_else_of_the_address(client, monkeypatch):
    """The thread is kept once for every address of the page: one reader's ?utm_source must not
    end up in everyone's links."""
    monkeypatch.setattr(threads, "PER_PAGE", 2)
    exercise = ExerciseFactory()
    for _ in range(3):
        CommentFactory(on=exercise)
    html = client.get(exercise.get_absolute_url(), {"utm_source": "news"}).content.decode()
    nav = html[html.index('<nav class="comments__pages"') :]
    nav = nav[: nav.index("</nav>")]
    assert 'aria-label="Pages of comments"' in nav
    assert 'href="?comments_page=2#comments" rel="next">Newer comments</a>' in nav
    assert "Comments page 1 of 2" in nav
    assert "utm_source" not in nav


# --- The error summary ------------------------------------------------------------------------


def test_a_class_form_and_the_comment_form_show_the_same_error_summary(client, post_comment_page):
    teacher_page = post_comment_page["enquiry"]
    enquiry = client.post(
        teacher_page, {"name": "", "email": "not an address", "message": ""}
    ).content.decode()
    comment = post_comment_page["comment"]().content.decode()
    for html, heading in (
        (enquiry, "Please check your message"),
        (comment, "Your comment has not been sent yet"),
    ):
        assert '<div class="error-summary alert alert-danger" data-error-summary' in html
        assert f'<h2 id="error-summary-title" class="error-summary__title">{heading}</h2>' in html
    assert re.search(r'<li><a href="#id_email">Your e-mail address: [^<]+</a></li>', enquiry)
    assert re.search(r'<li><a href="#id_email">[^<]+</a></li>', comment)


@pytest.fixture
def post_comment_page(client):
    course = weekly_course(timezone.localdate() + timedelta(days=3))
    exercise = ExerciseFactory()

    def comment():
        return client.post(
            reverse("comments:post"),
            comment_data(exercise, email="not an address"),
            headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
        )

    return {"enquiry": reverse("classes:enquiry", args=[course.teachers.get().slug]), "comment": comment}


# --- The upcoming-courses box -----------------------------------------------------------------


def test_the_home_page_has_the_courses_as_a_section_and_an_exercise_beside_it_as_an_aside(client):
    weekly_course(timezone.localdate() + timedelta(days=3), title="Gentle start")
    exercise = ExerciseFactory()
    home = client.get("/").content.decode()
    beside = client.get(exercise.get_absolute_url()).content.decode()
    assert (
        '<section aria-labelledby="classes-title">\n  <h2 id="classes-title">Find a yoga for backs class</h2>'
        in home
    )
    assert (
        '<aside class="related-classes no-print" aria-labelledby="related-classes-title">\n'
        '  <h2 id="related-classes-title">Find a yoga for backs class</h2>'
    ) in beside
    for html in (home, beside):
        assert "Gentle start" in html
        assert "All yoga for backs classes" in html
