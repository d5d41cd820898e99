from django.core.management.base import BaseCommand

from classes import tasks


class Command(BaseCommand):
    help = (
        "Deliver enquiries to teachers that were saved but never checked (a lost task or a killed "
        "worker). Run it from cron every few minutes, with recheck_comments."
    )

    def handle(self, *args, **options) -> None:
        done = tasks.sweep_enquiries.call()
        self.stdout.write(f"Delivered {done} enquiry(s) that had been left behind.")
