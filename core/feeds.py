"""Atom feeds: the shared base of every feed, and the records of any filtered list.

A filtered feed is the list page's own queryset, newest updated first, so subscribing to
`/practices/?country=KE&approach=...&format=atom` follows exactly what that page lists.
"""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

FEED_LIMIT = 50


def url_without_format(request):
    """The page a filtered feed follows: the request's URL without `format` and `page`."""
    query = request.GET.copy()
    query.pop("format", None)
    query.pop("page", None)
    encoded = query.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


class RecordFeed(Feed):
    """Shared by every feed: Atom, newest updated first, entries named and dated."""

    feed_type = Atom1Feed
    author_name = "Practice Atlas"
    limit = FEED_LIMIT

    def item_updateddate(self, item):
        return item.updated_at

    def item_pubdate(self, item):
        return item.created_at


class FilteredFeed(RecordFeed):
    """The records of one filtered list URL; the view hands over its queryset and filters.

    `filters` are (text, removal url) pairs as the list page shows them; they name the feed.
    """

    kind = ""

    def __init__(self, queryset, filters=()):
        super().__init__()
        self.queryset = queryset
        self.filters = [text for text, _url in filters]

    def get_object(self, request, *args, **kwargs):
        return request

    def title(self, request):
        if self.filters:
            return _("Practice Atlas: %(kind)s — %(filters)s") % {
                "kind": self.kind,
                "filters": "; ".join(self.filters),
            }
        return _("Practice Atlas: %(kind)s") % {"kind": self.kind}

    def link(self, request):
        return url_without_format(request)

    def feed_url(self, request):
        return request.get_full_path()

    def newest(self, queryset):
        return queryset.order_by("-updated_at", "-pk")[: self.limit]
