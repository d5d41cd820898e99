"""The intake for text from the public: ask Akismet whether it is spam, tell it when it was wrong.

The one home for Akismet calls: comments (``comment`` / ``reply``), enquiries to
teachers (``contact-form``), course-alert sign-ups (``signup``) and any later
form use it; it imports no app of ours. A form builds a ``Submission`` from
the row it saved (``Submission.of``), then calls ``ask`` (comment-check) or
``tell`` (submit-spam / submit-ham); both record Akismet's health for the
admin banner. The answer is a ``Verdict``, the same choices every model
stores; ``visitors.allowance`` is the matching rate limit (README, "Adding a
public form checked by Akismet").

Every call takes its Akismet client as an argument, so tests hand it one of
the library's test clients, or a real ``akismet.SyncClient`` pointed at a fake
server on 127.0.0.1. ``connect()`` makes the configured client and always
closes it.

A call never raises for a fault on Akismet's side or the network's: it
returns ``Verdict.UNKNOWN`` (or an unsent ``ReportResult``) with the reason,
and the caller keeps the content held and tries again later.
"""

from __future__ import annotations

import functools
import logging
import os
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import akismet
import httpx
from django.conf import settings

from . import health
from .choices import KEY_PROBLEMS, Failure, Report, Verdict
from .config import akismet_blog_url, is_configured

__all__ = [
    "KEY_PROBLEMS",
    "AlertRecorder",
    "CheckResult",
    "Failure",
    "Report",
    "ReportResult",
    "Submission",
    "Verdict",
    "akismet_blog_url",
    "ask",
    "check",
    "connect",
    "is_configured",
    "submit_ham",
    "submit_spam",
    "tell",
    "verify_key",
]

logger = logging.getLogger(__name__)

ALERT_CODE_HEADER = "X-akismet-alert-code"
ALERT_MESSAGE_HEADER = "X-akismet-alert-msg"


@dataclass(frozen=True)
class Submission:
    """Everything Akismet is told about one piece of content, as WordPress tells it."""

    user_ip: str
    content: str
    comment_type: str = "comment"  # "comment", "reply", "contact-form" or "signup"
    user_agent: str = ""
    referrer: str = ""
    permalink: str = ""
    author: str = ""
    author_email: str = ""
    author_url: str = ""
    comment_date_gmt: datetime | None = None
    post_modified_gmt: datetime | None = None
    honeypot_field_name: str = ""
    honeypot_value: str = ""
    recheck_reason: str = ""
    # The language of the page the content was written on ("en_gb", "cy"); the
    # site's language when not given.
    blog_lang: str = ""

    def as_akismet_arguments(self) -> dict[str, str | bool]:
        arguments: dict[str, str | bool] = {
            "comment_content": self.content,
            "comment_type": self.comment_type,
            "user_agent": self.user_agent,
            "referrer": self.referrer,
            "permalink": self.permalink,
            "comment_author": self.author,
            "comment_author_email": self.author_email,
            "comment_author_url": self.author_url,
            "blog_lang": (self.blog_lang or settings.LANGUAGE_CODE).replace("-", "_"),
            "blog_charset": "UTF-8",
        }
        if self.comment_date_gmt:
            arguments["comment_date_gmt"] = _gmt(self.comment_date_gmt)
        if self.post_modified_gmt:
            arguments["comment_post_modified_gmt"] = _gmt(self.post_modified_gmt)
        if self.honeypot_field_name:
            arguments["honeypot_field_name"] = self.honeypot_field_name
        if self.recheck_reason:
            arguments["recheck_reason"] = self.recheck_reason
        if getattr(settings, "AKISMET_IS_TEST", False):
            arguments["is_test"] = True
        return {key: value for key, value in arguments.items() if value not in ("", None)}

    @classmethod
    def of(
        cls,
        kind: str,
        *,
        ip: str | None,
        text: str,
        user_agent: str = "",
        referrer: str = "",
        language: str = "",
        written_at: datetime | None = None,
        **context: Any,
    ) -> Submission:
        """What Akismet is told about a saved row: the visitor's address, browser, referrer, page
        language and text as the form stored them (an address may be missing), under Akismet's names.

        ``kind`` is the ``comment_type``; ``context`` is any other ``Submission``
        field the form knows (``permalink``, ``author``, ``author_email``...).
        """
        return cls(
            user_ip=ip or "",
            content=text,
            comment_type=kind,
            user_agent=user_agent,
            referrer=referrer,
            blog_lang=language,
            comment_date_gmt=written_at,
            **context,
        )


def _gmt(moment: datetime) -> str:
    """ISO 8601 in UTC, as the field names say: an aware local time would carry +01:00 in summer."""
    return moment.astimezone(UTC).isoformat() if moment.tzinfo is not None else moment.isoformat()


