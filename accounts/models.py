"""The one model of sign-in: each login's admin language."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AdminLanguage(models.Model):
    """The language a login's admin pages are in. Public pages keep the language of their address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="admin_language",
        verbose_name=_("login"),
    )
    # No choices here: they are settings.LANGUAGES, checked by the form, so
    # offering another language needs no migration.
    language = models.CharField(_("language of the admin"), max_length=10)

    class Meta:
        verbose_name = _("admin language")
        verbose_name_plural = _("admin languages")
        # The table backcare made before the model moved here (README, "Decisions").
        db_table = "backcare_adminlanguage"

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"
