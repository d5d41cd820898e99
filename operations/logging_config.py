"""The settings' ``LOGGING``. Imported by the settings, so it imports nothing: only names.

Everything goes to the console (the journal). ERROR records of Django's loggers, a view that
raised (``django.request``) or a task that failed (``django.tasks``), are also e-mailed to
``DJANGO_ADMINS`` with secrets masked (``errors.py``); the ``django`` entry replaces Django's
default handlers, so each error sends one mail and prints one line.
"""

from typing import Any


def logging_config(*, level: str) -> dict[str, Any]:
    """Django's ``LOGGING`` with the root logger at ``level`` (``DJANGO_LOG_LEVEL``)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
        "formatters": {"plain": {"format": "{asctime} {levelname} {name} {message}", "style": "{"}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "plain"},
            "mail_admins": {
                "class": "operations.errors.AdminEmailHandler",
                "level": "ERROR",
                "filters": ["require_debug_false"],
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django": {"handlers": ["mail_admins"], "level": "INFO"},
            "django.request": {"level": "WARNING"},
            "httpx": {"level": "WARNING"},
            # Failed sign-ins, with the login name and address, never the password.
            "accounts.sign_in": {"level": "INFO"},
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
        },
    }
