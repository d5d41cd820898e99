from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the site: /healthz and the admin's health banner, backups here and off the machine,
    the retry page while the database is away, sessions that never turn a saved post into a 500,
    error mail and Sentry, and the development mail backend."""

    name = "operations"
