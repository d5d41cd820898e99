"""comments/flood.py: one comment per visitor every few seconds, a whole IPv6 /64 counting as one."""

import pytest

from comments.models import Comment

pytestmark = pytest.mark.django_db

ONE_SLASH_64 = [f"2001:db8:ab:cd::{n:x}" for n in range(1, 6)]


def test_five_addresses_in_one_ipv6_slash_64_post_one_comment_in_the_flood_window(post_comment, exercise):
    statuses = [
        post_comment(
            exercise, email=f"reader{n}@example.org", text=f"Question {n}", remote_addr=address
        ).status_code
        for n, address in enumerate(ONE_SLASH_64)
    ]
    assert statuses == [302, 429, 429, 429, 429]
    assert Comment.objects.count() == 1


def test_another_slash_64_is_another_visitor(post_comment, exercise):
    post_comment(exercise, email="one@example.org", remote_addr="2001:db8:ab:cd::1")
    response = post_comment(exercise, email="two@example.org", remote_addr="2001:db8:ab:ce::1")
    assert response.status_code == 302
