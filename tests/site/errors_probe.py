"""Run by tests/site/test_errors.py in a process of its own, under production settings.

``request``: one POST, with a session and a CSRF cookie, a password and an e-mail
address, to a view that raises. ``enqueue``: queue a task that raises, for
``manage.py db_worker --batch`` to run.
"""

import os
import sys

from django.views.decorators.csrf import csrf_exempt

SESSION_COOKIE = "session-cookie-value-0a1b2c3d4e5f"
CSRF_COOKIE = "csrf-cookie-value-9z8y7x6w5v4u3t2s"
POSTED_PASSWORD = "posted-password-never-mailed"
COMMENTER_EMAIL = "commenter@reader.example.net"


@csrf_exempt
def broken(request):
    password = request.POST.get("password")
    raise RuntimeError(f"the view broke ({len(password)} characters)")


def post_to_a_broken_view() -> int:
    from django.conf import settings
    from django.test import Client
    from django.urls import clear_url_caches, path

    from backcare import urls

    # Static files are not collected here: the error page links the source files instead.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    urls.urlpatterns.insert(0, path("broken/", broken))
    clear_url_caches()
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = SESSION_COOKIE
    client.cookies["csrftoken"] = CSRF_COOKIE
    response = client.post(
        "/broken/",
        {"name": "A reader", "email": COMMENTER_EMAIL, "password": POSTED_PASSWORD},
        headers={"host": "backcare.example.org", "x-forwarded-proto": "https"},
    )
    return response.status_code


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backcare.settings")
    django.setup()
    if sys.argv[1] == "request":
        print(post_to_a_broken_view())
    else:
        from tests.site.broken_tasks import fail_on_purpose

        print(fail_on_purpose.enqueue().id)
    import sentry_sdk

    sentry_sdk.flush()
