"""Teachers: who runs the courses, how readers may reach them, and the login they keep them with."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bilingual.languages import english_text
from picture_pipeline import require_alt_text

from .. import photos


class Teacher(models.Model):
    # modeltranslation swaps the default manager's class at run time for its own, which the
    # django-stubs plugin cannot find: the type it would infer, said here (no value: Django adds it).
    objects: ClassVar[models.Manager[Teacher]]
    _default_manager: ClassVar[models.Manager[Teacher]]

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("web address name"), max_length=100, unique=True)
    organisation = models.CharField(
        _("organisation"), max_length=120, blank=True, help_text=_("For example your yoga group.")
    )
    bio = models.TextField(_("about you"), help_text=_("A few sentences for readers: how you teach."))
    qualifications = models.TextField(_("qualifications"), blank=True, help_text=_("One per line."))
    # Only ever set through classes.photos (the admin's field and the data migration): checked,
    # re-encoded as WebP without metadata and named after its content, never the upload's name.
    photo = models.ImageField(
        _("photo"),
        upload_to="teachers/",
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
        help_text=_(
            "A JPEG, PNG or WebP photo. The site saves a copy without the camera’s details or where it "
            "was taken."
        ),
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_alt = models.CharField(
        _("photo description"),
        max_length=250,
        blank=True,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    email = models.EmailField(
        _("e-mail"), help_text=_("Enquiries from the site are sent here. Shown only if you tick below.")
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    show_email = models.BooleanField(_("show my e-mail address on the site"), default=False)
    show_phone = models.BooleanField(_("show my phone number on the site"), default=False)
    show_website = models.BooleanField(_("show my website on the site"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="teacher_profile",
        verbose_name=_("login"),
        help_text=_("The admin login this teacher uses to keep their courses up to date."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("teacher")
        verbose_name_plural = _("teachers")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("classes:teacher", kwargs={"slug": self.slug})

    def clean(self) -> None:
        require_alt_text(self.photo, english_text(self, "photo_alt"), "photo_alt_en_gb")
        errors = {}
        if self.show_phone and not self.phone:
            errors["phone"] = _("Add a phone number, or untick “show my phone number”.")
        if self.show_website and not self.website:
            errors["show_website"] = _("Add a website, or untick “show my website”.")
        if errors:
            raise ValidationError(errors)

    @property
    def photo_srcset(self) -> str:
        """The photo and its narrower copies, for ``srcset``; empty without a re-encoded photo."""
        return photos.srcset(self.photo, self.photo_width) if self.photo and self.photo_width else ""

    @property
    def qualification_list(self) -> list[str]:
        return [line.strip() for line in self.qualifications.splitlines() if line.strip()]

    @property
    def public_phone(self) -> str:
        return self.phone if self.show_phone else ""

    @property
    def public_email(self) -> str:
        return self.email if self.show_email else ""

    @property
    def public_website(self) -> str:
        return self.website if self.show_website else ""
