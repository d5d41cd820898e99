"""Offline reading (issue 23): the service worker the site serves, the rules it keeps pages by,
the web app manifests and their icons. The worker's behaviour in a browser: tests/browser/test_offline.py."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from PIL import Image

from backcare.offline import views as offline
from comments import tokens
from tests.factories import ExerciseFactory
from tests.project.test_security import PRODUCTION_ENV, csp_directives, manage

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent.parent
ORIGIN = "http://testserver"
# Loads the worker as served into a bare context, as a browser would, and answers for each case
# either what refusal() says about a response or whether the fetch listener answers a request.
HARNESS = r"""
const vm = require("vm");
const fs = require("fs");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const listeners = {};
const never = () => new Promise(() => {});
const context = vm.createContext({
  self: { location: new URL(input.origin), addEventListener: (type, listener) => { listeners[type] = listener; } },
  URL, Headers, Response, fetch: never, caches: { match: never, open: never, keys: never }, setTimeout: never,
});
vm.runInContext(input.worker, context);

function dispatch(c) {
  let given = null;
  listeners.fetch({ request: { method: c.method, url: new URL(c.url, input.origin).href, mode: c.mode || "navigate" },
                    respondWith: (answer) => { given = answer; }, waitUntil: () => {} });
  return given;
}

// What the reader gets: the network's page, the kept copy, the offline page, or a network error.
async function answer(c) {
  context.fetch = { ok: () => Promise.resolve(new Response("network")), fails: () => Promise.reject(new TypeError("offline")),
                    slow: never }[c.network];
  context.setTimeout = c.network === "slow" ? (wait) => wait() : never;
  context.caches = { open: never, match: (url, options) => Promise.resolve(
    options.cacheName === "backcare-pages" ? (c.kept ? new Response("kept copy") : undefined)
      : (/\/offline\/$/.test(url) ? new Response("offline page " + url) : undefined)) };
  try { return await (await dispatch(c)).text(); } catch (error) { return "network error"; }
}

async function main() {
  const results = [];
  for (const c of input.cases) {
    if (c.kind === "fetch") {
      results.push(dispatch(c) ? "answered" : "untouched");
    } else if (c.kind === "answer") {
      results.push(await answer(c));
    } else {
      const r = c.response;
      results.push(context.refusal(c.method, new URL(c.url, input.origin), {
        type: r.type || "basic", redirected: Boolean(r.redirected), status: r.status, headers: new Headers(r.headers),
      }));
    }
  }
  process.stdout.write(JSON.stringify(results));
}
main();
"""


@pytest.fixture(autouse=True)
def _fresh_worker():
    offline.worker_script.cache_clear()
    yield
    offline.worker_script.cache_clear()


def served_worker(client: Client) -> str:
    response = client.get("/sw.js")
    assert response.status_code == 200
    return response.content.decode()


def worker_config(first_line: str) -> dict:
    """The worker's first line, ``const OFFLINE = {...};``, read back."""
    assert first_line.startswith("const OFFLINE = ")
    return json.loads(first_line.removeprefix("const OFFLINE = ").rstrip(";"))


