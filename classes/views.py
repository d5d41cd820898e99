"""Public pages for courses and teachers.

The list, course, teacher and calendar pages read nothing from the request but
the URL and the filter query string: no session, no user, no CSRF token. Every
anonymous visitor gets the same bytes, so a shared cache can keep them. Only
the enquiry form (its own page) uses CSRF.
"""

from __future__ import annotations

from datetime import timedelta
from itertools import groupby
from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from django.views.generic import DetailView, TemplateView

from akismet_service import visitors
from pagecache.decorators import shared_page
from safety import signs

from . import alert_tokens, alerts, search
from .calendar import REMINDER_PARAM, calendar_bytes, wants_reminder
from .forms import AlertSignupForm, CourseFilterForm, EnquiryForm
from .models import Course, Enquiry, Teacher, Venue
from .models.courses import DatedCourse
from .structured_data import course_data
from .tasks import confirm_alert_signup, deliver_enquiry

# Enquiries from one address (IPv6: its /64) are counted over an hour; the
# number allowed is CLASSES_ENQUIRY_RATE_LIMIT, which an operator may set.
ENQUIRY_RATE_WINDOW = 3600


def group_by_start(courses: list[Course]) -> list[tuple[str, list[Course]]]:
    """Courses already running first, then the rest under the month they start in.

    ``courses`` come from ``upcoming()``, so they are in that order already.
    """

    def heading(course: Course) -> str:
        dated = cast(DatedCourse, course)  # upcoming() reads them with_dates()
        if dated.first_date < dated.next_date:
            return _("Running now")
        return date_format(dated.first_date, "F Y")

    return [(title, list(group)) for title, group in groupby(courses, key=heading)]


class CourseListing:
    """What /classes/ shows for one choice of filters, each part read from the database only when
    the template asks for it: a kept copy of the list (``{% cachedfragment %}``) asks for none."""

    def __init__(self, query: QueryDict) -> None:
        self.query = query

    @cached_property
    def form(self) -> CourseFilterForm:
        upcoming = Course.objects.published().upcoming()
        towns = (
            Venue.objects.filter(is_online=False, courses__in=upcoming.values("pk"))
            .order_by("town")
            .values_list("town", flat=True)
            .distinct()
        )
        teachers = (
            Teacher.objects.filter(courses__in=upcoming.values("pk"))
            .order_by("name")
            .values_list("slug", "name")
            .distinct()
        )
        form = CourseFilterForm(self.query or None, towns=list(towns), teachers=list(teachers))
        form.is_valid()
        return form

    @cached_property
    def courses(self) -> list[Course]:
        courses = list(self.form.filter(Course.objects.published().upcoming().for_listing()))
        return search.matching(courses, self.query.get("q", ""))

    @cached_property
    def groups(self) -> list[tuple[str, list[Course]]]:
        return group_by_start(self.courses)

    @cached_property
    def teachers(self) -> list[Teacher]:
        """Only read when nothing matches, to suggest a teacher to ask."""
        return list(Teacher.objects.only("name", "slug"))


@shared_page(params=CourseFilterForm.base_fields, scopes=["classes"])
class CourseListView(TemplateView):
    template_name = "classes/course_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        filters = [(name, self.request.GET.get(name)) for name in sorted(CourseFilterForm.base_fields)]
        return super().get_context_data(
            listing=CourseListing(self.request.GET),
            # The filters as the page cache keys them: one kept copy of the list per choice.
            filter_key=urlencode([(name, value) for name, value in filters if value is not None]),
            **kwargs,
        )


@shared_page(scopes=["classes"])
class CourseDetailView(DetailView):
    template_name = "classes/course_detail.html"
    context_object_name = "course"

    def get_queryset(self) -> QuerySet[Course]:
        return Course.objects.published().for_detail()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        canonical_url = settings.SITE_URL + self.object.get_absolute_url()
        return super().get_context_data(
            canonical_url=canonical_url,
            structured_data=course_data(self.object, url=canonical_url, site_url=settings.SITE_URL),
            today=timezone.localdate(),
            **kwargs,
        )


