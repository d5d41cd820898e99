"""English at /, Welsh under /cy/: the URL alone decides, and every page links to itself in the other."""

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from bilingual.languages import english_text, path_in
from comments import tokens
from tests.classes.factories import weekly_course
from tests.comments.factories import CommentFactory
from tests.factories import CategoryFactory, ExerciseFactory, StepFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(settings):
    """One page of every type, with Welsh text written."""
    settings.SITE_URL = "https://backcare.example.org"
    category = CategoryFactory(name="Lower back", name_cy="Rhan isaf y cefn", slug="lower-back")
    exercise = ExerciseFactory(
        title="Knee walking", title_cy="Cerdded y pengliniau", slug="knee-walking", category=category
    )
    StepFactory(exercise=exercise, text="Keep your feet still.", text_cy="Cadwch eich traed yn llonydd.")
    course = weekly_course(timezone.localdate(), title="Gentle start", title_cy="Dechrau’n ysgafn")
    comment = CommentFactory(on=exercise, subscribed=True)
    return {"exercise": exercise, "course": course, "teacher": course.teachers.get(), "comment": comment}


def english_pages(site) -> list[str]:
    exercise, course, teacher = site["exercise"], site["course"], site["teacher"]
    return [
        "/",
        "/exercises/",
        "/exercises/?q=knee",
        exercise.get_absolute_url(),
        reverse("exercises:print", args=[exercise.slug]),
        "/classes/",
        course.get_absolute_url(),
        teacher.get_absolute_url(),
        reverse("classes:enquiry", args=[teacher.slug]),
        reverse("classes:enquiry_sent", args=[teacher.slug]),
        "/privacy/",
        reverse("comments:unsubscribe", args=[tokens.unsubscribe_token(site["comment"].pk)]),
        "/no-such-page/",
    ]


def language_link(html: str) -> tuple[str, str, str]:
    """(href, lang, text) of the link to the other language."""
    [(href, lang, text)] = re.findall(
        r'<a class="site-language" href="([^"]*)"[^>]* lang="([^"]*)">([^<]*)</a>', html
    )
    return href.replace("&amp;", "&"), lang, text


def html_lang(html: str) -> str:
    return re.search(r'<html lang="([^"]*)"', html).group(1)


def test_every_page_type_links_to_itself_in_welsh_and_back(client, site):
    for english in english_pages(site):
        page = client.get(english).content.decode()
        assert html_lang(page) == "en-GB", english
        href, lang, text = language_link(page)
        assert (href, lang, text) == (
            path_in(english.split("?")[0], "cy") + english[len(english.split("?")[0]) :],
            "cy",
            "Cymraeg",
        ), english

        welsh = client.get(href).content.decode()
        assert html_lang(welsh) == "cy", href
        assert language_link(welsh) == (english, "en-GB", "English"), href


def test_every_page_type_has_canonical_and_hreflang_alternates(client, site):
    base = "https://backcare.example.org"
    for english in english_pages(site):
        path = english.split("?")[0]
        if path == "/no-such-page/" or "/print/" in path:
            continue  # a 404 is no page to index; the handout points canonically to the exercise
        for url, own in ((english, path), (path_in(english, "cy"), path_in(path, "cy"))):
            html = client.get(url).content.decode()
            assert f'<link rel="canonical" href="{base}{own}">' in html, url
            assert f'<link rel="alternate" hreflang="en-GB" href="{base}{path}">' in html, url
            assert f'<link rel="alternate" hreflang="cy" href="{base}{path_in(path, "cy")}">' in html, url
            assert f'<link rel="alternate" hreflang="x-default" href="{base}{path}">' in html, url


def test_a_welsh_browser_on_the_english_address_gets_english_that_a_shared_cache_may_keep(client, site):
    response = client.get("/", headers={"Accept-Language": "cy"})

    assert html_lang(response.content.decode()) == "en-GB"
    assert response["Content-Language"] == "en-GB"
    assert "Accept-Language" not in response.get("Vary", "")
    assert "public" in response["Cache-Control"]
    assert response.status_code == 200


def test_a_language_cookie_does_not_change_the_language_either(client, site):
    client.cookies["django_language"] = "cy"
    assert html_lang(client.get("/exercises/").content.decode()) == "en-GB"


def test_welsh_pages_show_the_interface_and_content_in_welsh(client, site):
    html = client.get("/cy/exercises/knee-walking/").content.decode()

    assert '<h1 id="exercise-title">Cerdded y pengliniau</h1>' in html
    assert "Cam wrth gam" in html
    assert "Cadwch eich traed yn llonydd." in html
    assert "Rhan isaf y cefn" in html
    assert 'href="/cy/exercises/knee-walking/print/"' in html


