from django.core.management.base import BaseCommand, CommandError

from comments import spam


class Command(BaseCommand):
    help = "Check that Akismet accepts the configured API key and site address."

    def handle(self, *args, **options) -> None:
        client = spam.get_client()
        try:
            result = spam.verify_key(client=client)
        finally:
            spam.close(client)
        if result.failure:
            raise CommandError(f"Akismet key check failed ({result.failure}): {result.detail}")
        self.stdout.write(self.style.SUCCESS(f"Akismet accepts the key for {spam.akismet_blog_url()}."))