@shared_page(scopes=["classes"])
class TeacherDetailView(DetailView):
    template_name = "classes/teacher_detail.html"
    context_object_name = "teacher"
    model = Teacher

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        today = timezone.localdate()
        courses = list(self.object.courses.published().upcoming(today).for_listing())
        starting = [course for course in courses if course.first_date > today]
        return super().get_context_data(
            courses=courses,
            next_start=starting[0].first_date if starting else None,
            today=today,
            **kwargs,
        )


def _ics_response(content: bytes, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


# The download and the webcal:// subscription are the same address; ``?reminder=hour`` adds alarms.
@shared_page(params=[REMINDER_PARAM], scopes=["classes"])
@require_GET
def course_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    course = get_object_or_404(
        Course.objects.published().select_related("venue").prefetch_related("sessions"), slug=slug
    )
    content = calendar_bytes(
        [course], name=course.title, uid=f"course-{course.pk}", remind=wants_reminder(request.GET)
    )
    return _ics_response(content, f"{course.slug}.ics", attachment=True)


@shared_page(params=[REMINDER_PARAM], scopes=["classes"])
@require_GET
def calendar_feed(request: HttpRequest) -> HttpResponse:
    courses = Course.objects.published().upcoming().select_related("venue").prefetch_related("sessions")
    content = calendar_bytes(
        courses, name=_("BackCare yoga for backs classes"), uid="classes", remind=wants_reminder(request.GET)
    )
    return _ics_response(content, "backcare-classes.ics", attachment=False)


# --- Enquiries ----------------------------------------------------------------


def take_enquiry_allowance(ip: str | None) -> bool:
    """Count one enquiry from this address (IPv6: its /64); False once it has sent its hourly allowance."""
    window = ENQUIRY_RATE_WINDOW
    return visitors.allowance(
        "classes:enquiries",
        ip=ip,
        limit=settings.CLASSES_ENQUIRY_RATE_LIMIT,
        window=window,
        recent=Enquiry.objects.filter(created_at__gte=timezone.now() - timedelta(seconds=window)),
    )


def enquiry(request: HttpRequest, slug: str) -> HttpResponse:
    """The enquiry form: what someone types is kept on every error, and saved before it is sent."""
    teacher = get_object_or_404(Teacher, slug=slug)
    form = EnquiryForm(request.POST or None, teacher=teacher)
    status = 200
    found: list[str] = []
    if request.method == "POST" and form.is_valid():
        found = signs.warning_signs(form.cleaned_data["message"])
        if found and _already_saved(teacher, form.cleaned_data):
            # Sent again (nobody has answered yet): not saved twice, not counted against
            # the hourly limit, and the writer needs the urgent advice every time.
            return _urgent_advice(teacher)
        ip = visitors.client_ip(request)
        if take_enquiry_allowance(ip):
            saved = form.save(commit=False)
            saved.teacher = teacher
            saved.ip_address = ip
            saved.user_agent = request.headers.get("User-Agent", "")[:400]
            saved.referrer = request.headers.get("Referer", "")[:400]
            saved.language = request.LANGUAGE_CODE
            if found:
                saved.held_reason = (_("Describes warning signs of a back emergency: ") + "; ".join(found))[
                    :300
                ]
            with transaction.atomic():
                saved.save()
                # robust: a queue that is down must not turn a saved message into
                # an error page; ``sweep_enquiries`` delivers what was never enqueued.
                transaction.on_commit(lambda: deliver_enquiry.enqueue(saved.pk), robust=True)
            if saved.held_reason:
                return _urgent_advice(teacher)
            return redirect("classes:enquiry_sent", slug=teacher.slug)
        status = 429
    return render(
        request,
        "classes/enquiry_form.html",
        {
            "teacher": teacher,
            "form": form,
            "rate_limited": status == 429,
            # Refused before it was saved, so the advice is on this page.
            "urgent": status == 429 and bool(found),
        },
        status=status,
    )


def _already_saved(teacher: Teacher, cleaned: dict[str, Any]) -> bool:
    """This address has already sent this teacher this very message."""
    return Enquiry.objects.filter(
        teacher=teacher, email__iexact=cleaned["email"], message=cleaned["message"]
    ).exists()


def _urgent_advice(teacher: Teacher) -> HttpResponse:
    """The urgent-advice page in the language of this request, leading back to the teacher."""
    return redirect(reverse("safety:help_now") + "?" + urlencode({"next": teacher.get_absolute_url()}))


class EnquirySentView(TemplateView):
    """The same thanks whatever happens next: a spammer learns nothing from it."""

    template_name = "classes/enquiry_sent.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        teacher = get_object_or_404(Teacher, slug=self.kwargs["slug"])
        return super().get_context_data(teacher=teacher, **kwargs)


# --- Course alerts ------------------------------------------------------------


def _alert_form(data=None, initial=None) -> AlertSignupForm:
    towns = (
        Venue.objects.filter(is_online=False).exclude(town="").order_by("town").values_list("town", flat=True)
    )
    teachers = Teacher.objects.order_by("name").values_list("slug", "name")
    return AlertSignupForm(data, initial=initial, teachers=list(teachers), towns=list(towns.distinct()))


def _alert_initial(request: HttpRequest) -> dict[str, str]:
    """``?teacher=slug`` or ``?town=Name`` from the link on a teacher's, a course's or the list page."""
    if teacher := request.GET.get("teacher"):
        return {"about": f"teacher:{teacher}"}
    if town := request.GET.get("town"):
        return {"about": f"town:{town}"}
    return {}


@never_cache
@require_http_methods(["GET", "POST"])
def alert_signup(request: HttpRequest) -> HttpResponse:
    """Sign up for course alerts; saved unconfirmed, then a confirmation link is e-mailed."""
    form = _alert_form(request.POST or None, initial=_alert_initial(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        ip = visitors.client_ip(request)
        if alerts.take_signup_allowance(ip):
            signup = alerts.sign_up(
                email=form.cleaned_data["email"],
                **form.choice,
                ip=ip,
                user_agent=request.headers.get("User-Agent", ""),
                site_language=translation.get_language() or settings.LANGUAGE_CODE,
            )
            if signup.needs_confirmation:
                pk = signup.subscription.pk
                transaction.on_commit(lambda: confirm_alert_signup.enqueue(pk), robust=True)
            return redirect("classes:alert_sent")
        status = 429
    context = {"form": form, "rate_limited": status == 429}
    return render(request, "classes/alert_signup.html", context, status=status)


class AlertSentView(TemplateView):
    """The same answer for a new address, a repeated one and a spammer's."""

    template_name = "classes/alert_sent.html"


@never_cache
@require_http_methods(["GET", "POST"])
def alert_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; only POST confirms, so a mail program opening the link changes nothing."""
    try:
        subscription = alert_tokens.read_confirm_token(token)
    except alert_tokens.TokenProblem as problem:
        return render(request, "classes/alert_link_problem.html", {"expired": problem.expired}, status=400)
    if subscription is None:
        return render(request, "classes/alert_link_problem.html", {"gone": True}, status=400)
    if request.method == "POST":
        subscription = alerts.confirm(subscription)
        return render(request, "classes/alert_confirm.html", {"subscription": subscription, "done": True})
    return render(request, "classes/alert_confirm.html", {"subscription": subscription})


@csrf_exempt  # RFC 8058 one-click: mail providers POST here without our CSRF token
@never_cache
@require_http_methods(["GET", "POST"])
def alert_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; POST (ours, or a mail program's one-click) deletes the address's alerts.
    A link used again finds nothing left and says the alerts are stopped."""
    try:
        subscription = alert_tokens.read_unsubscribe_token(token)
    except alert_tokens.TokenProblem as problem:
        return render(request, "classes/alert_link_problem.html", {"expired": problem.expired}, status=400)
    if request.method == "POST" and subscription is not None:
        alerts.unsubscribe(subscription.email)
    if request.method == "POST" or subscription is None:
        return render(request, "classes/alert_unsubscribe.html", {"done": True})
    return render(request, "classes/alert_unsubscribe.html", {"email": subscription.email})
