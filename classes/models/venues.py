"""Venues: where a course meets, and the accessibility answers readers choose by."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Venue(models.Model):
    # modeltranslation swaps the default manager's class at run time for its own, which the
    # django-stubs plugin cannot find: the type it would infer, said here (no value: Django adds it).
    objects: ClassVar[models.Manager[Venue]]
    _default_manager: ClassVar[models.Manager[Venue]]

    name = models.CharField(_("name"), max_length=120)
    is_online = models.BooleanField(
        _("online"), default=False, help_text=_("Tick for classes held by video call.")
    )
    address = models.TextField(_("address"), blank=True)
    town = models.CharField(_("town"), max_length=60, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )
    step_free_access = models.BooleanField(_("step-free access"), default=False)
    parking = models.BooleanField(_("parking"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    mats_provided = models.BooleanField(_("mats provided"), default=False)
    chairs_available = models.BooleanField(
        _("chairs available"), default=False, help_text=_("For people who cannot get down to the floor.")
    )
    accessibility_notes = models.TextField(
        _("access notes"), blank=True, help_text=_("Stairs, lighting, the nearest bus stop…")
    )

    # The yes/no access questions, in the order readers and the admin's "Access" section ask them.
    ACCESS_FIELDS = ("step_free_access", "parking", "accessible_toilet", "mats_provided", "chairs_available")

    class Meta:
        ordering = ["town", "name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_online=True) | ~Q(town=""),
                name="venue_in_person_has_town",
                violation_error_message=_("A venue that is not online needs a town."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="venue_coordinates_together",
                violation_error_message=_("Give both latitude and longitude, or neither."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({_('online')})" if self.is_online else f"{self.name}, {self.town}"

    @property
    def access_features(self) -> list[tuple[str, bool]]:
        """Every accessibility question with its answer, so "no" is said as plainly as "yes"."""
        fields = [self._meta.get_field(name) for name in self.ACCESS_FIELDS]
        return [
            (str(field.verbose_name).capitalize(), getattr(self, field.name))
            for field in fields
            if isinstance(field, models.Field)  # always: ACCESS_FIELDS are its own BooleanFields
        ]

    @property
    def one_line_address(self) -> str:
        parts = [*self.address.splitlines(), self.town, self.postcode]
        return ", ".join(part.strip() for part in parts if part.strip())
