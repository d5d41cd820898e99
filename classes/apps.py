from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ClassesConfig(AppConfig):
    name = "classes"
    verbose_name = _("Yoga for backs classes")

    def ready(self) -> None:
        from pagecache.invalidation import retire_on_change

        from .models import Course, Session, Teacher, Venue
        from .signals import announce_when_published, send_when_queued

        retire_on_change(Teacher, Venue, Course, Session, scope="classes")

        post_save.connect(
            announce_when_published, sender="classes.Course", dispatch_uid="classes.announce_when_published"
        )
        post_save.connect(
            send_when_queued, sender="classes.BookingMessage", dispatch_uid="classes.send_when_queued"
        )
