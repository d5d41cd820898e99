"""The two Redis of production, each with its password: the page Redis (deploy/redis/backcare.conf,
evicts pages when full) and the counters' Redis (deploy/redis/limits.conf, never evicts). A full page
Redis drops no limit counter; a full counters' Redis moves the counting to the database; an app
without the password works without a cache rather than failing."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator

import pytest
import redis

from .faults import Visitor
from .services import REDIS_PASSWORD, RedisServer, Server, orm, start_redis

pytestmark = pytest.mark.deploy

PAGE = "/exercises/knee-walking/"
LOCKED = "Too many failed sign-in attempts"
WRONG = "is not right"
LIMIT = 5  # ACCOUNT_LOGIN_FAILED_LIMIT, per account and address
COUNTERS = "backcare:1:allauth:rl:*"
SITE_GENERATION = "backcare:1:pagecache:generation"


@pytest.fixture(scope="module")
def small_redis(tmp_path_factory) -> Iterator[tuple[RedisServer, RedisServer]]:
    """Both Redis from their deploy/ files, with 2 MB each so a test can fill them."""
    pages = start_redis("backcare.conf", tmp_path_factory.mktemp("redis-pages"), "--maxmemory", "2mb")
    limits = start_redis("limits.conf", tmp_path_factory.mktemp("redis-limits"), "--maxmemory", "2mb")
    yield pages, limits
    pages.stop()
    limits.stop()


@pytest.fixture(scope="module")
def small_server(start_gunicorn, postgres_env, small_redis) -> Server:
    pages, limits = small_redis
    return start_gunicorn({**postgres_env, "REDIS_URL": pages.url, "REDIS_LIMITS_URL": limits.url})


def new_account(env: dict[str, str]) -> tuple[str, str]:
    login, password = f"reader-{secrets.token_hex(3)}", secrets.token_urlsafe(12)
    orm(
        env,
        "from django.contrib.auth import get_user_model\n"
        f"get_user_model().objects.create_user({login!r}, '{login}@example.org', {password!r})\n",
    )
    return login, password


def guess(visitor: Visitor, login: str, tries: int) -> list[str]:
    return [
        visitor.submit("/accounts/login/", {"login": login, "password": f"guess-{n}"}).text
        for n in range(tries)
    ]


def fill_past_maxmemory(store: redis.Redis) -> str:
    """Hold more than ``maxmemory`` (keys without a TTL up to the 2 MB ceiling, then a 1 MB one), so
    every write is refused from now on, not only the next large one; Redis's answer to a small write."""
    with contextlib.suppress(redis.exceptions.ResponseError):
        for n in range(20):
            store.set(f"filler-{n}", secrets.token_bytes(100_000))
    store.config_set("maxmemory", "1mb")
    try:
        store.set("one-more", "1")
    except redis.exceptions.ResponseError as error:
        return str(error)
    return "accepted"


def empty(store: redis.Redis) -> None:
    store.flushdb()
    store.config_set("maxmemory", "2mb")


def counted_in_database(env: dict[str, str]) -> int:
    return int(orm(env, "from pagecache.models import CountedLimit\nprint(CountedLimit.objects.count())"))


def a_new_address() -> str:
    return f"10.{secrets.randbelow(200) + 20}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"


def test_redis_refuses_a_client_without_the_password(redis_url, redis_limits_url):
    for url in (redis_url, redis_limits_url):
        without = redis.Redis.from_url(url.replace(f":{REDIS_PASSWORD}@", ""))
        with pytest.raises(redis.exceptions.AuthenticationError):
            without.ping()
        assert redis.Redis.from_url(url).ping()


def test_an_app_without_the_redis_password_serves_pages_and_sign_in_without_a_cache(
    start_gunicorn, postgres_env
):
    def without_password(url: str) -> str:
        return "redis://" + url.split("@", 1)[1]

    env = {
        **postgres_env,
        "REDIS_URL": without_password(postgres_env["REDIS_URL"]),
        "REDIS_LIMITS_URL": without_password(postgres_env["REDIS_LIMITS_URL"]),
    }
    server = start_gunicorn(env)
    login, _ = new_account(env)
    visitor = Visitor(server.url, a_new_address())
    pages = [visitor.get(path) for path in ("/", PAGE, PAGE, "/cy/")]
    answers = guess(visitor, login, LIMIT + 1)
    assert [page.status_code for page in pages] == [200] * 4
    assert {page.headers["X-Page-Cache"] for page in pages} == {"unavailable"}
    assert visitor.server_errors() == []
    assert LOCKED in answers[-1], "without Redis the limit is counted in the database"
    assert server.get("/healthz").json()["cache"] == "unavailable"


def test_filling_the_page_redis_to_its_maxmemory_drops_no_limit_counter(
    small_server, small_redis, postgres_env
):
    pages, limits = small_redis
    page_store, counter_store = redis.Redis.from_url(pages.url), redis.Redis.from_url(limits.url)
    login, _ = new_account(postgres_env)
    visitor = Visitor(small_server.url, a_new_address())
    assert all(WRONG in answer for answer in guess(visitor, login, LIMIT - 2))
    visitor.get(PAGE)
    assert visitor.get(PAGE).headers["X-Page-Cache"] == "hit"
    counters = set(counter_store.keys(COUNTERS))
    assert counters

    # Pages as the page cache writes them (with a TTL), 20 times what fits.
    for n in range(400):
        page_store.set(f"backcare:1:pagecache:page:filler-{n}", secrets.token_bytes(100_000), ex=3600)
    assert page_store.info("stats")["evicted_keys"] > 0

    assert set(counter_store.keys(COUNTERS)) == counters
    assert page_store.exists(SITE_GENERATION), "the site-wide page generation has no TTL: never evicted"
    last_tries = guess(visitor, login, 3)
    assert [LOCKED in answer for answer in last_tries] == [False, False, True]
    assert visitor.server_errors() == []


def test_a_full_counters_redis_counts_in_the_database_and_still_refuses_the_sixth_wrong_password(
    small_server, small_redis, postgres_env
):
    _, limits = small_redis
    counter_store = redis.Redis.from_url(limits.url)
    assert "maxmemory" in fill_past_maxmemory(counter_store)  # noeviction: full means writes are refused
    counted_before = counted_in_database(postgres_env)
    login, password = new_account(postgres_env)
    visitor = Visitor(small_server.url, a_new_address())
    answers = guess(visitor, login, LIMIT + 1)
    right_one = visitor.submit("/accounts/login/", {"login": login, "password": password})
    counted_after = counted_in_database(postgres_env)
    empty(counter_store)
    assert visitor.server_errors() == []
    assert [LOCKED in answer for answer in answers] == [False] * LIMIT + [True]
    assert LOCKED in right_one.text
    assert counted_after > counted_before
