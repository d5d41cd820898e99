from django.core.management.base import BaseCommand

from classes import alerts
from classes.models import AnnouncedCourse, Course
from classes.tasks import send_course_alerts


class Command(BaseCommand):
    help = (
        "Announce published courses whose alert task was lost, then send the course alerts that are due "
        "(run every few minutes: it sends what the one-a-day rule held back)."
    )

    def handle(self, *args, **options) -> None:
        lost = (
            Course.objects.published()
            .exclude(pk__in=AnnouncedCourse.objects.values("course_id"))
            .values_list("pk", flat=True)
        )
        queued = sum(alerts.announce(pk) for pk in lost)
        sent = send_course_alerts.call()
        self.stdout.write(f"Course alerts: {queued} queued, {sent} e-mail(s) sent.")