def run_worker(worker: str, cases: list[dict]) -> list[str]:
    node = shutil.which("node")
    assert node, "Node.js runs the worker's rules (Debian's nodejs, as for the other npm tools)"
    result = subprocess.run(
        [node, "-e", HARNESS],
        input=json.dumps({"origin": ORIGIN, "worker": worker, "cases": cases}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def as_served(response) -> dict:
    """What the worker sees of a Django response (browsers hide Set-Cookie; the rules check it anyway)."""
    headers = dict(response.items())
    if response.cookies:
        headers["Set-Cookie"] = ", ".join(morsel.OutputString() for morsel in response.cookies.values())
    return {"status": response.status_code, "headers": headers}


def refusals(client: Client, requests: list[tuple[str, str, dict]]) -> list[str]:
    cases = [
        {"kind": "rule", "method": method, "url": url, "response": response}
        for method, url, response in requests
    ]
    return run_worker(served_worker(Client()), cases)


# --- The worker as served --------------------------------------------------------------------


def test_the_worker_is_served_from_the_root_as_javascript_that_is_always_revalidated(client):
    response = client.get("/sw.js")
    assert reverse("service_worker") == "/sw.js"  # scope "/": both / and /cy/, no Service-Worker-Allowed
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert "no-cache" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]  # nginx's micro-cache keeps only public pages
    assert "Service-Worker-Allowed" not in response
    assert not response.cookies
    again = client.get("/sw.js", headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304
    assert client.get("/cy/sw.js").status_code == 404


def test_the_registration_script_is_an_external_file_on_every_page_of_both_languages(client):
    for home, manifest in (("/", "/manifest.webmanifest"), ("/cy/", "/cy/manifest.webmanifest")):
        html = client.get(home).content.decode()
        assert re.search(
            r'<script src="/static/js/offline\.js" integrity="sha384-[^"]+" defer></script>', html
        )
        assert f'<link rel="manifest" href="{manifest}">' in html
    source = finders.find("js/offline.js")
    assert source is not None
    assert 'register("/sw.js", { scope: "/" })' in Path(source).read_text()


def test_the_policy_lets_our_pages_load_the_worker_and_the_manifest_and_nothing_else(client):
    directives = csp_directives(client.get("/")["Content-Security-Policy"])
    assert directives["worker-src"] == "worker-src 'self'"
    assert directives["manifest-src"] == "manifest-src 'self'"


def test_the_worker_precaches_our_stylesheets_scripts_and_every_drawing(client):
    config = worker_config(served_worker(client).split("\n", 1)[0])
    drawings = sorted(Path(BASE_DIR / "exercises" / "static" / "exercises" / "drawings").glob("*.svg"))
    expected = [
        "/static/vendor/bootstrap/css/bootstrap.min.css",
        "/static/css/site.css",
        "/static/css/print.css",
        "/static/css/handout.css",
        "/static/js/site.js",
        "/static/js/routine.js",
        "/static/js/follow.js",
        "/static/js/offline.js",
        "/static/js/offline-page.js",
        *(f"/static/exercises/drawings/{drawing.name}" for drawing in drawings),
    ]
    assert len(drawings) > 10
    assert set(expected) <= set(config["precache"])
    assert "/static/css/admin.css" not in config["precache"]
    assert config["offline"] == {"en": "/offline/", "cy": "/cy/offline/"}
    for url in config["precache"] + list(config["offline"].values()):
        response = client.get(url)
        response.close()  # a static file is a streaming response: close its file
        assert response.status_code == 200, url


def test_a_changed_static_file_makes_a_new_worker_and_cache(client, settings, tmp_path):
    before = client.get("/sw.js")["ETag"]
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "follow.js").write_text("// a new release of follow-along\n")
    settings.STATICFILES_DIRS = [tmp_path, *settings.STATICFILES_DIRS]
    offline.worker_script.cache_clear()
    after = client.get("/sw.js")
    assert after["ETag"] != before
    assert f'"version":"{after["ETag"].strip(chr(34))}"' in after.content.decode()


def test_in_production_the_worker_precaches_the_hashed_names_and_a_release_is_a_new_cache(tmp_path):
    env = {**PRODUCTION_ENV, "DJANGO_STATIC_ROOT": str(tmp_path)}
    assert manage("collectstatic", "--no-input", "-v0", env=env).returncode == 0
    show = "from backcare.offline.views import worker_script; print(worker_script()[0].splitlines()[0])"
    first = manage("shell", "-c", show, env={**env, "BACKCARE_RELEASE": "one"})
    second = manage("shell", "-c", show, env={**env, "BACKCARE_RELEASE": "two"})
    assert first.returncode == 0, first.stderr
    config = worker_config(first.stdout.strip().splitlines()[-1])
    hashed = re.compile(r"^/static/.+\.[0-9a-f]{12}\.(css|js|svg)$")
    assert config["precache"]
    assert all(hashed.match(url) for url in config["precache"]), config["precache"]
    for url in config["precache"]:
        assert (tmp_path / url.removeprefix("/static/")).is_file(), url
    assert worker_config(second.stdout.strip().splitlines()[-1])["version"] != config["version"]


# --- What the worker keeps and refuses --------------------------------------------------------

PUBLIC = {"Cache-Control": "public, max-age=60", "Vary": "Cookie", "Content-Type": "text/html; charset=utf-8"}


@pytest.mark.parametrize(
    ("method", "url", "response", "why"),
    [
        ("POST", "/exercises/knee-walking/", {"status": 200, "headers": PUBLIC}, "not a GET"),
        ("GET", "/admin/", {"status": 200, "headers": PUBLIC}, "not a page kept offline"),
        ("GET", "/accounts/login/", {"status": 200, "headers": PUBLIC}, "not a page kept offline"),
        ("GET", "/cy/accounts/login/", {"status": 200, "headers": PUBLIC}, "not a page kept offline"),
        ("GET", "/comments/reply/1/", {"status": 200, "headers": PUBLIC}, "not a page kept offline"),
        ("GET", "/classes/", {"status": 200, "headers": PUBLIC}, "not a page kept offline"),
        ("GET", "/exercises/feed/", {"status": 200, "headers": PUBLIC}, "not a page kept offline"),
        ("GET", "/exercises/knee-walking/?comments_page=2", {"status": 200, "headers": PUBLIC}, "not a page kept offline"),
        ("GET", "/routine/?e=cat-and-cow&utm_source=x", {"status": 200, "headers": PUBLIC}, "not a page kept offline"),
        ("GET", "http://elsewhere.example.org/exercises/", {"status": 200, "headers": PUBLIC}, "not a page kept offline"),
        ("GET", "/exercises/knee-walking/", {"status": 200, "headers": {**PUBLIC, "Set-Cookie": "sessionid=x"}}, "sets a cookie"),
        ("GET", "/exercises/knee-walking/", {"status": 200, "headers": {"Cache-Control": "private, no-cache", "Vary": "Cookie"}}, "private"),
        ("GET", "/routine/handout.pdf?e=cat-and-cow", {"status": 200, "headers": {"Cache-Control": "no-store"}}, "private"),
        ("GET", "/exercises/knee-walking/", {"status": 200, "headers": {"Vary": "Cookie"}}, "not public"),
        ("GET", "/exercises/knee-walking/", {"status": 200, "headers": {**PUBLIC, "Vary": "*"}}, "varies by who asks"),
        ("GET", "/exercises/knee-walking/", {"status": 200, "headers": {**PUBLIC, "Vary": "Authorization"}}, "varies by who asks"),
        ("GET", "/exercises/knee-walking/", {"status": 200, "redirected": True, "headers": PUBLIC}, "redirected"),
        ("GET", "/exercises/knee-walking/", {"status": 0, "type": "opaqueredirect", "headers": {}}, "not our own answer"),
        ("GET", "/exercises/knee-walking/", {"status": 404, "headers": PUBLIC}, "status 404"),
        ("GET", "/exercises/knee-walking/", {"status": 503, "headers": PUBLIC}, "status 503"),
        ("GET", "/exercises/knee-walking/", {"status": 200, "headers": PUBLIC}, ""),
        ("GET", "/cy/exercises/knee-walking/follow/", {"status": 200, "headers": PUBLIC}, ""),
        ("GET", "/cy/routine/print/?e=cat-and-cow,knee-walking", {"status": 200, "headers": PUBLIC}, ""),
        ("GET", "/exercises/handouts/back-care.pdf", {"status": 200, "headers": {"Cache-Control": "public, max-age=604800"}}, ""),
    ],
)  # fmt: skip
def test_the_worker_refuses_what_must_never_be_kept(client, method, url, response, why):
    assert refusals(client, [(method, url, response)]) == [why]


def test_the_worker_never_answers_forms_the_admin_or_sign_in_and_answers_kept_pages(client):
    requests = [
        ("POST", "/comments/post/"),
        ("POST", "/routine/"),
        ("GET", "/admin/"),
        ("GET", "/admin/login/"),
        ("GET", "/accounts/login/"),
        ("GET", "/cy/accounts/login/"),
        ("GET", "https://elsewhere.example.org/"),
        ("GET", "/exercises/knee-walking/"),
        ("GET", "/cy/routine/follow/?e=cat-and-cow"),
        ("GET", "/classes/"),  # answered from the network, or the offline page: never stored
    ]
    cases = [{"kind": "fetch", "method": method, "url": url} for method, url in requests]
    answers = run_worker(served_worker(client), cases)
    assert answers == ["untouched"] * 7 + ["answered"] * 3


@pytest.mark.parametrize(
    ("url", "mode", "network", "kept", "reader_gets"),
    [
        ("/exercises/knee-walking/", "navigate", "ok", True, "network"),
        ("/exercises/knee-walking/", "navigate", "fails", True, "kept copy"),
        ("/exercises/knee-walking/", "navigate", "slow", True, "kept copy"),  # a weak signal
        ("/cy/routine/?e=cat-and-cow", "navigate", "fails", False, "offline page /cy/offline/"),
        ("/routine/handout.pdf?e=cat-and-cow", "no-cors", "fails", False, "network error"),
        ("/classes/", "navigate", "fails", False, "offline page /offline/"),
        ("/cy/classes/", "navigate", "fails", False, "offline page /cy/offline/"),
        ("/classes/", "navigate", "ok", False, "network"),
    ],
)
def test_a_kept_page_comes_from_the_network_first_then_the_copy_then_the_offline_page(
    client, url, mode, network, kept, reader_gets
):
    case = {"kind": "answer", "method": "GET", "url": url, "mode": mode, "network": network, "kept": kept}
    assert run_worker(served_worker(client), [case]) == [reader_gets]


def test_the_pages_a_reader_opens_are_kept_only_as_every_visitor_gets_them(client, editor_client):
    exercise = ExerciseFactory(slug="knee-walking")
    kept = [
        exercise.get_absolute_url(),
        f"/cy{exercise.get_absolute_url()}",
        reverse("exercises:follow", args=[exercise.slug]),
        reverse("exercises:print", args=[exercise.slug]),
        reverse("exercises:list"),
        f"{reverse('routine:page')}?e=knee-walking",
        f"{reverse('routine:follow')}?e=knee-walking",
        f"{reverse('routine:print')}?e=knee-walking",
    ]
    visitor = Client()  # ``client`` is editor_client's, signed in
    anonymous = [("GET", url, as_served(visitor.get(url))) for url in kept]
    assert refusals(client, anonymous) == [""] * len(kept)

    # A signed-in reader, and one whose saved details or own comments are in a cookie: their pages
    # are their own (the worker keeps the shared copy instead, fetched without cookies).
    reader = Client()
    reader.cookies[tokens.OWN_COOKIE] = "signed-ids"
    personal = [("GET", url, as_served(editor_client.get(url))) for url in kept] + [
        ("GET", url, as_served(reader.get(url))) for url in kept
    ]
    answers = refusals(client, personal)
    assert len(answers) == 2 * len(kept)
    assert set(answers) <= {"private", "sets a cookie"}  # a signed-in page may also set the CSRF cookie


# --- The web app manifests -------------------------------------------------------------------


def site_css_colour(name: str) -> str:
    source = finders.find("css/site.css")
    assert source is not None
    found = re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{6}})", Path(source).read_text())
    assert found, name
    return found.group(1)


