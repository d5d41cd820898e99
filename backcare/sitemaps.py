from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from bilingual.languages import HREFLANG
from classes.sitemaps import CourseSitemap, TeacherSitemap
from exercises.sitemaps import ExerciseSitemap

if TYPE_CHECKING:  # django.contrib.sites is not installed: its models must not be imported
    from django.contrib.sites.models import Site
    from django.contrib.sites.requests import RequestSite


class BilingualSitemap(Sitemap):
    """Every page in English and in Welsh, each listing both with hreflang, and x-default (English)."""

    i18n = True
    alternates = True
    x_default = True

    def get_urls(
        self, page: int | str = 1, site: Site | RequestSite | None = None, protocol: str | None = None
    ) -> list[dict[str, Any]]:
        # Django's public hook (the private _urls it calls is not in the stubs).
        urls = super().get_urls(page, site, protocol)
        for url in urls:
            for alternate in url["alternates"]:
                alternate["lang_code"] = HREFLANG.get(alternate["lang_code"], alternate["lang_code"])
        return urls


class StaticSitemap(BilingualSitemap):
    changefreq = "monthly"

    def items(self) -> list[str]:
        return ["home", "exercises:list", "classes:list", "privacy"]

    def location(self, item: str) -> str:
        return reverse(item)


def bilingual(sitemap: type[Sitemap]) -> type[Sitemap]:
    return type(sitemap.__name__, (BilingualSitemap, sitemap), {})


SITEMAPS = {
    "pages": StaticSitemap,
    "exercises": bilingual(ExerciseSitemap),
    "courses": bilingual(CourseSitemap),
    "teachers": bilingual(TeacherSitemap),
}
