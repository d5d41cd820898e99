"""The page cache's two tables moved from backcare to pagecache without touching the database."""

from datetime import UTC, datetime

import pytest
from django.conf import settings

from pagecache.models import CountedLimit, MissedPageInvalidation
from tests.migrations import migrate_to, migrate_to_the_end


def test_the_counts_cache_uses_the_table_of_the_counted_limit_model():
    assert settings.CACHES["counts"]["LOCATION"] == CountedLimit._meta.db_table


@pytest.mark.django_db(transaction=True)
def test_missed_invalidations_and_counts_keep_their_rows_when_the_models_move_to_pagecache():
    before = migrate_to([("backcare", "0004_admin_language_moves_to_accounts"), ("pagecache", None)])
    expires = datetime(2030, 1, 1, tzinfo=UTC)
    try:
        missed = before.get_model("backcare", "MissedPageInvalidation").objects.create()
        before.get_model("backcare", "CountedLimit").objects.create(
            cache_key=":1:rl:192.0.2.1", value="3", expires=expires
        )
    finally:
        migrate_to_the_end()
    assert list(MissedPageInvalidation.objects.values_list("pk", flat=True)) == [missed.pk]
    assert list(CountedLimit.objects.values_list("cache_key", "value", "expires")) == [
        (":1:rl:192.0.2.1", "3", expires)
    ]
