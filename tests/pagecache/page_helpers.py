"""What more than one page cache test file reads: the generation counters in the test cache."""


def generations_now() -> dict[str, object]:
    """Every generation counter in the (local-memory) test cache, by key."""
    from django.core.cache import cache

    from pagecache.keys import GENERATION_KEY, PATH_PREFIX, SCOPE_PREFIX

    keys = [key.split(":", 2)[2] for key in cache._cache]  # locmem keys are ":version:key"
    counters = [key for key in keys if key == GENERATION_KEY or key.startswith((SCOPE_PREFIX, PATH_PREFIX))]
    return cache.get_many(counters)
