"""Course alerts: "tell me when the next course starts", with double opt-in.

1. ``sign_up`` saves an unconfirmed ``AlertSubscription`` (or finds the same one);
   ``classes.tasks.confirm_alert_signup`` asks Akismet (``comment_type=signup``)
   and e-mails the signed confirmation link (``send_confirmation``).
2. ``confirm`` acts on a valid link (POST only: the GET page shows a button), so
   a mail program that follows links confirms nothing.
3. Publishing a course calls ``announce`` once per course ever (``AnnouncedCourse``):
   it queues a ``PendingAlert`` for every confirmed, matching subscription.
4. ``send_due_alerts`` e-mails each address at most once per
   ``MIN_HOURS_BETWEEN`` hours, every waiting course in one message,
   with ``List-Unsubscribe`` and one-click ``List-Unsubscribe-Post`` headers.

The links' signed tokens are in ``classes/alert_tokens.py``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

import akismet
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from akismet_service import api, visitors
from akismet_service.choices import Verdict
from mailing import bounces
from mailing.models import BouncingAddress

from .alert_tokens import CONFIRM_DAYS, confirm_token, unsubscribe_token
from .mail import one_line
from .models import AlertSubscription, AnnouncedCourse, Course, PendingAlert
from .models.courses import DatedCourse

logger = logging.getLogger(__name__)

# Sign-ups from one address (IPv6: its /64) are counted over an hour; the
# number allowed is CLASSES_ALERT_RATE_LIMIT, which an operator may set.
RATE_WINDOW = 3600
# Confirmation e-mails to one inbox a day, so the form cannot be used to flood someone.
CONFIRMATIONS_PER_EMAIL = 3
# One alert e-mail per address in this many hours, every waiting course in it.
MIN_HOURS_BETWEEN = 24
# Addresses that share one mail connection.
BATCH = 100


def absolute(path: str) -> str:
    return settings.SITE_URL + path


# --- Signing up and confirming ------------------------------------------------


def take_signup_allowance(ip: str | None) -> bool:
    """Count one sign-up from this address (IPv6: its /64); False past the hourly allowance.

    The database counts the sign-ups made or confirmation-mailed in the window
    that still hold an address (confirming one forgets it).
    """
    window = RATE_WINDOW
    since = timezone.now() - timedelta(seconds=window)
    recent = AlertSubscription.objects.filter(Q(created_at__gte=since) | Q(confirmation_sent_at__gte=since))
    return visitors.allowance(
        "classes:alerts:signups",
        ip=ip,
        limit=settings.CLASSES_ALERT_RATE_LIMIT,
        window=window,
        recent=recent.filter(ip_address__isnull=False),
    )


def take_confirmation_allowance(subscription: AlertSubscription, *, now: datetime | None = None) -> bool:
    """At most ``CONFIRMATIONS_PER_EMAIL`` confirmation e-mails to one inbox a day.

    With the cache unavailable the database decides from the confirmation e-mails it
    recorded (``confirmation_sent_at``), not from the sign-ups created: repeating the same
    sign-up updates one row, so counting rows would let it mail an inbox without end. A
    sign-up gets one e-mail a day then (its link works for a week), and the inbox's
    e-mails of the day count against the same allowance.
    """
    email = subscription.email.strip().lower()
    key = f"classes:alerts:confirmations:{signing.Signer(salt='alerts-inbox').signature(email)}"
    try:
        return visitors.count_in_cache(key, window=24 * 3600) <= CONFIRMATIONS_PER_EMAIL
    except ConnectionError:
        since = (now or timezone.now()) - timedelta(days=1)
        if subscription.confirmation_sent_at and subscription.confirmation_sent_at >= since:
            return False
        sent = AlertSubscription.objects.filter(email=email, confirmation_sent_at__gte=since).count()
        return sent + 1 <= CONFIRMATIONS_PER_EMAIL


@dataclass(frozen=True)
class SignUp:
    subscription: AlertSubscription
    needs_confirmation: bool  # False when this address already confirmed the same choice


def sign_up(
    *, email: str, teacher, town: str, language: str, ip: str | None, user_agent: str, site_language: str
) -> SignUp:
    """Save the wish unconfirmed, or find the same one: signing up twice never makes two."""
    email = email.strip().lower()
    with transaction.atomic():
        subscription, created = AlertSubscription.objects.get_or_create(
            email=email,
            teacher=teacher,
            town=town,
            language=language,
            defaults={"ip_address": ip, "user_agent": user_agent[:400], "site_language": site_language},
        )
    if not created and subscription.confirmed_at is None:
        AlertSubscription.objects.filter(pk=subscription.pk).update(
            ip_address=ip, user_agent=user_agent[:400]
        )
    return SignUp(subscription, needs_confirmation=subscription.confirmed_at is None)


def check_signup(
    subscription: AlertSubscription, *, client: akismet.SyncClient | None, alerts: api.AlertRecorder | None
) -> Verdict:
    """Ask Akismet about the sign-up. Spam is deleted unsent; no verdict still gets its e-mail
    (the confirmation link itself proves a person owns the inbox)."""
    submission = api.Submission.of(
        "signup",
        ip=subscription.ip_address,
        text="",
        user_agent=subscription.user_agent,
        language=subscription.site_language,
        written_at=subscription.created_at,
        permalink=absolute(reverse("classes:alert_signup")),
        author_email=subscription.email,
    )
    verdict = api.ask(submission, client=client, alerts=alerts).verdict
    if verdict in {Verdict.SPAM, Verdict.DISCARD}:
        logger.info("Course alert sign-up %s was spam; deleted.", subscription.pk)
        subscription.delete()
        return Verdict.SPAM
    AlertSubscription.objects.filter(pk=subscription.pk).update(verdict=verdict)
    return verdict


def send_confirmation(subscription: AlertSubscription) -> bool:
    """E-mail the confirmation link; False when this inbox has had its share today, or bounces."""
    if bounces.is_bouncing(subscription.email):
        logger.info("Sign-up %s: mail to its address bounced, so no confirmation is sent.", subscription.pk)
        return False
    if not take_confirmation_allowance(subscription):
        logger.info("No more confirmation e-mails today for sign-up %s.", subscription.pk)
        return False
    link = absolute(reverse("classes:alert_confirm", args=[confirm_token(subscription)]))
    with translation.override(subscription.site_language):
        body = "\n".join(
            [
                _("Someone, probably you, asked BackCare to e-mail this address about %(choice)s.")
                % {"choice": subscription.choice_label},
                "",
                _("To start the alerts, open this link and press “Yes, send me alerts”:"),
                link,
                "",
                ngettext(
                    "The link works for %(days)s day. If you did not ask, ignore this e-mail: nothing is sent.",
                    "The link works for %(days)s days. If you did not ask, ignore this e-mail: nothing is sent.",
                    CONFIRM_DAYS,
                )
                % {"days": CONFIRM_DAYS},
            ]
        )
        EmailMessage(
            subject=_("Please confirm your BackCare course alerts"), body=body, to=[subscription.email]
        ).send()
    AlertSubscription.objects.filter(pk=subscription.pk).update(confirmation_sent_at=timezone.now())
    return True


def confirm(subscription: AlertSubscription, *, now: datetime | None = None) -> AlertSubscription:
    """Start the alerts; the sign-up's IP address and browser, kept only for the spam check, are
    cleared. Confirming again changes nothing."""
    now = now or timezone.now()
    AlertSubscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(
        confirmed_at=now, ip_address=None, user_agent=""
    )
    subscription.refresh_from_db()
    return subscription


def unsubscribe(email: str) -> int:
    """Delete every alert for the address (and what waits to be sent to it)."""
    deleted, _counts = AlertSubscription.objects.filter(email=email.strip().lower()).delete()
    return deleted


# --- Announcing a course ------------------------------------------------------


def announce(course_id: int) -> int:
    """Queue the course for every confirmed, matching subscriber, once per course ever.

    Returns how many subscriptions were queued (0 when it was announced before, or
    is not published, or has no session to come).
    """
    course = Course.objects.published().upcoming().select_related("venue").filter(pk=course_id).first()
    if course is None:
        return 0
    with transaction.atomic():
        _announced, created = AnnouncedCourse.objects.get_or_create(course=course)
        if not created:
            return 0
        pending = [
            PendingAlert(subscription=subscription, course=course)
            for subscription in AlertSubscription.objects.confirmed().matching(course)
        ]
        PendingAlert.objects.bulk_create(pending, ignore_conflicts=True)
    return len(pending)


def send_due_alerts(*, now: datetime | None = None, connection=None) -> int:
    """E-mail every address with waiting courses that has had no alert for a day. Returns e-mails sent.

    Batched: up to ``BATCH`` addresses share one mail connection.
    Each address is claimed in a transaction (locked on PostgreSQL), so two
    workers never both send it; if sending fails, nothing is marked sent and
    the next run tries again. One address whose e-mail cannot be built or sent
    is logged and left for the next run; it never stops the run for the others.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(hours=MIN_HOURS_BETWEEN)
    # Courses taken off the site, or over, are not news any more.
    live = Course.objects.published().upcoming(timezone.localdate(now)).values("pk")
    PendingAlert.objects.exclude(course__in=live).delete()
    sent_recently = AlertSubscription.objects.filter(
        email=OuterRef("subscription__email"), last_sent_at__gt=cutoff
    )
    due = (
        PendingAlert.objects.filter(subscription__confirmed_at__isnull=False)
        .exclude(Exists(sent_recently))
        # Mail to these bounced (mailing.bounces): their alerts wait until the mark is cleared.
        .exclude(subscription__email__in=BouncingAddress.objects.values("email"))
        .order_by("subscription__email")
        .values_list("subscription__email", flat=True)
        .distinct()
    )
    sent = 0
    failed: set[str] = set()
    while emails := list(due.exclude(subscription__email__in=failed)[:BATCH]):
        batch = 0
        with connection or mailers.default as mail:
            for email in emails:
                try:
                    batch += _send_one(email, now=now, cutoff=cutoff, connection=mail)
                except Exception:  # a bad title, a refused address: log it, go on with the others
                    failed.add(email)
                    logger.exception(
                        "Could not send the course alert for sign-ups %s; the next run tries again.",
                        sorted(AlertSubscription.objects.filter(email=email).values_list("pk", flat=True)),
                    )
        sent += batch
        if not batch and failed.isdisjoint(emails):  # another worker took them: nothing left for this one
            break
    return sent


