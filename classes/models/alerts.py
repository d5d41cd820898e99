"""Course alerts ("tell me when the next course starts"): sign-ups, and what each is still owed."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from akismet_service.choices import Verdict

from .courses import Course
from .teachers import Teacher
from .venues import Venue

# The "town" of a sign-up (and of the list's town filter) that means courses held by video call.
ONLINE_TOWN = "online"


class AlertSubscriptionQuerySet(models.QuerySet["AlertSubscription"]):
    def confirmed(self) -> AlertSubscriptionQuerySet:
        return self.filter(confirmed_at__isnull=False)

    def unconfirmed(self) -> AlertSubscriptionQuerySet:
        return self.filter(confirmed_at__isnull=True)

    def matching(self, course: Course) -> AlertSubscriptionQuerySet:
        """The sign-ups a newly published course answers: its teacher's, its town's, its language's."""
        venue = course.venue
        where = Q(town="") | (Q(town=ONLINE_TOWN) if venue.is_online else Q(town__iexact=venue.town))
        who = Q(teacher__isnull=True) | Q(teacher__in=course.teachers.all())
        languages: dict[str, list[str]] = {
            Course.Language.ENGLISH: ["", "en"],
            Course.Language.WELSH: ["", "cy"],
            Course.Language.BILINGUAL: ["", "en", "cy"],
        }
        return self.filter(where, who, language__in=languages.get(course.language, [""]))

    def waiting_for(self, teacher: Teacher) -> dict[str, int]:
        """How many addresses wait for this teacher's next course, without revealing any of them."""
        towns = list(
            Venue.objects.filter(courses__teachers=teacher, is_online=False).values_list("town", flat=True)
        )
        online = Venue.objects.filter(courses__teachers=teacher, is_online=True).exists()
        confirmed = self.confirmed()
        by_town = confirmed.filter(teacher__isnull=True).exclude(town="")
        by_town = by_town.filter(
            Q(town__in=[town for town in towns if town]) | (Q(town=ONLINE_TOWN) if online else Q(pk__in=[]))
        )
        parts = {
            "teacher": confirmed.filter(teacher=teacher),
            "town": by_town,
            "any": confirmed.filter(teacher__isnull=True, town=""),
        }
        counts = {name: qs.values("email").distinct().count() for name, qs in parts.items()}
        counts["total"] = (parts["teacher"] | parts["town"] | parts["any"]).values("email").distinct().count()
        return counts


class AlertSubscription(models.Model):
    """One person's wish to hear about new courses: by a teacher, in a town, or any course.

    Nothing is sent until ``confirmed_at`` is set through the signed link e-mailed
    to the address (double opt-in); unconfirmed sign-ups are deleted after
    ``alert_tokens.CONFIRM_DAYS``. The address the sign-up came from is kept only
    for the spam check and cleared on confirmation.
    """

    Verdict = Verdict  # the intake's verdicts, as every checked form stores them (spam is deleted)

    email = models.EmailField(_("e-mail"))
    teacher = models.ForeignKey(
        Teacher,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alert_subscriptions",
        verbose_name=_("teacher"),
        help_text=_("Empty: any teacher."),
    )
    town = models.CharField(_("town"), max_length=60, blank=True, help_text=_("Empty: anywhere."))
    language = models.CharField(
        _("course language"),
        max_length=12,
        blank=True,
        choices=[("en", _("English")), ("cy", _("Welsh"))],
        help_text=_("Empty: any language. Bilingual courses count for both."),
    )
    site_language = models.CharField(
        _("language of the e-mails"), max_length=12, default="en-gb", editable=False
    )
    verdict = models.CharField(_("spam check"), max_length=10, choices=Verdict, default=Verdict.PENDING)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=400, blank=True)
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("last alert sent"), null=True, blank=True)
    # When the last confirmation link was e-mailed: while the shared cache is down, the
    # database counts these e-mails (not the sign-ups made) to keep one inbox's limit.
    confirmation_sent_at = models.DateTimeField(
        _("confirmation e-mailed"), null=True, blank=True, editable=False
    )

    objects = AlertSubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("course alert")
        verbose_name_plural = _("course alerts")
        constraints = [
            models.UniqueConstraint(
                "email",
                Coalesce("teacher", models.Value(0)),
                "town",
                "language",
                name="alert_one_per_choice",
                violation_error_message=_("This address already asked for these alerts."),
            ),
            models.CheckConstraint(
                condition=Q(teacher__isnull=True) | Q(town=""),
                name="alert_teacher_or_town",
                violation_error_message=_("Choose a teacher or a town, not both."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email}: {self.choice_label}"

    def save(self, *args, **kwargs) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def choice_label(self) -> str:
        if (teacher := self.teacher) is not None:
            label = _("new courses by %(teacher)s") % {"teacher": teacher.name}
        elif self.town == ONLINE_TOWN:
            label = str(_("new online courses"))
        elif self.town:
            label = _("new courses in %(town)s") % {"town": self.town}
        else:
            label = str(_("any new course"))
        if self.language:
            label += " (" + str(self.get_language_display()) + ")"
        return label


class PendingAlert(models.Model):
    """A course a confirmed subscriber has not yet been told about; deleted once the e-mail is sent."""

    subscription = models.ForeignKey(AlertSubscription, on_delete=models.CASCADE, related_name="pending")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="pending_alerts")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "course"], name="pending_alert_once_per_course")
        ]

    def __str__(self) -> str:
        return f"{self.course_id} → {self.subscription_id}"


class AnnouncedCourse(models.Model):
    """A course whose alerts have been queued: however often it is saved, it is announced once."""

    course = models.OneToOneField(
        Course, on_delete=models.CASCADE, primary_key=True, related_name="announced"
    )
    announced_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.course_id} announced {self.announced_at:%Y-%m-%d}"