def test_missing_welsh_shows_the_english_marked_as_english_with_a_welsh_note(client, site):
    exercise = ExerciseFactory(title="Pelvic tilts", slug="pelvic-tilts", summary="A small rocking.")

    html = client.get(f"/cy/exercises/{exercise.slug}/").content.decode()

    assert '<h1 id="exercise-title" lang="en">Pelvic tilts</h1>' in html
    assert '<p class="lead" lang="en">A small rocking.</p>' in html
    assert "Nid yw peth o’r testun hwn" in html or "Nid yw peth o'r testun hwn" in html


def test_a_fully_translated_page_has_no_english_marks_and_no_note(client, site):
    exercise = site["exercise"]
    for field in ("summary", "starting_position", "repetitions", "frequency", "duration", "cautions"):
        setattr(exercise, f"{field}_cy", f"Cymraeg: {field}")
    exercise.save()

    html = client.get("/cy/exercises/knee-walking/").content.decode()

    assert 'lang="en"' not in html
    assert "untranslated-note" not in html


def test_the_english_page_never_carries_the_welsh_note(client, site):
    ExerciseFactory(slug="only-english")
    assert "untranslated-note" not in client.get("/exercises/only-english/").content.decode()


def test_welsh_dates_and_times_read_as_welsh_speakers_write_them():
    moment = datetime(2026, 11, 25, 19, 0, tzinfo=ZoneInfo("Europe/London"))
    with translation.override("cy"):
        assert (
            date_format(timezone.localtime(moment), "DATETIME_FORMAT")
            == "Dydd Mercher 25 Tachwedd 2026, 7:00 yh"
        )
        assert date_format(time(10, 30), "TIME_FORMAT") == "10:30 yb"
    with translation.override("en-gb"):
        assert date_format(date(2026, 11, 25), "DATE_FORMAT") == "Wednesday 25 November 2026"


def test_a_course_page_gives_its_times_in_the_pages_language(client, site):
    course = site["course"]
    welsh = client.get(path_in(course.get_absolute_url(), "cy")).content.decode()
    english = client.get(course.get_absolute_url()).content.decode()
    assert "7:00 yh tan 8:15 yh" in welsh
    assert "7:00 p.m. to 8:15 p.m." in english


def test_search_on_welsh_pages_finds_welsh_words(client, site):
    ExerciseFactory(title="Neck turns", title_cy="Troi’r gwddf")

    html = client.get("/cy/exercises/", {"q": "pengliniau"}).content.decode()

    assert "Cerdded y <mark>pengliniau</mark>" in html  # the matched word marked
    assert "Troi’r gwddf" not in html


def test_search_on_welsh_pages_still_finds_exercises_not_yet_translated(client, site):
    ExerciseFactory(title="Neck turns", slug="neck-turns")
    assert "<mark>Neck</mark> turns" in client.get("/cy/exercises/", {"q": "neck"}).content.decode()


def test_feeds_come_in_each_language(client, site):
    welsh = client.get("/cy/exercises/feed/").content.decode()
    english = client.get("/exercises/feed/").content.decode()

    assert "<language>cy</language>" in welsh
    assert "<title>Cerdded y pengliniau</title>" in welsh
    assert "ymarferion newydd" in welsh
    assert "<title>Knee walking</title>" in english
    assert "<language>en-gb</language>" in english
    assert "Cerdded y pengliniau" in client.get("/cy/exercises/feed/atom/").content.decode()


def test_calendars_name_the_course_in_the_pages_language(client, site):
    course = site["course"]
    welsh = client.get(path_in(reverse("classes:calendar", args=[course.slug]), "cy")).content.decode()
    feed = client.get("/cy/classes/calendar.ics").content.decode()

    assert "SUMMARY:Dechrau’n ysgafn" in welsh
    assert "Dosbarthiadau ioga i’r cefn BackCare" in feed.replace("\r\n ", "")
    assert (
        "SUMMARY:Gentle start" in client.get(reverse("classes:calendar", args=[course.slug])).content.decode()
    )


def test_structured_data_says_which_language_the_page_is_in(client, site):
    assert '"inLanguage":"cy"' in client.get("/cy/exercises/knee-walking/").content.decode()
    assert '"inLanguage":"en-GB"' in client.get("/exercises/knee-walking/").content.decode()


def test_the_sitemap_lists_both_languages_with_alternates(client, site):
    xml = client.get("/sitemap.xml").content.decode()

    assert "<loc>http://testserver/exercises/knee-walking/</loc>" in xml
    assert "<loc>http://testserver/cy/exercises/knee-walking/</loc>" in xml
    assert (
        '<xhtml:link rel="alternate" hreflang="en-GB" href="http://testserver/exercises/knee-walking/"/>'
        in xml
    )
    assert (
        '<xhtml:link rel="alternate" hreflang="cy" href="http://testserver/cy/exercises/knee-walking/"/>'
        in xml
    )
    assert (
        '<xhtml:link rel="alternate" hreflang="x-default" href="http://testserver/exercises/knee-walking/"/>'
        in xml
    )


