"""Demo teachers, venues and courses, with dates around today. Loaded by ``manage.py load_demo``.

Every name, address and e-mail address here is invented; there are no phone numbers.
Safe to run again: it refreshes the demo courses (and their dates) instead of adding more.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone, translation

from .bookings import refill
from .models import Booking, Course, Session, Teacher, Venue
from .permissions import teachers_group

TEACHER_USERNAME = "teacher"
TEACHER_PASSWORD = "gentle-teacher-demo"  # noqa: S105 - demo only; printed by `make run`.

TEACHERS: list[dict[str, Any]] = [
    {
        "slug": "gwen-demo",
        "name": "Gwen Demo",
        "organisation": "Ioga Glan Môr (demo group)",
        "organisation_cy": "Ioga Glan Môr (grŵp enghreifftiol)",
        "bio": (
            "Gwen has taught gentle yoga for twenty years and runs small classes for people "
            "whose backs have had enough of desks, driving and gardening.\n\n"
            "Classes are slow and friendly; chairs are always there for anyone who cannot get "
            "down to the floor."
        ),
        "qualifications": "Yoga teacher diploma (demo)\nYoga for backs teacher training (demo)",
        "bio_cy": (
            "Mae Gwen wedi bod yn dysgu ioga ysgafn ers ugain mlynedd, ac mae’n cynnal dosbarthiadau "
            "bach i bobl y mae eu cefnau wedi cael digon ar ddesgiau, gyrru a garddio.\n\n"
            "Mae’r dosbarthiadau’n araf ac yn gyfeillgar; mae cadeiriau yno bob amser i unrhyw un "
            "sy’n methu eistedd ar y llawr."
        ),
        "qualifications_cy": "Diploma athro ioga (demo)\nHyfforddiant athrawon ioga i’r cefn (demo)",
        "email": "gwen@example.org",
        "show_email": False,
        "website": "https://example.org/gwen",
        "show_website": True,
    },
    {
        "slug": "sian-example",
        "name": "Siân Example",
        "organisation": "Ioga Glan Môr (demo group)",
        "organisation_cy": "Ioga Glan Môr (grŵp enghreifftiol)",
        "bio": "Siân teaches in Welsh and English, and likes a class that ends with a long rest.",
        "qualifications": "Yoga teacher diploma (demo)",
        "bio_cy": "Mae Siân yn dysgu yn Gymraeg ac yn Saesneg, ac mae’n hoffi dosbarth sy’n gorffen gyda gorffwys hir.",
        "qualifications_cy": "Diploma athro ioga (demo)",
        "email": "sian@example.org",
        "show_email": True,
        "website": "",
        "show_website": False,
    },
]

VENUES: list[dict[str, Any]] = [
    {
        "name": "Prom Community Hall (demo)",
        "address": "1 Example Parade",
        "town": "Aberystwyth",
        "postcode": "SY23 9ZZ",
        "step_free_access": True,
        "parking": False,
        "accessible_toilet": True,
        "mats_provided": True,
        "chairs_available": True,
        "accessibility_notes": "Level entrance from the street. Pay-and-display parking five minutes' walk away.",
        "accessibility_notes_cy": "Mynedfa wastad o’r stryd. Maes parcio talu ac arddangos bum munud i ffwrdd ar droed.",
    },
    {
        "name": "Hillside Chapel Vestry (demo)",
        "address": "Sample Street",
        "town": "Aberystwyth",
        "postcode": "SY23 9ZY",
        "step_free_access": False,
        "parking": True,
        "accessible_toilet": False,
        "mats_provided": False,
        "chairs_available": True,
        "accessibility_notes": "Three steps up to the door, with a handrail. Bring your own mat if you have one.",
        "accessibility_notes_cy": "Tri gris i fyny at y drws, gyda chanllaw. Dewch â’ch mat eich hun os oes gennych chi un.",
    },
]


DEMO_BOOKINGS = [
    ("rhian.reader@example.org", "Rhian Reader (demo)", Booking.Status.CONFIRMED, ""),
    (
        "tom.reader@example.org",
        "Tom Reader (demo)",
        Booking.Status.REQUESTED,
        "I use a chair for floor work.",
    ),
]


def _on_weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _courses(today: date) -> list[dict[str, Any]]:
    running_start = today - timedelta(weeks=3)
    next_month = _on_weekday((today.replace(day=1) + timedelta(days=32)).replace(day=1), 3)
    welsh_start = _on_weekday(today + timedelta(days=10), 0)
    return [
        {
            "slug": "yoga-for-backs-demo-autumn",
            "title": "Yoga for backs: gentle start",
            "title_cy": "Ioga i’r cefn: dechrau’n ysgafn",
            "teacher": "gwen-demo",
            "venue": 0,
            "language": Course.Language.ENGLISH,
            "level": Course.Level.BEGINNERS,
            "start": running_start,
            "weeks": 8,
            "times": (time(19, 0), time(20, 15)),
            # Week: (the reason in English, in Welsh).
            "cancel": {
                4: (
                    "Teacher away: this week is added at the end of the course.",
                    "Athrawes i ffwrdd: caiff yr wythnos hon ei hychwanegu at ddiwedd y cwrs.",
                )
            },
            "booking_status": Course.BookingStatus.FEW_PLACES,
            "capacity": 10,
            "places_left": 2,
            "places_by_phone": 7,
            "price": Decimal("64.00"),
            "description": (
                "Eight gentle classes for a stiff or sore back: breathing, small movements lying "
                "down, and ways to sit and stand that ease the lower back.\n\n"
                "No experience needed. Wear comfortable clothes."
            ),
            "description_cy": (
                "Wyth dosbarth ysgafn i gefn anystwyth neu boenus: anadlu, symudiadau bach wrth orwedd, a "
                "ffyrdd o eistedd a sefyll sy’n llacio rhan isaf y cefn.\n\n"
                "Does dim angen profiad. Gwisgwch ddillad cyfforddus."
            ),
        },
        {
            "slug": "yoga-for-backs-demo-next",
            "title": "Yoga for backs: next steps",
            "title_cy": "Ioga i’r cefn: y camau nesaf",
            "teacher": "gwen-demo",
            "venue": 1,
            "language": Course.Language.ENGLISH,
            "level": Course.Level.ALL,
            "start": next_month,
            "weeks": 6,
            "times": (time(10, 30), time(11, 45)),
            "cancel": {},
            "booking_status": Course.BookingStatus.OPEN,
            "capacity": 12,
            "places_left": 12,
            "places_by_phone": 0,
            "price": Decimal("48.00"),
            "description": "Six morning classes that build on the gentle start course, at an easy pace.",
            "description_cy": "Chwe dosbarth bore sy’n adeiladu ar y cwrs ‘Dechrau’n ysgafn’, ar gyflymder hamddenol.",
        },
        {
            "slug": "ioga-ir-cefn-demo",
            "title": "Yoga for the back, in Welsh",
            "title_cy": "Ioga i’r cefn",
            "teacher": "sian-example",
            "venue": 0,
            "language": Course.Language.WELSH,
            "level": Course.Level.ALL,
            "start": welsh_start,
            "weeks": 6,
            "times": (time(18, 0), time(19, 0)),
            "cancel": {},
            "booking_status": Course.BookingStatus.OPEN,
            "capacity": 10,
            "places_left": 7,
            "places_by_phone": 3,
            "price": Decimal("42.00"),
            "description": "Six gentle classes for the back, taught in Welsh. Learners are welcome.",
            "description_cy": "Chwe dosbarth ioga ysgafn i’r cefn, yn Gymraeg. Croeso cynnes i ddysgwyr.",
        },
    ]


@transaction.atomic
def load() -> dict[str, Any]:
    """Create or refresh the demo teachers, venues, courses and the teacher login, in both languages."""
    with translation.override("en-gb"):
        return _load()


def _load() -> dict[str, Any]:
    today = timezone.localdate()
    teachers = {}
    for data in TEACHERS:
        data = dict(data)
        slug = data.pop("slug")
        teachers[slug], _ = Teacher.objects.update_or_create(slug=slug, defaults=data)
    venues = []
    for data in VENUES:
        data = dict(data)
        venue, _ = Venue.objects.update_or_create(name=data.pop("name"), defaults=data)
        venues.append(venue)

    courses = []
    for data in _courses(today):
        data = dict(data)
        start, weeks, (start_time, end_time), cancel = (
            data.pop("start"),
            data.pop("weeks"),
            data.pop("times"),
            data.pop("cancel"),
        )
        teacher = teachers[data.pop("teacher")]
        course, _ = Course.objects.update_or_create(
            slug=data.pop("slug"),
            defaults={
                **data,
                "venue": venues[data["venue"]],
                "weekday": start.weekday(),
                "start_time": start_time,
                "end_time": end_time,
                "concessions": "Ask about a reduced price if money is tight.",
                "concessions_cy": "Gofynnwch am bris is os yw arian yn brin.",
                "how_to_book": "Send the teacher a message through this site, saying which course you would like.",
                "how_to_book_cy": "Anfonwch neges at yr athro drwy’r wefan hon, gan ddweud pa gwrs yr hoffech chi.",
                "is_published": True,
            },
        )
        course.teachers.set([teacher])
        course.sessions.all().delete()
        Session.objects.bulk_create(
            Session(
                course=course,
                date=start + timedelta(weeks=week),
                start_time=start_time,
                end_time=end_time,
                is_cancelled=week in cancel,
                cancellation_reason_en_gb=cancel.get(week, ("", ""))[0],
                cancellation_reason_cy=cancel.get(week, ("", ""))[1],
            )
            for week in range(weeks)
        )
        courses.append(course)

    # One place confirmed and one request waiting for the teacher, on the first course.
    for email, name, status, note in DEMO_BOOKINGS:
        Booking.objects.update_or_create(
            course=courses[0],
            email=email,
            defaults={
                "name": name,
                "status": status,
                "note": note,
                "verdict": Booking.Verdict.HAM,
                "address_confirmed_at": timezone.now(),
            },
        )
    for course in courses:
        refill(course.pk)

    user, _ = get_user_model().objects.get_or_create(
        username=TEACHER_USERNAME,
        defaults={"email": "gwen@example.org", "first_name": "Gwen", "last_name": "Demo"},
    )
    user.is_staff = True
    user.is_superuser = False
    user.set_password(TEACHER_PASSWORD)
    user.save()
    user.groups.add(teachers_group(group_model=Group, permission_model=Permission))
    Teacher.objects.filter(user=user).exclude(slug="gwen-demo").update(user=None)
    teachers["gwen-demo"].user = user
    teachers["gwen-demo"].save(update_fields=["user"])

    return {
        "teachers": list(teachers.values()),
        "venues": venues,
        "courses": courses,
        "teacher_login": (TEACHER_USERNAME, TEACHER_PASSWORD),
    }
