from typing import Any

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from bilingual.languages import HREFLANG
from classes.sitemaps import CourseSitemap, TeacherSitemap
from exercises.sitemaps import ExerciseSitemap


class BilingualSitemap(Sitemap):
    """Every page in English and in Welsh, each listing both with hreflang, and x-default (English)."""

    i18n = True
    alternates = True
    x_default = True

    def _urls(self, page: int, protocol: str, domain: str) -> list[dict[str, Any]]:
        urls = super()._urls(page, protocol, domain)
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
