from django.apps import AppConfig
from django.db.models.signals import post_save, pre_save
from django.utils.translation import gettext_lazy as _


class ClassesConfig(AppConfig):
    name = "classes"
    verbose_name = _("Yoga for backs classes")

    def ready(self) -> None:
        from pagecache.invalidation import retire_on_change

        from . import calendar
        from .models import Course, Session, Teacher, Venue
        from .signals import announce_when_published, send_when_queued

        retire_on_change(Teacher, Venue, Course, Session, scope="classes")

        post_save.connect(
            announce_when_published, sender="classes.Course", dispatch_uid="classes.announce_when_published"
        )
        # Calendar apps keep an event whose SEQUENCE did not grow: a change on the course or the
        # venue is a new version of each of its sessions (classes/calendar.py).
        pre_save.connect(calendar.note_course_change, sender=Course, dispatch_uid="classes.calendar.course")
        post_save.connect(
            calendar.bump_sessions_of_course, sender=Course, dispatch_uid="classes.calendar.course"
        )
        pre_save.connect(calendar.note_venue_change, sender=Venue, dispatch_uid="classes.calendar.venue")
        post_save.connect(
            calendar.bump_sessions_at_venue, sender=Venue, dispatch_uid="classes.calendar.venue"
        )
        post_save.connect(
            send_when_queued, sender="classes.BookingMessage", dispatch_uid="classes.send_when_queued"
        )
