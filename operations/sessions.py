"""Sessions that never turn a saved comment into an error page.

Sessions live in the database. Saving one is the last thing a response does,
after the view's own work is committed: if the database went away in
between (a PostgreSQL restart), Django's middleware would answer 500 for a
comment that is already saved. Here the failed save is logged and the
response goes out without the session; all that is lost is the
convenience the session carried (showing posters their own held comment).
"""

from __future__ import annotations

import logging

from django.contrib.sessions.middleware import SessionMiddleware
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)


class FaultTolerantSessionMiddleware(SessionMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        try:
            return super().process_response(request, response)
        except DatabaseError as error:
            logger.warning("Could not save the session of %s (%s); answered without it.", request.path, error)
            return response