def _send_one(email: str, *, now: datetime, cutoff: datetime, connection) -> int:
    with transaction.atomic():
        subscriptions = list(AlertSubscription.objects.select_for_update().filter(email=email).order_by("pk"))
        if any(s.last_sent_at and s.last_sent_at > cutoff for s in subscriptions):
            return 0
        pending = list(
            PendingAlert.objects.filter(subscription__in=[s.pk for s in subscriptions if s.confirmed_at])
            .select_related("course__venue", "subscription")
            .prefetch_related("course__teachers")
            .order_by("course__pk")
        )
        if not pending:
            return 0
        courses = list({alert.course.pk: alert.course for alert in pending}.values())
        reasons = sorted({alert.subscription.choice_label for alert in pending})
        message = alert_message(subscriptions[0], courses, reasons)
        connection.send_messages([message])
        PendingAlert.objects.filter(pk__in=[alert.pk for alert in pending]).delete()
        AlertSubscription.objects.filter(email=email).update(last_sent_at=now)
    return 1


def alert_message(subscription: AlertSubscription, courses: list[Course], reasons: list[str]) -> EmailMessage:
    """One e-mail for every waiting course; its unsubscribe link stops every alert to the address."""
    email, site_language = subscription.email, subscription.site_language
    unsubscribe_url = absolute(reverse("classes:alert_unsubscribe", args=[unsubscribe_token(subscription)]))
    dated = {
        course.pk: cast(DatedCourse, course)
        for course in Course.objects.filter(pk__in=[c.pk for c in courses]).with_dates()
    }
    with translation.override(site_language):
        if len(courses) == 1:
            subject = _("New BackCare course: %(title)s") % {"title": one_line(courses[0].title)}
        else:
            subject = ngettext(
                "%(count)s new BackCare course", "%(count)s new BackCare courses", len(courses)
            ) % {"count": len(courses)}
        lines = [
            _("A new yoga for backs course is open:")
            if len(courses) == 1
            else _("New yoga for backs courses:")
        ]
        for course in courses:
            first = dated[course.pk].first_date
            lines += [
                "",
                course.title,
                _("with %(teachers)s") % {"teachers": ", ".join(t.name for t in course.teachers.all())},
                _("%(venue)s, from %(date)s")
                % {"venue": course.venue, "date": date_format(first, "l j F Y")},
                absolute(course.get_absolute_url()),
            ]
        lines += [
            "",
            "—",
            _("You get this because you asked for %(reasons)s.") % {"reasons": "; ".join(reasons)},
            _("To stop every course alert to this address, open: %(url)s") % {"url": unsubscribe_url},
        ]
        return EmailMessage(
            subject=one_line(subject),
            body="\n".join(lines),
            to=[email],
            headers={
                "List-Unsubscribe": f"<{unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
