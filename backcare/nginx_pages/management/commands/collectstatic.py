"""``collectstatic``, then the pages nginx sends itself (backcare/nginx_pages)."""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles.management.commands.collectstatic import Command as CollectStatic

from backcare.nginx_pages.pages import missing_stylesheets, write_error_pages


class Command(CollectStatic):
    help = CollectStatic.help + " Then writes the pages nginx sends itself (its 429 page) into errors/."

    def handle(self, **options: Any) -> str | None:
        summary = super().handle(**options)
        if options["dry_run"]:
            return summary
        if missing := missing_stylesheets():
            self.stderr.write(f"nginx's error pages not written: {', '.join(missing)} not collected.")
            return summary
        for path in write_error_pages():
            self.log(f"Wrote '{path}'", level=1)
        return summary
