"""Pages nginx sends itself, written into the static folder by ``collectstatic``.

nginx answers a rate-limited request with 429 before the app sees it
(deploy/nginx/backcare.conf), so it needs a finished page on disk. The page is
an ordinary template (``templates/errors/429.html``), translated through the
Welsh catalogue like every other string, and rendered once per language when
the static files are collected: then it links the stylesheets under the hashed
names collectstatic has just written, and every place that collects static files
(the install, an update, bench/run, the tests) refreshes it without another step.

This app is listed before ``django.contrib.staticfiles`` so that its
``collectstatic`` command, which adds the pages after the ordinary work, is the
one Django runs (the pattern of WhiteNoise's ``runserver_nostatic``).
"""
