"""What the cache-guard tests share: a cache that fails as a stopped Redis does, bringing it back,
and a port nothing listens on."""

import socket

import redis

from pagecache.guard import guard, guarded

FAILING = ("get", "get_many", "set", "add", "incr", "delete", "set_many")


def refuse_like_a_stopped_redis(*args, **kwargs):
    """What the production backend (ResilientRedisCache) does when redis-py cannot connect."""

    def connect():
        raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    return guarded("the shared cache", connect)


def bring_cache_back(monkeypatch) -> None:
    monkeypatch.undo()
    guard._open_until = 0.0  # as if the breaker's pause (CACHE_RETRY_SECONDS) had passed


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
