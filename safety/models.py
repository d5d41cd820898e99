from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WarningSignQuerySet(models.QuerySet["WarningSign"]):
    def active(self) -> WarningSignQuerySet:
        return self.filter(active=True)


class WarningSign(models.Model):
    """Words that, found close together in what a reader writes, suggest a back emergency.

    Editors add to the built-in lists (``safety.signs.BUILT_IN``, ``safety.welsh.BUILT_IN_CY``)
    here; ``safety.signs`` matches. Every text is checked against every sign; the language
    says whether the words also match their Welsh mutated forms.
    """

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        WELSH = "cy", _("Welsh")
        BOTH = "both", _("English and Welsh")

    words = models.CharField(
        _("words"),
        max_length=120,
        unique=True,
        help_text=_(
            "Two or three words that together describe the warning sign, for example "
            "“numb saddle” or “both legs weak”. They match in any order, close together, "
            "in any case, and with endings (numb → numbness, leg → legs). Write Welsh words "
            "in their dictionary form, for example “coes diffrwyth”: they also match when "
            "mutated (fy nghoes, y ddwy goes, yn ddiffrwyth)."
        ),
    )
    language = models.CharField(
        _("language"),
        max_length=4,
        choices=Language,
        default=Language.ENGLISH,
        help_text=_(
            "Which language the words are in. Every message is checked against every sign; "
            "Welsh words also match their mutated forms."
        ),
    )
    meaning = models.CharField(
        _("what it means"),
        max_length=200,
        help_text=_("Shown to moderators, for example “numbness in the saddle area”."),
    )
    active = models.BooleanField(_("in use"), default=True)

    objects = WarningSignQuerySet.as_manager()

    class Meta:
        ordering = ["meaning", "language", "words"]
        verbose_name = _("warning sign")
        verbose_name_plural = _("warning signs")

    def __str__(self) -> str:
        return f"{self.words} ({self.meaning})"
