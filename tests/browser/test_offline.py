"""Offline reading (issue 23), in a real browser: the service worker keeps the exercises, the routine
and follow-along a reader opened, and shows the offline page, in the page's language, for the rest."""

import time

import pytest

from backcare.offline import views as offline
from exercises import demo

ROUTINE = "/routine/?e=cat-and-cow,knee-walking,pelvic-tilts"


@pytest.fixture
def demo_exercises(transactional_db):
    return demo.load()


@pytest.fixture(autouse=True)
def _fresh_worker():
    """A test that changes the release leaves no worker of that release to the next test."""
    yield
    offline.worker_script.cache_clear()


@pytest.fixture
def console_errors(page) -> list[str]:
    """Every error the pages log (a failed script, an uncaught rejection from the registration)."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def wait_for_the_worker(page) -> None:
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def wait_until_kept(page, path: str) -> None:
    """The worker stores a page after answering it: wait until its cache has it."""
    deadline = time.monotonic() + 10
    while not page.evaluate("async path => Boolean(await caches.match(path, {ignoreVary: true}))", path):
        assert time.monotonic() < deadline, f"{path} was never kept offline"
        time.sleep(0.1)


def styled_and_drawn(page) -> bool:
    """Our stylesheet applies (the theme's skip link is off-screen) and every picture has loaded."""
    return page.evaluate(
        """() => getComputedStyle(document.querySelector('.skip-link')).position === 'absolute'
            && [...document.images].every(image => image.complete && image.naturalWidth > 0)"""
    )


def test_reader_reloads_an_exercise_and_the_routine_offline_and_follows_along_to_the_end(
    page, live_server, demo_exercises, console_errors, axe
):
    page.goto("/exercises/knee-walking/")
    wait_for_the_worker(page)
    page.goto(ROUTINE)
    page.evaluate(
        "url => fetch(url).then(response => response.status)", ROUTINE.replace("/?", "/handout.pdf?")
    )
    for path in ["/exercises/knee-walking/", ROUTINE, ROUTINE.replace("/?", "/follow/?")]:
        wait_until_kept(page, path)
    wait_until_kept(page, ROUTINE.replace("/?", "/handout.pdf?"))

    page.context.set_offline(True)
    page.reload()
    assert page.get_by_role("heading", name="3 exercises in your routine").is_visible()
    assert styled_and_drawn(page)
    pdf = page.evaluate(
        "url => fetch(url).then(r => [r.status, r.headers.get('content-type')])",
        ROUTINE.replace("/?", "/handout.pdf?"),
    )
    assert pdf == [200, "application/pdf"]

    page.goto("/exercises/knee-walking/")
    assert page.get_by_role("heading", name="Knee walking", level=1).is_visible()
    assert page.get_by_role("img", name="A person lying on their back on a mat, knees bent").is_visible()
    assert styled_and_drawn(page)

    page.goto(ROUTINE)
    page.get_by_role("link", name="Follow along, step by step").click()
    assert page.get_by_role("heading", name="Follow along: my routine").is_visible()
    progress = page.locator("[data-follow-progress]")
    progress.wait_for()
    total = page.locator("[data-card]").count()
    assert total > 10
    for _ in range(total - 1):
        page.get_by_role("button", name="Next").click()
    assert progress.inner_text().endswith(f"{total} of {total}")
    assert page.locator("[data-card]").last.is_visible()
    assert styled_and_drawn(page)
    assert console_errors == []


def test_an_unvisited_page_offline_shows_the_offline_page_with_what_is_kept(
    page, live_server, demo_exercises, console_errors, axe
):
    page.goto("/exercises/knee-walking/")
    wait_for_the_worker(page)
    page.goto(ROUTINE)
    # The worker keeps a page's follow-along after the page itself: the list below names both.
    for path in [ROUTINE, ROUTINE.replace("/?", "/follow/?"), "/exercises/knee-walking/"]:
        wait_until_kept(page, path)

    page.context.set_offline(True)
    page.goto("/classes/")
    assert page.get_by_role("heading", name="You are offline", level=1).is_visible()
    kept = page.get_by_role("list", name="Kept on this device")
    kept.get_by_role("link", name="Knee walking").first.wait_for()
    assert kept.get_by_role("link", name="My routine: 3 exercises in your routine").is_visible()
    assert kept.get_by_role("link", name="Follow along: my routine").is_visible()
    axe(page)
    kept.get_by_role("link", name="Knee walking", exact=True).click()
    assert page.get_by_role("heading", name="Knee walking", level=1).is_visible()

    page.goto("/cy/classes/")
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.get_by_role("heading", name="Rydych chi all-lein", level=1).is_visible()
    page.get_by_text("Does dim byd wedi’i gadw").wait_for()
    axe(page)
    assert console_errors == []


@pytest.mark.parametrize("javascript_enabled", [False])
def test_without_javascript_the_offline_page_says_what_to_do(page, live_server, demo_exercises):
    page.goto("/offline/")
    assert page.get_by_role("heading", name="You are offline", level=1).is_visible()
    assert page.get_by_text("use your browser’s Back button").is_visible()
    assert page.get_by_role("link", name="Try again").is_visible()


def static_caches(page) -> list[str]:
    return page.evaluate(
        "() => caches.keys().then(names => names.filter(name => name.startsWith('backcare-static-')))"
    )


def test_a_new_release_replaces_the_old_cache_and_keeps_the_pages(
    page, live_server, demo_exercises, settings
):
    page.goto(ROUTINE)
    wait_for_the_worker(page)
    wait_until_kept(page, ROUTINE)
    [old] = static_caches(page)

    settings.BACKCARE_RELEASE = "the-next-release"  # the live server runs in this process
    offline.worker_script.cache_clear()
    page.evaluate(
        "() => navigator.serviceWorker.getRegistration().then(registration => registration.update())"
    )
    deadline = time.monotonic() + 10
    while static_caches(page) in ([old], []) or len(static_caches(page)) != 1:
        assert time.monotonic() < deadline, f"the old cache stayed: {static_caches(page)}"
        time.sleep(0.1)
    [new] = static_caches(page)
    assert new != old
    wait_until_kept(page, ROUTINE)

    page.context.set_offline(True)
    page.reload()
    assert page.get_by_role("heading", name="3 exercises in your routine").is_visible()
    assert styled_and_drawn(page)


def test_the_installed_app_opens_on_the_routine_last_opened_even_offline(page, live_server, demo_exercises):
    page.goto(ROUTINE)  # routine.js remembers it
    wait_for_the_worker(page)
    wait_until_kept(page, ROUTINE)
    page.context.set_offline(True)
    page.goto("/routine/#app")  # the manifest's start_url
    page.wait_for_url(lambda url: url.endswith(ROUTINE))
    assert page.get_by_role("heading", name="3 exercises in your routine").is_visible()
