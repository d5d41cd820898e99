"""Run by tests/operations/test_errors.py in a process of its own, under production settings.

``request``: one POST, with a session and a CSRF cookie, a password and an e-mail
address, to a view that raises. ``enqueue``: queue a task that raises, for
``manage.py db_worker --batch`` to run.
"""

import os
import sys
from io import BytesIO
from urllib.parse import urlencode

from django.views.decorators.csrf import csrf_exempt

SESSION_COOKIE = "session-cookie-value-0a1b2c3d4e5f"
CSRF_COOKIE = "csrf-cookie-value-9z8y7x6w5v4u3t2s"
POSTED_PASSWORD = "posted-password-never-mailed"
COMMENTER_EMAIL = "commenter@reader.example.net"


@csrf_exempt
def broken(request):
    password = request.POST.get("password")
    raise RuntimeError(f"the view broke ({len(password)} characters)")


def post_to_a_broken_view() -> str:
    """POST through backcare.wsgi.application, the callable gunicorn serves; its status line."""
    from django.conf import settings
    from django.urls import clear_url_caches, path

    from backcare import urls

    # Static files are not collected here: the error page links the source files instead.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    urls.urlpatterns.insert(0, path("broken/", broken))
    clear_url_caches()
    from backcare.wsgi import application

    body = urlencode({"name": "A reader", "email": COMMENTER_EMAIL, "password": POSTED_PASSWORD}).encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/broken/",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "backcare.example.org",
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_X_FORWARDED_FOR": "203.0.113.7",
        "HTTP_COOKIE": f"sessionid={SESSION_COOKIE}; csrftoken={CSRF_COOKIE}",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    statuses: list[str] = []
    response = application(environ, lambda status, headers, exc_info=None: statuses.append(status))
    b"".join(response)
    getattr(response, "close", lambda: None)()
    return statuses[0].split()[0]


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backcare.settings")
    django.setup()
    if sys.argv[1] == "request":
        print(post_to_a_broken_view())
    else:
        from tests.operations.broken_tasks import fail_on_purpose

        print(fail_on_purpose.enqueue().id)
    import sentry_sdk

    sentry_sdk.flush()
