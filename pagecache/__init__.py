"""Whole-page caching of anonymous pages, in the shared cache.

Anonymous pages (home, exercises, classes…) are the same for every visitor
who carries no personal cookie: they hold no CSRF token, no session data and
no per-user markup (the comment form is protected by a signed token and an
origin check instead; see comments/forms.py). So they can be rendered once,
kept in the shared cache (Redis in production) and sent to everyone, with
``Cache-Control: public``, an ``ETag`` and ``Last-Modified`` so browsers and
nginx can revalidate with a cheap 304.

Which pages, and the key (``keys.py``): a view says it is shared with
``@shared_page(params=..., scopes=...)`` (``decorators.py``): the query
parameters it reads and the *scopes* of content it shows. The key is the
release (``BACKCARE_RELEASE``, ``release.py``: a restarted process with new
code, templates or Welsh strings never answers from the old release's pages),
the host (checked against ``ALLOWED_HOSTS`` first), the language, the path and
only those parameters, in canonical order; a request with any other parameter
is answered by Django without being stored, so made-up query strings cannot
fill the cache. Every entry has a TTL (``PAGE_CACHE_SECONDS``).

Freshness (``invalidation.py``): every cached page carries the *generation*
numbers it was rendered under: the site-wide one, one per scope it depends on
(``exercises``, ``classes``, ``comments``) and one for its own path. They are
read in the same round trip as the page, and the page counts only while all
still match. A change bumps only the generations of what it touches (an app's
``ready()`` says ``retire_on_change(Model, ..., scope=...)``; an approved
comment bumps its page's path, one counter for that page in every language),
and only after its transaction commits (``transaction.on_commit``): a reader
who renders while the change is still uncommitted stores the old page under
the old numbers, which the bump then retires. A save nothing public shows (a
pending or spam comment, a verdict on it, an audit row, a re-check time)
bumps nothing. Nothing is kept in process memory, so several app servers stay
consistent.

When the cache is down or slow (``guard.py``) pages are rendered as if nothing
were cached (``X-Page-Cache: unavailable``), and a change still retires the
pages later: a bump that fails is written to the database
(``models.MissedPageInvalidation``) and the first process that reaches
the cache again bumps the site-wide generation before serving any page. A
process that saw no failure itself checks for such rows every
``PAGE_CACHE_RECONCILE_SECONDS`` (2 s with Redis). So a page cached before an
outage is never served after a change made during it once the cache is back;
a hiccup shorter than that interval, which this process never saw, can leave
the old page up for at most the interval.

Personal pages are never shared (``personal.py``): a request carrying a
session, a message or a cookie an app declared personal, or from a signed-in
user, bypasses the cache and gets a ``private`` response; and a response
something else marked ``private`` (the comments app does, for a page showing
the reader's own held comment or their saved details) is never stored. Public
pages say ``Vary: Cookie``, so no other cache hands a cookie-holder's page to
someone else either.

Languages: the URL alone decides a page's language (Django's
``i18n_patterns``), so the URL is the key and no page varies on
``Accept-Language``.

``wsgi.py`` answers hits before Django (``ServeHitsBeforeDjango``);
``middleware.py`` answers the rest and stores what it renders. Parts of pages
are kept under the same generations by ``{% cachedfragment %}``
(``templatetags/fragments.py``).

This app imports no other app of ours: content apps use it, never the reverse.
"""
