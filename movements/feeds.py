"""The Atom feed of a filtered movement list (`/movements/?...&format=atom`)."""

from django.utils.translation import gettext as _

from core.citations import record_title
from core.feeds import FilteredFeed
from core.templatetags.rich_text import plain_text


class FilteredMovementFeed(FilteredFeed):
    def __init__(self, queryset, filters=()):
        super().__init__(queryset, filters)
        self.kind = _("movements")

    def items(self, request):
        return self.newest(self.queryset.prefetch_related("countries", "tags"))

    def item_title(self, item):
        return record_title(item)

    def item_description(self, item):
        return plain_text(item.description[:2000])

    def item_categories(self, item):
        kind = [item.get_kind_display()] if item.kind else []
        return kind + [c.name for c in item.countries.all()] + [t.name for t in item.tags.all()]
