"""The public pages of place requests: the form, and the pages its e-mailed links open.

The form follows the enquiry form: what someone types is kept on every error,
the request is saved before anything else happens, and the spam check and
e-mails run after commit. Each link's GET page shows a button; only its POST
acts, so a mail program that opens links changes nothing.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from akismet_service import visitors
from safety import signs

from . import booking_tokens, bookings
from .forms import BookingForm
from .models import Booking, Course
from .tasks import check_booking


def _course(slug: str) -> Course:
    return get_object_or_404(Course.objects.published().select_related("venue"), slug=slug)


@never_cache
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, slug: str) -> HttpResponse:
    course = _course(slug)
    if not bookings.is_open(course):
        return render(request, "classes/booking_closed.html", {"course": course}, status=410)
    form = BookingForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        ip = visitors.client_ip(request)
        if bookings.take_allowance(ip):
            data = form.cleaned_data
            found = signs.warning_signs(data["note"]) if data["note"] else []
            asked = bookings.ask(
                course=course,
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                note=data["note"],
                language=request.LANGUAGE_CODE,
                ip=ip,
                user_agent=request.headers.get("User-Agent", ""),
                referrer=request.headers.get("Referer", ""),
                warning_signs=(_("Describes warning signs of a back emergency: ") + "; ".join(found))
                if found
                else "",
            )
            if asked.needs_check:
                pk = asked.booking.pk
                # robust: a queue that is down must not turn a saved request into an error page;
                # ``sweep_bookings`` checks what was never enqueued.
                transaction.on_commit(lambda: check_booking.enqueue(pk), robust=True)
            if found:
                # The request is saved and goes ahead; the reader needs the urgent advice first.
                next_url = reverse("classes:booking_sent", args=[course.slug])
                return redirect(reverse("safety:help_now") + "?" + urlencode({"next": next_url}))
            return redirect("classes:booking_sent", slug=course.slug)
        status = 429
    context = {"course": course, "form": form, "rate_limited": status == 429}
    return render(request, "classes/booking_form.html", context, status=status)


@never_cache
def booking_sent(request: HttpRequest, slug: str) -> HttpResponse:
    """The same answer for a new address, a repeated one and a spammer's."""
    return render(request, "classes/booking_sent.html", {"course": _course(slug)})


def _from_link(request: HttpRequest, token: str, kind: str) -> Booking | HttpResponse:
    try:
        booking = booking_tokens.read_token(token, kind)
    except booking_tokens.TokenProblem as problem:
        context = {"expired": problem.expired, "kind": kind}
        return render(request, "classes/booking_link_problem.html", context, status=400)
    if booking is None:
        return render(request, "classes/booking_link_problem.html", {"gone": True, "kind": kind}, status=400)
    return booking


@never_cache
@require_http_methods(["GET", "POST"])
def booking_confirm(request: HttpRequest, token: str) -> HttpResponse:
    booking = _from_link(request, token, "confirm")
    if isinstance(booking, HttpResponse):
        return booking
    done = request.method == "POST"
    if done:
        booking = bookings.confirm_address(booking)
    context = {
        "booking": booking,
        "course": booking.course,
        "done": done or booking.status != Booking.Status.UNCONFIRMED,
        "position": bookings.waiting_position(booking),
    }
    return render(request, "classes/booking_confirm.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def booking_offer(request: HttpRequest, token: str) -> HttpResponse:
    booking = _from_link(request, token, "offer")
    if isinstance(booking, HttpResponse):
        return booking
    lapsed = booking.status == Booking.Status.LAPSED
    if request.method == "POST" and not lapsed:
        try:
            booking = bookings.accept_offer(booking)
        except bookings.OfferLapsed:
            lapsed = True
    context = {"booking": booking, "course": booking.course, "lapsed": lapsed}
    return render(request, "classes/booking_offer.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def booking_cancel(request: HttpRequest, token: str) -> HttpResponse:
    booking = _from_link(request, token, "cancel")
    if isinstance(booking, HttpResponse):
        return booking
    if request.method == "POST":
        booking = bookings.cancel(booking)
    context = {
        "booking": booking,
        "course": booking.course,
        "done": booking.status == Booking.Status.CANCELLED,
    }
    return render(request, "classes/booking_cancel.html", context)
