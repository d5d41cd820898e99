from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from pagecache.decorators import shared_page

from .models import Exercise


@shared_page(scopes=["exercises"])
class LatestExercisesFeed(Feed):
    title = _("BackCare: new exercises")
    link = reverse_lazy("exercises:list")
    description = _("Gentle exercises for a stiff or sore lower back, newest first.")

    def items(self) -> QuerySet[Exercise]:
        return Exercise.objects.published().select_related("category")[:20]

    def item_title(self, item: Exercise) -> str:
        return item.title

    def item_description(self, item: Exercise) -> str:
        return item.summary

    def item_pubdate(self, item: Exercise):
        return item.published_at

    def item_updateddate(self, item: Exercise):
        return item.updated_at

    def item_categories(self, item: Exercise) -> list[str]:
        return [item.category.name]


@shared_page(scopes=["exercises"])
class LatestExercisesAtomFeed(LatestExercisesFeed):
    feed_type = Atom1Feed
    subtitle = LatestExercisesFeed.description
