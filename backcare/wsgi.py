import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backcare.settings")

django_application = get_wsgi_application()

# Cached pages are answered before Django's handler and middleware (pagecache/wsgi.py).
from pagecache.wsgi import ServeHitsBeforeDjango  # noqa: E402 - needs the settings above

application = ServeHitsBeforeDjango(django_application)