@dataclass(frozen=True)
class CheckResult:
    verdict: Verdict
    failure: Failure | None = None
    detail: str = ""
    alert_code: str = ""
    alert_message: str = ""

    @property
    def is_key_problem(self) -> bool:
        return self.failure in KEY_PROBLEMS

    def as_dict(self) -> dict[str, str | None]:
        return {key: str(value) if value is not None else None for key, value in asdict(self).items()}


@dataclass
class AlertRecorder:
    """An httpx response hook that keeps Akismet's alert headers, which the library drops."""

    code: str = ""
    message: str = ""
    seen: list[str] = field(default_factory=list)

    def __call__(self, response: httpx.Response) -> None:
        self.code = response.headers.get(ALERT_CODE_HEADER, "")
        self.message = response.headers.get(ALERT_MESSAGE_HEADER, "")
        if self.code:
            self.seen.append(self.code)

    def reset(self) -> None:
        self.code = self.message = ""


class RedirectTransport(httpx.HTTPTransport):
    """Sends the requests meant for Akismet's fixed host to another base URL.

    The akismet library has its API address built in. Tests and benchmarks
    point the real client at a fake Akismet on 127.0.0.1 through this, and so
    does the ``AKISMET_API_URL`` setting.
    """

    def __init__(self, base_url: str) -> None:
        super().__init__(verify=tls_context())
        self.base = httpx.URL(base_url)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(scheme=self.base.scheme, host=self.base.host, port=self.base.port)
        return super().handle_request(request)


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The one verifying TLS context of this process, shared by every Akismet client.

    Building a context reads and parses the whole CA bundle: about 30 ms of CPU,
    which was most of what a comment's spam check cost the task worker while
    ``connect()`` made a new client, and so a new context, for every check.
    A context is safe to share between clients and threads. Like httpx's own
    default, it honours ``SSL_CERT_FILE`` and ``SSL_CERT_DIR``.
    """
    return httpx.create_ssl_context()


def http_client(
    *, alerts: AlertRecorder | None = None, transport: httpx.BaseTransport | None = None
) -> httpx.Client:
    """The HTTP client Akismet requests go through: our timeout, and the alert-header hook."""
    hooks: dict[str, list[Callable[..., Any]]] = {"response": [alerts]} if alerts else {}
    if transport is None and settings.AKISMET_API_URL:
        transport = RedirectTransport(settings.AKISMET_API_URL)
    return httpx.Client(
        headers={"User-Agent": f"BackCare | {akismet.USER_AGENT}"},
        timeout=float(getattr(settings, "AKISMET_TIMEOUT", 3.0)),
        verify=tls_context(),
        event_hooks=hooks,
        transport=transport,
        # A transport of our own decides where requests go; proxy variables
        # from the environment would otherwise take Akismet's host elsewhere.
        trust_env=transport is None,
    )


def get_client(
    *, alerts: AlertRecorder | None = None, transport: httpx.BaseTransport | None = None
) -> akismet.SyncClient | None:
    """A client for the configured key, or None when Akismet is not set up (development).

    Prefer ``connect()``, which closes the client's connections however the block ends.
    """
    if not is_configured():
        return None
    config = akismet.Config(key=os.environ["PYTHON_AKISMET_API_KEY"], url=akismet_blog_url())
    return akismet.SyncClient(config=config, http_client=http_client(alerts=alerts, transport=transport))


def close(client: akismet.SyncClient | None) -> None:
    """Close the HTTP connections of a client made by ``get_client``."""
    http = getattr(client, "_http_client", None)
    if isinstance(http, httpx.Client):
        http.close()


@contextmanager
def connect(
    *, transport: httpx.BaseTransport | None = None
) -> Iterator[tuple[akismet.SyncClient | None, AlertRecorder]]:
    """The configured client (None without a key) and its alert recorder; always closed after the block.

    Tests replace this function (``api.connect``) to send every caller's
    requests to a fake Akismet.
    """
    alerts = AlertRecorder()
    client = get_client(alerts=alerts, transport=transport)
    try:
        yield client, alerts
    finally:
        close(client)


def check(
    submission: Submission, *, client: akismet.SyncClient | None, alerts: AlertRecorder | None = None
) -> CheckResult:
    """Akismet's comment-check for one submission. Never raises for Akismet's or the network's faults."""
    if client is None:
        return CheckResult(Verdict.UNKNOWN, Failure.NOT_CONFIGURED, "No Akismet API key is configured.")
    if alerts:
        alerts.reset()
    try:
        # The library types each keyword; ours are built and checked by ``as_akismet_arguments``.
        arguments: dict[str, Any] = submission.as_akismet_arguments()
        response = client.comment_check(submission.user_ip, **arguments)
    except AKISMET_ERRORS as error:
        return _failed(_failure_of(error), error, alerts)
    if alerts and alerts.code:
        # Akismet answered, but says something is wrong with the account: keep
        # the content held and let a human look, whatever the verdict was.
        return _failed(Failure.ALERT, f"Akismet alert {alerts.code}: {alerts.message}", alerts)
    verdict = {
        akismet.CheckResponse.HAM: Verdict.HAM,
        akismet.CheckResponse.SPAM: Verdict.SPAM,
        akismet.CheckResponse.DISCARD: Verdict.DISCARD,
    }[response]
    return CheckResult(verdict)


