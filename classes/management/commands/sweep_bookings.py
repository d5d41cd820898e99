from django.core.management.base import BaseCommand

from classes import tasks


class Command(BaseCommand):
    help = (
        "Pass waiting-list offers that ran out to the next person, check place requests whose check "
        "was lost, and send booking e-mails still waiting (a mail server that was down). Run it from "
        "cron every few minutes, with sweep_enquiries."
    )

    def handle(self, *args, **options) -> None:
        sent = tasks.sweep_bookings.call()
        self.stdout.write(f"Sent {sent} booking e-mail(s) that had been left behind.")
