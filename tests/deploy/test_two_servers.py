"""Two app servers on one PostgreSQL and one Redis: a change made through one shows through the other at once."""

import re
import secrets

import httpx
import pytest

from .services import orm

pytestmark = pytest.mark.deploy

PAGE = "/exercises/knee-walking/"


class Cookies:
    """A cookie jar that also sends the Secure cookies production sets (these servers speak plain HTTP)."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def keep(self, response: httpx.Response) -> httpx.Response:
        for raw in response.headers.get_list("set-cookie"):
            name, _, value = raw.split(";", 1)[0].partition("=")
            self.values[name.strip()] = value
        return response

    @property
    def header(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.values.items())}


def csrf_token(response: httpx.Response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)


def admin_login(server, username: str, password: str) -> Cookies:
    """Sign in through the staff door: the admin's login hands over to the sign-in page."""
    cookies = Cookies()
    form = cookies.keep(server.get("/accounts/login/?next=/admin/"))
    response = cookies.keep(
        httpx.post(
            server.url + "/accounts/login/?next=/admin/",
            data={"login": username, "password": password, "csrfmiddlewaretoken": csrf_token(form)},
            headers={**cookies.header, "Origin": server.url},
            timeout=10,
        )
    )
    assert response.status_code == 302, response.text[:2000]
    assert "sessionid" in cookies.values
    return cookies


def test_a_page_rendered_by_one_server_is_served_from_the_shared_cache_by_the_other(server_a, server_b):
    site = {"Host": "127.0.0.1"}  # what nginx sends every app server: the site's name, not a server's port
    server_b.get(PAGE, headers=site)
    assert server_b.get(PAGE, headers=site).headers["X-Page-Cache"] == "hit"
    assert server_a.get(PAGE, headers=site).headers["X-Page-Cache"] == "hit"


def test_a_page_is_kept_apart_for_each_host_it_is_asked_for_under(server_a):
    server_a.get("/robots.txt", headers={"Host": "127.0.0.1"})
    other = server_a.get("/robots.txt", headers={"Host": "127.0.0.1:8080"})
    assert other.headers["X-Page-Cache"] == "miss"
    assert "Sitemap: http://127.0.0.1:8080/sitemap.xml" in other.text


def test_an_edit_in_server_a_admin_shows_at_once_through_server_b(server_a, server_b, postgres_env):
    username, password = f"editor-{secrets.token_hex(3)}", secrets.token_urlsafe(16)
    category_pk = orm(
        postgres_env,
        "from django.contrib.auth import get_user_model\n"
        f"get_user_model().objects.create_superuser({username!r}, 'ed@example.org', {password!r})\n"
        "from exercises.models import Category\n"
        "print(Category.objects.get(slug='gentle-start').pk)\n",
    ).strip()
    server_b.get(PAGE)
    assert server_b.get(PAGE).headers["X-Page-Cache"] == "hit"

    cookies = admin_login(server_a, username, password)
    change = f"/admin/exercises/category/{category_pk}/change/"
    form = cookies.keep(server_a.get(change, headers=cookies.header))
    new_name = f"Gentle start {secrets.token_hex(3)}"
    saved = httpx.post(
        server_a.url + change,
        data={
            "name_en_gb": new_name,
            "name_cy": "",
            "slug": "gentle-start",
            "description_en_gb": "",
            "description_cy": "",
            "position": "0",
            "csrfmiddlewaretoken": csrf_token(form),
            "_save": "Save",
        },
        headers={**cookies.header, "Origin": server_a.url},
        timeout=10,
    )
    assert saved.status_code == 302, saved.text[:2000]

    page = server_b.get(PAGE)
    assert page.headers["X-Page-Cache"] == "miss"
    assert new_name in page.text


def test_an_edit_through_the_orm_of_a_third_process_shows_at_once_on_both_servers(
    server_a, server_b, postgres_env
):
    server_a.get(PAGE)
    server_b.get(PAGE)
    title = f"Knee walking {secrets.token_hex(3)}"
    orm(
        postgres_env,
        "from exercises.models import Exercise\n"
        "exercise = Exercise.objects.get(slug='knee-walking')\n"
        f"exercise.title = {title!r}\n"
        "exercise.save()\n",
    )
    assert title in server_a.get(PAGE).text
    assert title in server_b.get(PAGE).text
