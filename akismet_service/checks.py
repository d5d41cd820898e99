from django.core import checks

from . import api


@checks.register(checks.Tags.compatibility)
def akismet_configured(app_configs, **kwargs) -> list[checks.CheckMessage]:
    if api.is_configured():
        return []
    return [
        checks.Warning(
            "Akismet is not configured: every comment will be held for moderation.",
            hint="Set PYTHON_AKISMET_API_KEY (and PYTHON_AKISMET_BLOG_URL) in the environment, "
            "then run `manage.py akismet_verify`.",
            id="akismet_service.W001",
        )
    ]
