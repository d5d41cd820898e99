"""Whether Akismet is set up, and for which site: read by ``api`` (to make a client) and ``health``."""

from __future__ import annotations

import os

from django.conf import settings


def is_configured() -> bool:
    return bool(os.environ.get("PYTHON_AKISMET_API_KEY") and akismet_blog_url())


def akismet_blog_url() -> str:
    return os.environ.get("PYTHON_AKISMET_BLOG_URL") or settings.SITE_URL
