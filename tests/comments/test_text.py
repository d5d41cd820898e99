"""comments/text.py: what counts as a link, and link text that always shows the real host."""

import akismet
import pytest

from comments import lifecycle, tasks, text
from comments.templatetags.comments import comment_text

from .factories import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("written", "links"),
    [
        ("cheap-pills.com/buy casino.net/win", 2),
        ("write to offers@example.org or see www.example.org", 2),
        ("https://one.example.org and http://two.example.org", 2),
        ("My back is stiff. So is my neck.", 0),
        ("e.g. lie down, i.e. rest", 0),
    ],
)
def test_links_are_counted_as_urlize_would_make_them(written, links):
    assert text.count_links(written) == links
    assert str(comment_text(written)).count("<a ") == links


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_two_bare_domains_hold_a_comment_for_a_person(akismet_sync_client, exercise):
    CommentFactory(on=exercise, email="gwen@example.org")
    comment = lifecycle.receive(
        CommentFactory.build(on=exercise, email="gwen@example.org", text="cheap-pills.com/buy casino.net/win")
    )
    tasks.check_now(comment, client=akismet_sync_client)
    assert (comment.status, comment.held_reason) == ("pending", "2 or more links")


def test_link_text_shows_the_real_host_not_a_look_alike_user_name():
    html = str(comment_text("https://backcare.example.org-" + "x" * 80 + "@evil.example/x"))
    shown = html.split(">", 2)[2].split("</a>")[0] if "<a " in html else ""
    assert shown.startswith("evil.example")
    assert "backcare.example.org" not in shown


def test_long_link_text_keeps_the_whole_host_and_trims_the_path():
    html = str(comment_text("https://physio.example.org/" + "a" * 100))
    shown = html.split('">', 1)[1].split("</a>")[0]
    assert shown.startswith("physio.example.org/aaa")
    assert shown.endswith("…")
    assert len(shown) <= 60


def test_links_carry_nofollow_ugc_and_escape_what_was_typed():
    html = str(comment_text('<script>alert(1)</script> see https://example.org/?a="b"'))
    assert "<script>" not in html
    assert 'rel="nofollow ugc"' in html


def test_an_email_address_is_linked_whole():
    html = str(comment_text("mail me at gwen@example.org"))
    assert 'href="mailto:gwen@example.org"' in html
    assert ">gwen@example.org</a>" in html
