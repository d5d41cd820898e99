"""schema.org descriptions of courses, for search engines."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from .models import Course, Session

SCHEMA = "https://schema.org/"

AVAILABILITY: dict[str, str] = {
    Course.BookingStatus.OPEN: "InStock",
    Course.BookingStatus.FEW_PLACES: "LimitedAvailability",
    Course.BookingStatus.FULL: "SoldOut",
    Course.BookingStatus.WAITING_LIST: "SoldOut",
    Course.BookingStatus.CANCELLED: "Discontinued",
}

LANGUAGES: dict[str, list[str]] = {
    Course.Language.ENGLISH: ["en"],
    Course.Language.WELSH: ["cy"],
    Course.Language.BILINGUAL: ["cy", "en"],
}


def _location(course: Course, url: str) -> dict[str, Any]:
    venue = course.venue
    if venue.is_online:
        return {"@type": "VirtualLocation", "url": url}
    place: dict[str, Any] = {
        "@type": "Place",
        "name": venue.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": ", ".join(line.strip() for line in venue.address.splitlines() if line.strip()),
            "addressLocality": venue.town,
            "postalCode": venue.postcode,
            "addressCountry": "GB",
        },
    }
    if venue.latitude is not None and venue.longitude is not None:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(venue.latitude),
            "longitude": float(venue.longitude),
        }
    return place


def _offer(course: Course, url: str) -> dict[str, Any]:
    offer = {
        "@type": "Offer",
        "price": f"{course.price:.2f}",
        "priceCurrency": "GBP",
        "availability": SCHEMA + AVAILABILITY[course.booking_status],
        "url": url,
        "category": "Paid" if course.price else "Free",
    }
    if course.concessions:
        offer["description"] = course.concessions
    return offer


def _instance(
    session: Session, course: Course, url: str, instructors: list[dict[str, Any]]
) -> dict[str, Any]:
    cancelled = session.is_cancelled or course.booking_status == Course.BookingStatus.CANCELLED
    instance: dict[str, Any] = {
        "@type": "CourseInstance",
        "name": course.title,
        "startDate": session.starts_at.isoformat(),
        "endDate": session.ends_at.isoformat(),
        "courseMode": "online" if course.venue.is_online else "onsite",
        "eventAttendanceMode": SCHEMA
        + ("OnlineEventAttendanceMode" if course.venue.is_online else "OfflineEventAttendanceMode"),
        "eventStatus": SCHEMA + ("EventCancelled" if cancelled else "EventScheduled"),
        "location": _location(course, url),
        "offers": _offer(course, url),
        "instructor": instructors,
        "inLanguage": LANGUAGES[course.language],
    }
    if session.is_cancelled:
        # The page's language: the Welsh page's data says "Canslwyd:" and the Welsh reason.
        instance["description"] = _("Cancelled: %(reason)s") % {"reason": session.cancellation_reason}
    return instance


def course_data(course: Course, *, url: str, site_url: str) -> dict[str, Any]:
    """A Course with one CourseInstance (a kind of Event) for every session, cancelled ones included."""
    instructors = [
        {"@type": "Person", "name": teacher.name, "url": site_url + teacher.get_absolute_url()}
        for teacher in course.teachers.all()
    ]
    return {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": course.title,
        "description": course.description,
        "url": url,
        "inLanguage": LANGUAGES[course.language],
        "provider": {"@type": "Organization", "name": "BackCare", "url": site_url + "/"},
        "offers": _offer(course, url),
        "hasCourseInstance": [
            _instance(session, course, url, instructors) for session in course.sessions.all()
        ],
    }
