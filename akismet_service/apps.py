from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AkismetServiceConfig(AppConfig):
    name = "akismet_service"
    verbose_name = _("Spam check (Akismet)")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the Akismet configuration check
