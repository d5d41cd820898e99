from django.apps import AppConfig, apps
from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save


class BackcareConfig(AppConfig):
    name = "backcare"
    verbose_name = "BackCare"

    def ready(self) -> None:
        from . import accounts  # noqa: F401 - connects the failed sign-in log
        from .pagecache import invalidate

        for label in settings.PAGE_CACHE_INVALIDATED_BY:
            model = apps.get_model(label)
            uid = f"pagecache:{label}"
            post_save.connect(invalidate, sender=model, dispatch_uid=f"{uid}:save")
            post_delete.connect(invalidate, sender=model, dispatch_uid=f"{uid}:delete")
            for field in model._meta.many_to_many:
                m2m_changed.connect(
                    invalidate, sender=field.remote_field.through, dispatch_uid=f"{uid}:{field.name}"
                )
