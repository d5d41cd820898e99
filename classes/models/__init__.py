"""The classes app's models, one module per sub-domain (as Wagtail's ``wagtail/models/``).

- ``teachers``, ``venues`` and ``courses``: the listings (who, where, when);
- ``enquiries``: what readers write to a teacher;
- ``alerts``: course alert sign-ups and what each is still owed;
- ``bookings``: places readers ask for, and the e-mails each is owed.

Dependencies point one way: teachers and venues know nothing else; courses know
both; enquiries and alerts know the listings, never each other. Every name is
re-exported here, so ``from classes.models import Course`` keeps working and
Django finds the models (their app label is still ``classes``).
"""

# In the order the models were declared in the one models.py this package replaces, so
# Django registers them (and lists them to dumpdata, flush and the like) as before.
# isort: off
from .teachers import Teacher, require_alt_text
from .venues import Venue
from .courses import (
    EARLIEST_START,
    FURTHEST_AHEAD,
    LATEST_END,
    LONGEST_SESSION,
    Course,
    CourseQuerySet,
    Session,
    Weekday,
    check_session_times,
    publishing_problem,
    unique_slug,
)
from .enquiries import Enquiry
from .alerts import ONLINE_TOWN, AlertSubscription, AlertSubscriptionQuerySet, AnnouncedCourse, PendingAlert
from .bookings import Booking, BookingMessage, BookingQuerySet, BookingStatus
# isort: on

__all__ = [
    "EARLIEST_START",
    "FURTHEST_AHEAD",
    "LATEST_END",
    "LONGEST_SESSION",
    "ONLINE_TOWN",
    "AlertSubscription",
    "AlertSubscriptionQuerySet",
    "AnnouncedCourse",
    "Booking",
    "BookingMessage",
    "BookingQuerySet",
    "BookingStatus",
    "Course",
    "CourseQuerySet",
    "Enquiry",
    "PendingAlert",
    "Session",
    "Teacher",
    "Venue",
    "Weekday",
    "check_session_times",
    "publishing_problem",
    "require_alt_text",
    "unique_slug",
]