def ask(
    submission: Submission, *, client: akismet.SyncClient | None, alerts: AlertRecorder | None = None
) -> CheckResult:
    """Akismet's verdict on one submission (``check``), its health recorded for the admin banner.

    What every public form calls; never raises, a failure is in the result.
    """
    result = check(submission, client=client, alerts=alerts)
    health.record(result)
    return result


def _failed(failure: Failure, error: object, alerts: AlertRecorder | None) -> CheckResult:
    logger.warning("Akismet check failed (%s): %s", failure, error)
    return CheckResult(
        Verdict.UNKNOWN,
        failure,
        str(error).strip(),
        alert_code=alerts.code if alerts else "",
        alert_message=alerts.message if alerts else "",
    )


@dataclass(frozen=True)
class ReportResult:
    """The outcome of telling Akismet it was wrong (submit-spam / submit-ham)."""

    sent: bool
    failure: Failure | None = None
    detail: str = ""

    @property
    def is_key_problem(self) -> bool:
        return self.failure in KEY_PROBLEMS


def submit_spam(submission: Submission, *, client: akismet.SyncClient | None) -> ReportResult:
    """Tell Akismet this content is spam it missed. Never raises for Akismet's or the network's faults."""
    return _submit("submit_spam", submission, client)


def submit_ham(submission: Submission, *, client: akismet.SyncClient | None) -> ReportResult:
    """Tell Akismet this content is genuine though it was called spam (a false positive)."""
    return _submit("submit_ham", submission, client)


def tell(report: Report, submission: Submission, *, client: akismet.SyncClient | None) -> ReportResult:
    """Tell Akismet it was wrong about a submission (submit-spam or submit-ham), its health recorded.

    Never raises; an unsent report says why, for the caller to try again later.
    """
    submit = submit_spam if report == Report.SPAM else submit_ham
    outcome = submit(submission, client=client)
    health.record(outcome)
    return outcome


def _submit(method: str, submission: Submission, client: akismet.SyncClient | None) -> ReportResult:
    if client is None:
        return ReportResult(False, Failure.NOT_CONFIGURED, "No Akismet API key is configured.")
    arguments = submission.as_akismet_arguments()
    # recheck_reason belongs to comment-check only.
    arguments.pop("recheck_reason", None)
    try:
        getattr(client, method)(submission.user_ip, **arguments)
    except AKISMET_ERRORS as error:
        failure = _failure_of(error)
        logger.warning("Akismet %s failed (%s): %s", method, failure, error)
        return ReportResult(False, failure, str(error).strip())
    return ReportResult(True)


def verify_key(*, client: akismet.SyncClient | None) -> CheckResult:
    """Whether Akismet accepts the configured key and site address: HAM for yes."""
    if client is None:
        return CheckResult(Verdict.UNKNOWN, Failure.NOT_CONFIGURED, "No Akismet API key is configured.")
    try:
        valid = client.verify_key()
    except AKISMET_ERRORS as error:
        return _failed(_failure_of(error), error, None)
    if not valid:
        return CheckResult(
            Verdict.UNKNOWN, Failure.INVALID_KEY, "Akismet says the key or site address is invalid."
        )
    return CheckResult(Verdict.HAM)


# What the library raises for Akismet's faults and the network's; anything else is our bug.
AKISMET_ERRORS = (akismet.APIKeyError, akismet.ProtocolError, akismet.RequestError)


def _failure_of(error: Exception) -> Failure:
    """Which ``Failure`` a library error means: a refused key, an answer we cannot read, or the
    request itself (timed out, server error, unreachable)."""
    if isinstance(error, akismet.APIKeyError):
        return Failure.INVALID_KEY
    if isinstance(error, akismet.ProtocolError):
        return Failure.UNEXPECTED_ANSWER
    cause = error.__cause__
    if isinstance(cause, httpx.TimeoutException):
        return Failure.TIMEOUT
    if isinstance(cause, httpx.HTTPStatusError):
        return Failure.SERVER_ERROR
    return Failure.UNREACHABLE
