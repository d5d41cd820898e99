from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet

from .models import Course, Teacher


class CourseSitemap(Sitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet[Course]:
        return Course.objects.published().upcoming().only("slug", "updated_at")

    def lastmod(self, item: Course):
        return item.updated_at


class TeacherSitemap(Sitemap):
    changefreq = "monthly"

    def items(self) -> QuerySet[Teacher]:
        return Teacher.objects.only("slug")
