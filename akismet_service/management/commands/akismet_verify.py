from django.core.management.base import BaseCommand, CommandError

from akismet_service import api, health


class Command(BaseCommand):
    help = "Check that Akismet accepts the configured API key and site address."

    def handle(self, *args, **options) -> None:
        with api.connect() as (client, _alerts):
            result = api.verify_key(client=client)
        health.record(result)
        if result.failure:
            raise CommandError(f"Akismet key check failed ({result.failure}): {result.detail}")
        self.stdout.write(self.style.SUCCESS(f"Akismet accepts the key for {api.akismet_blog_url()}."))
