"""akismet_service/api.py: one client, always closed; what Akismet is told."""

import ssl
from datetime import UTC, datetime

import akismet
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


TEST_CONFIG = akismet.Config(key="test-key", url="http://127.0.0.1/")


@pytest.mark.django_db
@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.DISCARD)
def test_ask_answers_in_the_verdict_every_model_stores_and_records_the_answer(akismet_sync_class):
    from akismet_service import health
    from akismet_service.choices import Verdict

    result = api.ask(
        api.Submission(user_ip="192.0.2.1", content="x"), client=akismet_sync_class(config=TEST_CONFIG)
    )
    assert result.verdict is Verdict.DISCARD
    assert health.current().last_ok_at is not None


@pytest.mark.django_db
def test_tell_reports_and_records_a_failure(fake_akismet, configured_akismet):
    from akismet_service import health

    fake_akismet.answer("oops", status=500)
    with api.connect(transport=fake_akismet.transport()) as (client, _alerts):
        outcome = api.tell(api.Report.SPAM, api.Submission(user_ip="192.0.2.1", content="x"), client=client)
    assert (outcome.sent, outcome.failure) == (False, api.Failure.SERVER_ERROR)
    assert health.current().last_failure == "server-error"


def test_a_submission_of_a_saved_row_uses_akismets_names_and_tolerates_no_address():
    written = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    submission = api.Submission.of(
        "contact-form",
        ip=None,
        text="Hello",
        user_agent="Mozilla/5.0",
        referrer="https://example.org/",
        language="cy",
        written_at=written,
        author="Gwen",
    )
    assert submission == api.Submission(
        user_ip="",
        content="Hello",
        comment_type="contact-form",
        user_agent="Mozilla/5.0",
        referrer="https://example.org/",
        blog_lang="cy",
        comment_date_gmt=written,
        author="Gwen",
    )


def _tls_context_of(client: akismet.SyncClient):
    return client._http_client._transport._pool._ssl_context


@pytest.mark.parametrize("api_url", ["", "http://127.0.0.1:9"])
def test_every_check_reuses_the_processes_one_verifying_tls_context(configured_akismet, settings, api_url):
    """Building a TLS context reads the whole CA bundle (about 30 ms of CPU), and the task worker
    made a new client for every comment it checked: the context is made once per process."""
    settings.AKISMET_API_URL = api_url  # Akismet itself, or redirected (AKISMET_API_URL)
    with api.connect() as (first, _alerts), api.connect() as (second, _alerts):
        context = _tls_context_of(first)
        assert _tls_context_of(second) is context
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
