from django.apps import AppConfig
from django.core import checks
from django.core.signals import setting_changed


class PageCacheConfig(AppConfig):
    """Shared anonymous pages (see this package's docstring); it has no models of its own yet."""

    name = "pagecache"

    def ready(self) -> None:
        from .checks import check_shared_page_scopes
        from .keys import forget_page_specs

        setting_changed.connect(forget_page_specs, dispatch_uid="pagecache:settings")
        checks.register(check_shared_page_scopes, checks.Tags.urls)