@pytest.mark.parametrize(
    ("path", "lang", "name", "start_url"),
    [
        ("/manifest.webmanifest", "en-GB", "BackCare: gentle help for sore backs", "/routine/#app"),
        ("/cy/manifest.webmanifest", "cy", "BackCare: help ysgafn i gefnau poenus", "/cy/routine/#app"),
    ],
)
def test_each_language_has_a_manifest_that_opens_my_routine_in_it(client, path, lang, name, start_url):
    response = client.get(path)
    assert response["Content-Type"] == "application/manifest+json; charset=utf-8"
    assert "public" in response["Cache-Control"]
    manifest = json.loads(response.content)
    assert manifest["lang"] == lang
    assert manifest["name"] == name
    assert manifest["short_name"] == "BackCare"
    assert manifest["start_url"] == start_url
    assert manifest["id"] == start_url.removesuffix("#app")  # two apps, one per language
    assert manifest["display"] == "standalone"
    assert client.get(manifest["start_url"]).status_code == 200
    assert manifest["theme_color"] == site_css_colour("bc-primary")
    assert manifest["background_color"] == site_css_colour("bc-paper")


def test_the_manifest_icons_exist_at_their_sizes_with_a_maskable_one(client):
    icons = json.loads(client.get("/manifest.webmanifest").content)["icons"]
    assert {(icon["sizes"], icon["purpose"]) for icon in icons} >= {
        ("192x192", "any"),
        ("512x512", "any"),
        ("512x512", "maskable"),
    }
    for icon in icons:
        source = finders.find(icon["src"].removeprefix("/static/"))
        assert source is not None, icon["src"]
        with Image.open(source) as image:
            assert image.format == "PNG"
            assert icon["type"] == "image/png"
            assert f"{image.width}x{image.height}" == icon["sizes"]
        response = client.get(icon["src"])
        response.close()
        assert response.status_code == 200


@pytest.mark.parametrize(
    ("path", "heading"), [("/offline/", "You are offline"), ("/cy/offline/", "Rydych chi all-lein")]
)
def test_the_offline_page_is_shared_and_says_what_to_do_in_each_language(client, path, heading):
    response = client.get(path)
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert "public" in response["Cache-Control"]  # the worker stores it at install, without cookies
    assert "data-offline-without-script" in html
    assert re.search(r'<script src="/static/js/offline-page\.js" integrity="sha384-', html)
