from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from classes.sitemaps import CourseSitemap, TeacherSitemap
from exercises.sitemaps import ExerciseSitemap


class StaticSitemap(Sitemap):
    changefreq = "monthly"

    def items(self) -> list[str]:
        return ["home", "exercises:list", "classes:list", "privacy"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {
    "pages": StaticSitemap,
    "exercises": ExerciseSitemap,
    "courses": CourseSitemap,
    "teachers": TeacherSitemap,
}
