"""Errors reach a person: e-mail to ``DJANGO_ADMINS`` and, when ``SENTRY_DSN`` is set, Sentry.

The ``LOGGING`` setting sends every ERROR record of Django's loggers to
:class:`AdminEmailHandler`: a view that raises (``django.request``) and a task the
worker could not finish (``django.tasks``) each send one mail. The mail holds the
traceback, the request and the settings, so :class:`SecretsHiddenFilter` masks more
than Django does: connection URLs (Redis and database passwords), the session cookie
and any posted field or local variable named like a password, even in views nobody
remembered to decorate with ``sensitive_post_parameters``.

Sentry is optional and off by default: :func:`start_sentry` runs only when the
operator sets ``SENTRY_DSN``, and sends no personal data (no cookies, no user, no
request body, no local variables) because comments carry a commenter's e-mail.
"""

import logging
import re
from collections.abc import ItemsView
from copy import copy
from typing import Any

from django.utils.log import AdminEmailHandler as DjangoAdminEmailHandler
from django.views.debug import SafeExceptionReporterFilter

# Django's pattern, plus connection strings that embed a password (REDIS_URL, a cache
# LOCATION, DATABASE_URL in a runserver environment, SENTRY_DSN) and the session and
# CSRF cookies, whose names Django's pattern misses ("sessionid").
HIDDEN = re.compile(
    "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|URL|LOCATION|DSN|SESSION|CSRF|COOKIE",
    flags=re.IGNORECASE,
)


class SecretsHiddenFilter(SafeExceptionReporterFilter):
    """Django's filter for error reports, hiding more names and every password-like field."""

    hidden_settings = HIDDEN

    def get_post_parameters(self, request: Any) -> Any:
        """Mask posted fields named like secrets, decorated view or not."""
        parameters = super().get_post_parameters(request)
        if not self.is_active(request) or not parameters:
            return parameters
        cleansed = parameters.copy()
        for name in parameters:
            if HIDDEN.search(name):
                cleansed[name] = self.cleansed_substitute
        return cleansed

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> ItemsView[str, Any]:
        """Mask local variables named like secrets (``password``, ``token``) in every frame."""
        variables = super().get_traceback_frame_variables(request, tb_frame)
        if not self.is_active(request):
            return variables
        return {
            name: self.cleansed_substitute if HIDDEN.search(name) else value for name, value in variables
        }.items()


class AdminEmailHandler(DjangoAdminEmailHandler):
    """Django's error mail, with the exception's class in the subject, that never raises.

    Only the class: an exception's message can quote what a visitor typed. Django's
    handler lets an SMTP failure escape from the logging call, which stops
    ``db_worker`` at the first failed task while the mail server is down; here it is
    reported on the console (the journal) like any logging error, and work goes on.
    """

    def emit(self, record: logging.LogRecord) -> None:
        mailed = record
        if record.exc_info and record.exc_info[0] is not None:
            mailed = copy(record)
            mailed.msg = f"{record.msg} ({record.exc_info[0].__name__})"
        try:
            super().emit(mailed)
        except Exception:
            self.handleError(record)


def start_sentry(*, dsn: str, environment: str = "", release: str = "") -> None:
    """Report unhandled request errors and ERROR log records (failed tasks) to Sentry."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration
    from sentry_sdk.scrubber import DEFAULT_DENYLIST, DEFAULT_PII_DENYLIST, EventScrubber

    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        release=release or None,
        send_default_pii=False,
        # A comment or enquiry body holds a name and an e-mail address: never sent.
        max_request_body_size="never",
        include_local_variables=False,
        event_scrubber=EventScrubber(
            denylist=[*DEFAULT_DENYLIST, "email", "e_mail"],
            pii_denylist=DEFAULT_PII_DENYLIST,
            recursive=True,
        ),
        integrations=[
            DjangoIntegration(),
            LoggingIntegration(level=logging.INFO, event_level=logging.ERROR),
        ],
        traces_sample_rate=0,
    )
