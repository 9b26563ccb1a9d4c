"""The Atom feed of a search (`/search/?q=...&format=atom`): the newest updated matches."""

from django.utils.translation import gettext as _

from core.citations import record_title
from core.feeds import FilteredFeed
from core.templatetags.rich_text import plain_text

# Types whose records carry an update date; findings and definitions are fixed text from the
# guidance note and have none, so they appear in exports but not in feeds.
DATED = {"practice": "summary", "movement": "description", "principle": "explanation"}


class SearchFeed(FilteredFeed):
    """`results` is the search page's CombinedResults: the same matches, newest first."""

    def __init__(self, results, filters=()):
        super().__init__(queryset=None, filters=filters)
        self.results = results
        self.kind = _("search")

    def items(self, request):
        newest = []
        for kind in self.results.kinds:
            if kind in DATED:
                matches = (
                    self.results.sources[kind]
                    .search(
                        self.results.query, alternative=self.results.alternative, spelling=False
                    )
                    .order_by("-updated_at", "-pk")
                )
                newest += [(kind, record) for record in matches[: self.limit]]
        newest.sort(key=lambda item: item[1].updated_at, reverse=True)
        return newest[: self.limit]

    def item_title(self, item):
        return record_title(item[1])

    def item_link(self, item):
        return item[1].get_absolute_url()

    def item_description(self, item):
        kind, record = item
        return plain_text(getattr(record, DATED[kind])[:2000])

    def item_categories(self, item):
        return [item[0]]

    def item_updateddate(self, item):
        return item[1].updated_at

    def item_pubdate(self, item):
        return item[1].created_at
