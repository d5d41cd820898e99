from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet

from .models import Exercise


class ExerciseSitemap(Sitemap):
    changefreq = "monthly"

    def items(self) -> QuerySet[Exercise]:
        return Exercise.objects.published().only("slug", "updated_at")

    def lastmod(self, item: Exercise):
        return item.updated_at
