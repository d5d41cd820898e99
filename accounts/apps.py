from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Sign-in: allauth's adapters, the failed-sign-in log, second factors for editors, idle staff
    sessions, each login's admin language and the user admin (of Django's own models)."""

    name = "accounts"

    def ready(self) -> None:
        from . import sign_in  # noqa: F401 - connects the failed sign-in log
