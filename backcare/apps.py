from functools import partial

from django.apps import AppConfig, apps
from django.conf import settings
from django.core.signals import setting_changed
from django.db.models.signals import m2m_changed, post_delete, post_save


class BackcareConfig(AppConfig):
    name = "backcare"
    verbose_name = "BackCare"

    def ready(self) -> None:
        """Tie the page cache to the models whose changes readers see (backcare/pagecache.py)."""
        from . import (
            accounts,  # noqa: F401 - connects the failed sign-in log
            pagecache,
        )

        for label in settings.PAGE_CACHE_SCOPES_OF:
            model = apps.get_model(label)
            uid = f"pagecache:{label}"
            changed = partial(pagecache.content_changed, label=label)
            # weak=False: the partial lives only in the signal's list of receivers.
            post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}:save")
            post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}:delete")
            for field in model._meta.many_to_many:
                m2m_changed.connect(
                    changed,
                    sender=field.remote_field.through,
                    weak=False,
                    dispatch_uid=f"{uid}:{field.name}",
                )
        setting_changed.connect(pagecache.forget_page_specs, dispatch_uid="pagecache:settings")
        comment = apps.get_model("comments.Comment")
        post_save.connect(pagecache.comment_saved, sender=comment, dispatch_uid="pagecache:comment:save")
        post_delete.connect(
            pagecache.comment_deleted, sender=comment, dispatch_uid="pagecache:comment:delete"
        )
