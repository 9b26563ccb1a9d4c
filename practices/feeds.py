"""Atom feeds of practices: new and updated practices site-wide, and a filtered list's."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.feeds import FilteredFeed, RecordFeed
from core.templatetags.rich_text import plain_text

from .models import Practice


class PracticeItems:
    """How a practice reads as a feed entry."""

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return plain_text(item.summary or item.activities[:1000] or item.body[:1000])

    def item_author_name(self, item):
        return ", ".join(o.name for o in item.organisations.all()) or None

    def item_categories(self, item):
        names = [item.approach.theme.name, item.approach.name] if item.approach_id else []
        return names + [c.name for c in item.countries.all()] + [t.name for t in item.tags.all()]

    @staticmethod
    def with_related(queryset):
        return queryset.select_related("approach__theme").prefetch_related(
            "organisations", "countries", "tags"
        )


class LatestPracticesFeed(PracticeItems, RecordFeed):
    """New and updated practices across the whole atlas."""

    def title(self):
        return _("Practice Atlas: new and updated practices")

    def subtitle(self):
        return _("The %(n)s most recently added or updated promising practices.") % {
            "n": self.limit
        }

    def link(self):
        return reverse("practices:practice-list")

    def items(self):
        published = Practice.objects.published().order_by("-updated_at", "-pk")
        return self.with_related(published)[: self.limit]


class FilteredPracticeFeed(PracticeItems, FilteredFeed):
    def __init__(self, queryset, filters=()):
        super().__init__(queryset, filters)
        self.kind = _("practices")

    def items(self, request):
        return self.newest(self.with_related(self.queryset))
