"""akismet_service/api.py: one client, always closed; what Akismet is told."""

import pytest

from akismet_service import api


def test_connect_closes_the_client_when_the_block_ends(configured_akismet, fake_akismet):
    with api.connect(transport=fake_akismet.transport()) as (client, _alerts):
        http = client._http_client
        assert not http.is_closed
    assert http.is_closed


def test_connect_closes_the_client_when_the_block_fails(configured_akismet, fake_akismet):
    opened = []

    def use_and_fail() -> None:
        with api.connect(transport=fake_akismet.transport()) as (client, _alerts):
            opened.append(client._http_client)
            raise RuntimeError("the caller failed")

    with pytest.raises(RuntimeError):
        use_and_fail()
    assert opened[0].is_closed


def test_without_a_key_connect_gives_no_client_and_a_check_says_why():
    with api.connect() as (client, _alerts):
        assert client is None
        result = api.check(api.Submission(user_ip="192.0.2.1", content="Hello"), client=client)
    assert (result.verdict, result.failure) == (api.Verdict.UNKNOWN, api.Failure.NOT_CONFIGURED)


def test_the_pages_language_is_sent_as_blog_lang(settings):
    assert api.Submission(user_ip="192.0.2.1", content="x").as_akismet_arguments()["blog_lang"] == "en_gb"
    welsh = api.Submission(user_ip="192.0.2.1", content="x", blog_lang="cy")
    assert welsh.as_akismet_arguments()["blog_lang"] == "cy"