def test_the_teaching_language_filter_still_works_on_welsh_pages(client, site):
    from classes.models import Course

    weekly_course(timezone.localdate(), title="Ioga i’r cefn", language=Course.Language.WELSH)
    html = client.get("/cy/classes/", {"language": "cy"}).content.decode()

    assert "Ioga i’r cefn" in html
    assert "Dechrau’n ysgafn" not in html


def test_a_request_leaves_no_language_behind_for_the_next_thing_the_thread_does(site):
    Client().get("/cy/")
    assert translation.get_language() == "en-gb"


def test_a_welsh_page_costs_the_same_queries_as_the_english_one(site, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_ENABLED = False
    ExerciseFactory(slug="untranslated")  # the Welsh pages then also mark English text and add the note
    counts = {}
    for path in ("/", "/exercises/", "/exercises/knee-walking/", "/exercises/untranslated/", "/classes/"):
        for url in (path, path_in(path, "cy")):
            with CaptureQueriesContext(connection) as queries:
                assert Client().get(url).status_code == 200
            counts[url] = len(queries)
        assert counts[path] == counts[path_in(path, "cy")], (path, counts)


def test_robots_keep_crawlers_out_of_the_comment_endpoints_in_both_languages(client):
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /comments/" in body
    assert "Disallow: /cy/comments/" in body


def test_the_welsh_handout_marks_english_it_still_shows(client, site):
    ExerciseFactory(title="Pelvic tilts", slug="pelvic-tilts")
    html = client.get("/cy/exercises/pelvic-tilts/print/").content.decode()
    assert '<h1 lang="en">Pelvic tilts</h1>' in html
    assert '<html lang="cy">' in html


def test_the_language_link_of_a_sign_in_page_sends_the_reader_back_in_the_language_they_chose(client):
    """A Welsh reader who switches the sign-in page to English comes back to the English page."""
    html = client.get("/cy/accounts/login/?next=/cy/exercises/knee-walking/%23comment-form").content.decode()
    assert 'href="/accounts/login/?next=/exercises/knee-walking/%23comment-form"' in html
    html = client.get("/accounts/login/?next=/exercises/knee-walking/%23comment-form").content.decode()
    assert 'href="/cy/accounts/login/?next=/cy/exercises/knee-walking/%23comment-form"' in html


def test_the_language_link_leaves_a_next_address_on_another_site_alone(client):
    html = client.get("/accounts/login/?next=//example.org/").content.decode()
    assert 'href="/cy/accounts/login/?next=//example.org/"' in html


def hrefs_and_alternates(html: str) -> list[str]:
    """The language link and every hreflang/canonical address of a page."""
    links = re.findall(r'<link rel="(?:canonical|alternate)"[^>]* href="([^"]*)"', html)
    return [language_link(html)[0], *links]


@pytest.mark.parametrize(
    "path",
    [
        "/cy//evil.example/x",
        "/cy/%2F/evil.example/x",
        "/cy/%2F%2Fevil.example/x",
        "/cy/\\evil.example/x",
        "/cy/%5Cevil.example/x",
        "/cy/%5C%5Cevil.example/x",
        "/cy/%09/evil.example/x",
    ],
)
def test_a_crafted_welsh_address_never_gives_a_link_to_another_site(client, settings, path):
    settings.SITE_URL = "https://backcare.example.org"
    response = client.get(path)
    assert response.status_code == 404
    href, _lang, text = language_link(response.content.decode())
    assert text == "English"
    assert href == "/evil.example/x"
    for link in hrefs_and_alternates(response.content.decode()):
        assert link.startswith(("/cy/", "/evil.example/", "https://backcare.example.org/")), link
        assert "//evil.example" not in link, link
        assert "\\" not in link, link


@pytest.mark.parametrize(
    "path_info",
    [
        "//evil.example/x",
        "///evil.example/x",
        "/\\evil.example/x",
        "/\\/evil.example/x",
        "/\t/evil.example/x",
    ],
)
def test_a_crafted_english_address_never_gives_a_link_to_another_site(client, settings, path_info):
    """The test client would read "//host" as a host, so the path is given to it as the server would."""
    settings.SITE_URL = "https://backcare.example.org"
    response = client.get("/no-such-page/", PATH_INFO=path_info)
    assert response.status_code == 404
    href, _lang, text = language_link(response.content.decode())
    assert text == "Cymraeg"
    assert href == "/cy/evil.example/x"
    for link in hrefs_and_alternates(response.content.decode()):
        assert "//evil.example" not in link, link
        assert "\\" not in link, link


def test_english_text_reads_the_english_column_whatever_the_page_language():
    category = CategoryFactory(name="Lower back", name_cy="Rhan isaf y cefn", slug="lower-back")

    with translation.override("cy"):
        assert category.name == "Rhan isaf y cefn"
        assert english_text(category, "name") == "Lower back"
    category.name_en_gb = None  # a column left empty reads as ""
    assert english_text(category, "name") == ""
