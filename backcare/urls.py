from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from accounts.admin_language import admin_language_view
from pagecache.decorators import shared_page

from . import views
from .offline import views as offline
from .sitemaps import SITEMAPS
from .view_on_site import view_on_site

admin.site.site_header = _("BackCare administration")
admin.site.site_title = _("BackCare admin")
admin.site.index_title = _("Exercises, classes and comments")
# Staff sign in through allauth (accounts/sign_in.py): rate limits, lockout, second factors.
# allauth's documented way in; mypy forbids replacing a method on an instance, which is the point here.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

# One address per file for robots, the sitemap (which lists both languages) and the admin.
urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots"),
    # At the root, so the worker's scope is the whole site, both languages (backcare/offline/).
    path("sw.js", offline.service_worker, name="service_worker"),
    path(
        "sitemap.xml",
        shared_page(scopes=["exercises", "classes"])(sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    # Ahead of the admin's own "view on site" address (admin:view_on_site), which it replaces.
    path("admin/r/<int:content_type_id>/<path:object_id>/", admin.site.admin_view(view_on_site)),
    # Each login's choice of English or Welsh for the admin (accounts/admin_language.py).
    path("admin/language/", admin.site.admin_view(admin_language_view), name="admin_language"),
    path("admin/", admin.site.urls),
]
# Every public page twice: English at /, Welsh under /cy/ (bilingual/languages.py).
# Slugs are the same in both languages, so a page's two addresses differ only by /cy.
urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("privacy/", views.PrivacyView.as_view(), name="privacy"),
    path("offline/", offline.OfflineView.as_view(), name="offline"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("exercises/", include("exercises.urls")),
    path(
        "e/<slug:slug>/", RedirectView.as_view(pattern_name="exercises:detail", permanent=True), name="short"
    ),
    path("routine/", include("exercises.routine_urls")),
    path("classes/", include("classes.urls")),
    path("comments/", include("comments.urls")),
    path("help-now/", include("safety.urls")),
    # Sign-in (django-allauth) in both languages too: a Welsh page's "sign in" link, by the same URL
    # names, leads to /cy/accounts/…, Welsh from locale/allauth (README, "Signing in in Welsh").
    path("accounts/", include("allauth.urls")),
    prefix_default_language=False,
)

if settings.BENCH_FLOOR:  # bench/run's yardstick (bench/measure.py, target "floor")
    urlpatterns.append(path("bench/floor/", views.framework_floor, name="bench-floor"))
    urlpatterns.append(path("bench/bare/<slug:slug>/", views.bare_page, name="bench-bare"))

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "backcare.views.bad_request"
handler403 = "backcare.views.permission_denied"
handler404 = "backcare.views.page_not_found"
handler500 = "backcare.views.server_error"
