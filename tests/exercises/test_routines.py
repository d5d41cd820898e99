"""My routine: kept in the address, tidy on bad input, never an error page."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from exercises import builds, routines
from tests.factories import ExerciseFactory, StepFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("routine:page")


@pytest.fixture
def three():
    return [
        ExerciseFactory(slug="knee-walking", title="Knee walking"),
        ExerciseFactory(slug="pelvic-tilts", title="Pelvic tilts"),
        ExerciseFactory(slug="cat-and-cow", title="Cat and cow"),
    ]


def test_a_routine_lists_its_exercises_in_canonical_order(client, three):
    response = client.get(PAGE, {"e": "cat-and-cow,knee-walking,pelvic-tilts"})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Cat and cow") < page.index("Knee walking") < page.index("Pelvic tilts")
    assert "3 exercises in your routine" in page


def test_the_same_exercises_in_another_order_redirect_to_the_one_canonical_address(client, three):
    response = client.get(PAGE, {"e": "pelvic-tilts,Knee-Walking"})
    assert response.status_code == 301
    assert response.url == PAGE + "?e=knee-walking,pelvic-tilts"


def test_the_routine_page_can_be_kept_in_a_shared_cache(client, three):
    response = client.get(PAGE + "?e=knee-walking,pelvic-tilts")
    assert "public" in response["Cache-Control"]
    assert response["ETag"]


def test_add_and_remove_are_plain_links_that_work_without_javascript(client, three):
    page = client.get(PAGE + "?e=knee-walking").content.decode()
    assert 'href="/routine/?e=cat-and-cow,knee-walking"' in page
    assert 'href="/routine/"' in page  # removing the only exercise
    assert "Add Pelvic tilts" in page


def test_an_unknown_exercise_is_left_out_with_a_clear_message(client, three):
    response = client.get(PAGE, {"e": "knee-walking,headstand"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "We could not find an exercise called “headstand”" in page
    assert "1 exercise in your routine" in page


def test_a_draft_exercise_cannot_be_put_in_a_routine(client):
    ExerciseFactory(slug="secret", draft=True)
    page = client.get(PAGE, {"e": "secret"}).content.decode()
    assert "We could not find an exercise called “secret”" in page


def test_a_duplicate_is_listed_once_with_a_message(client, three):
    page = client.get(PAGE, {"e": "knee-walking,knee-walking"}).content.decode()
    assert "was in the routine twice" in page
    assert "1 exercise in your routine" in page


def test_more_than_twelve_keeps_the_first_twelve_with_a_message(client):
    for n in range(14):
        ExerciseFactory(slug=f"move-{n:02d}")
    page = client.get(PAGE, {"e": ",".join(f"move-{n:02d}" for n in range(14))}).content.decode()
    assert "A routine holds at most 12 exercises" in page
    assert "12 exercises in your routine" in page
    assert "Your routine is full" in page


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "../../etc/passwd",
        "knee-walking' OR 1=1 --",
        "%00",
        "\x00knee",
        "a" * 5000,
        ",,,,",
        "knee_walking",
        "ünïcode-slug",
    ],
)
def test_hostile_values_get_a_clear_page_never_an_error(client, three, hostile):
    response = client.get(PAGE, {"e": hostile})
    assert response.status_code in (200, 301)
    body = response.content.decode()
    assert "<script>alert(1)" not in body


def test_several_e_parameters_are_read_together(client, three):
    response = client.get(PAGE + "?e=pelvic-tilts&e=knee-walking")
    assert response.status_code == 301
    assert response.url == PAGE + "?e=knee-walking,pelvic-tilts"


def test_an_empty_routine_explains_how_to_start(client, three):
    page = client.get(PAGE).content.decode()
    assert "Your routine is empty" in page
    assert "Add Knee walking" in page


def test_requested_slugs_keep_order_and_report_each_problem():
    slugs, problems = routines.requested_slugs(["b-move, a-move ,b-move,<x>"])
    assert slugs == ["b-move", "a-move"]
    assert len(problems) == 2


def test_the_print_view_shows_every_exercise_of_the_routine(client, three):
    StepFactory(exercise=three[0], text="Slide one knee forwards.")
    page = client.get(reverse("routine:print"), {"e": "knee-walking,pelvic-tilts"}).content.decode()
    assert "Knee walking" in page
    assert "Pelvic tilts" in page
    assert "Slide one knee forwards." in page
    assert "Cat and cow" not in page


def test_the_routine_pdf_has_its_exercises_and_an_etag(client, three):
    url = reverse("routine:pdf") + "?e=knee-walking,pelvic-tilts"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "My back-care routine" in text
    assert "Knee walking" in text
    assert "Pelvic tilts" in text
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_an_empty_routine_has_no_pdf_but_goes_back_to_the_routine(client):
    response = client.get(reverse("routine:pdf"), {"e": "nothing-here"})
    assert response.status_code == 301
    assert response.url == PAGE


def test_the_routine_page_query_count_does_not_grow_with_its_exercises(client, django_assert_num_queries):
    for n in range(12):
        ExerciseFactory(slug=f"move-{n:02d}")
    # The routine's exercises, and all the others to add.
    with django_assert_num_queries(2):
        client.get(PAGE + "?e=" + ",".join(f"move-{n:02d}" for n in range(12)))


def test_a_routine_pdf_is_built_once_for_everyone_who_asks(client, three, monkeypatch):
    from exercises import handouts

    calls = []
    real = handouts.render_pdf
    monkeypatch.setattr(handouts, "render_pdf", lambda *args: calls.append(1) or real(*args))
    url = reverse("routine:pdf") + "?e=knee-walking"
    first = client.get(url)
    second = client.get(url)
    assert first.content == second.content
    assert len(calls) == 1


# --- PDF builds the public cannot exhaust (exercises/builds.py) -------------------------


@pytest.fixture
def counted_builds(monkeypatch):
    """Every routine PDF build, counted; each makes a small stand-in PDF instead of running WeasyPrint."""
    from exercises import builds, handouts

    builds.reset()
    calls = []

    def build(text, exercises):
        calls.append([exercise.slug for exercise in exercises])
        return b"%PDF-1.7 " + ",".join(exercise.slug for exercise in exercises).encode()

    monkeypatch.setattr(handouts, "render_pdf", build)
    yield calls
    builds.reset()


@pytest.fixture
def five():
    return [
        ExerciseFactory(slug=slug)
        for slug in ("bridge", "cat-and-cow", "knee-walking", "pelvic-tilts", "twist")
    ]


def thirty_routines(exercises) -> list[str]:
    from itertools import combinations

    slugs = [exercise.slug for exercise in exercises]
    subsets = [subset for size in range(1, len(slugs) + 1) for subset in combinations(slugs, size)]
    return [reverse("routine:pdf") + "?e=" + ",".join(subset) for subset in subsets[:30]]


def test_thirty_different_routine_pdfs_from_one_address_cost_three_builds(
    client, five, counted_builds, settings
):
    assert builds.PER_ADDRESS == 3
    statuses = [client.get(url, REMOTE_ADDR="192.0.2.7").status_code for url in thirty_routines(five)]
    assert len(counted_builds) == 3
    assert statuses.count(200) == 3
    assert statuses.count(429) == 27


def test_past_the_limit_the_reader_is_told_when_to_come_back_and_given_the_print_view(
    client, five, counted_builds
):
    urls = thirty_routines(five)
    for url in urls[:3]:
        client.get(url, REMOTE_ADDR="192.0.2.7")
    response = client.get(urls[3], REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "Too many PDFs at once" in page
    assert f'href="{reverse("routine:print")}?e=' in page
    assert "<script" not in page.split("<main", 1)[-1].split("</main>", 1)[0]


def test_the_page_past_the_limit_is_in_welsh_at_a_welsh_address(client, five, counted_builds):
    urls = ["/cy" + url for url in thirty_routines(five)]
    for url in urls[:3]:
        assert client.get(url, REMOTE_ADDR="192.0.2.7").status_code == 200
    response = client.get(urls[3], REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Gormod o ffeiliau PDF ar unwaith" in page
    assert 'href="/cy/routine/print/?e=' in page


def test_another_address_still_gets_its_own_builds(client, five, counted_builds):
    urls = thirty_routines(five)
    for url in urls[:4]:
        client.get(url, REMOTE_ADDR="192.0.2.7")
    assert client.get(urls[4], REMOTE_ADDR="198.51.100.9").status_code == 200


def test_one_ipv6_network_shares_one_allowance_whatever_its_addresses(client, five, counted_builds):
    statuses = [
        client.get(url, REMOTE_ADDR=f"2001:db8:1:2::{n + 1:x}").status_code
        for n, url in enumerate(thirty_routines(five)[:10])
    ]
    assert statuses.count(200) == 3
    assert len(counted_builds) == 3


def test_a_pdf_built_already_is_served_past_the_limit(client, five, counted_builds):
    urls = thirty_routines(five)
    first = client.get(urls[0], REMOTE_ADDR="192.0.2.7")
    for url in urls[1:6]:
        client.get(url, REMOTE_ADDR="192.0.2.7")
    again = client.get(urls[0], REMOTE_ADDR="192.0.2.7")
    assert again.status_code == 200
    assert again.content == first.content
    assert len(counted_builds) == 3


def test_the_limit_holds_while_the_cache_is_down(client, five, counted_builds, monkeypatch):
    from django.core.cache import cache

    def refuse(*args, **kwargs):
        raise ConnectionError("Redis is down")

    for method in ("get", "get_many", "set", "add", "incr", "delete"):
        monkeypatch.setattr(cache, method, refuse)
    statuses = [client.get(url, REMOTE_ADDR="192.0.2.7").status_code for url in thirty_routines(five)]
    assert len(counted_builds) == 3
    assert statuses.count(429) == 27


def test_a_build_beyond_the_concurrent_cap_is_answered_at_once_not_queued(client, five, counted_builds):
    import threading

    from exercises import builds

    started, finish = threading.Event(), threading.Event()

    def slow_build():
        started.set()
        finish.wait(timeout=10)
        return b"%PDF"

    other = threading.Thread(
        target=builds.build_once, args=("another-routine", slow_build), kwargs={"ip": "x"}
    )
    other.start()
    try:
        assert started.wait(timeout=10)
        response = client.get(thirty_routines(five)[0], REMOTE_ADDR="192.0.2.7")
    finally:
        finish.set()
        other.join()
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "We are making other PDFs just now." in response.content.decode()
    assert counted_builds == []
    assert client.get(thirty_routines(five)[0], REMOTE_ADDR="192.0.2.7").status_code == 200


def test_a_routine_pdf_that_failed_is_not_built_again_for_a_while(client, five, counted_builds, monkeypatch):
    from exercises import handouts

    def broken(text, exercises):
        counted_builds.append("failed")
        raise OSError("fonts missing")

    monkeypatch.setattr(handouts, "render_pdf", broken)
    url = thirty_routines(five)[0]
    responses = [client.get(url, REMOTE_ADDR=f"192.0.2.{n}") for n in range(1, 4)]
    assert [response.status_code for response in responses] == [503, 503, 503]
    assert counted_builds == ["failed"]
    assert int(responses[-1]["Retry-After"]) > 500
    assert f'href="{reverse("routine:print")}?e=bridge"' in responses[-1].content.decode()


def test_the_same_exercises_asked_in_any_order_are_one_pdf(client, five, counted_builds):
    first = client.get(reverse("routine:pdf") + "?e=twist,bridge", REMOTE_ADDR="192.0.2.7")
    second = client.get(reverse("routine:pdf") + "?e=bridge,twist", REMOTE_ADDR="198.51.100.9")
    assert first["ETag"] == second["ETag"]
    assert counted_builds == [["bridge", "twist"]]


def test_changing_a_step_gives_the_routine_a_new_pdf(client, five, counted_builds):
    step = StepFactory(exercise=five[0], text="Lift your hips.")
    url = reverse("routine:pdf") + "?e=bridge"
    before = client.get(url)
    step.text = "Lift your hips slowly."
    step.save()
    after = client.get(url)
    assert before["ETag"] != after["ETag"]
    assert len(counted_builds) == 2


def test_a_routine_another_process_is_building_is_not_built_twice(client, five, counted_builds):
    from django.core.cache import cache

    from exercises import handouts

    url = thirty_routines(five)[0]
    key = handouts.routine_key([five[0]], language="en-gb")
    cache.add(f"exercises:pdf-building:routine:{key}", 1)  # what the other process said
    response = client.get(url, REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert counted_builds == []
