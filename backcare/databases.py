"""The settings' database, from its URL: SQLite tuned for a few writers, PostgreSQL with a pool."""

from typing import Any

import dj_database_url

# IMMEDIATE transactions take the write lock at BEGIN, so two writers queue on the busy timeout
# instead of one failing with "database is locked" when it upgrades a read lock. WAL lets readers
# carry on during a write.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
    ),
}


def database(url: str, *, pool: bool, pool_max: int, pool_timeout: int) -> dict[str, Any]:
    """``DATABASES["default"]`` for ``url``. ``pool`` (PostgreSQL only): psycopg's pool of at most
    ``pool_max`` connections, waited for at most ``pool_timeout`` seconds (psycopg's default is
    30 s, as long as gunicorn's timeout): long enough to ride out a PostgreSQL restart, short
    enough to answer "try again" while it is down."""
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=0, conn_health_checks=True))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = dict(SQLITE_OPTIONS)
    elif config["ENGINE"] == "django.db.backends.postgresql" and pool:
        config["OPTIONS"] = {"pool": {"min_size": 2, "max_size": pool_max, "timeout": pool_timeout}}
        # The pool discards broken connections itself; a health check would cost a database
        # round trip on every request (22 % of a page view, bench/).
        config["CONN_HEALTH_CHECKS"] = False
    return config
