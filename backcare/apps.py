from django.apps import AppConfig


class BackcareConfig(AppConfig):
    name = "backcare"
    verbose_name = "BackCare"

    def ready(self) -> None:
        from . import accounts  # noqa: F401 - connects the failed sign-in log
