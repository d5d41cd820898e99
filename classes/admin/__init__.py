"""The classes admin, one module per sub-domain: teachers keep their own courses current,
read the enquiries sent to them, confirm or decline the places asked for and see how many people wait for their next course;
editors see everything.

Who is an editor and who a teacher is decided in ``classes/permissions.py``;
each module here only asks. Importing this package registers every ModelAdmin.
"""

from . import alerts, bookings, courses, enquiries, teachers, venues

__all__ = ["alerts", "bookings", "courses", "enquiries", "teachers", "venues"]
