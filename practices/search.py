"""Full-text search shared by practices, movements and guidance (work in progress)."""

from django.db import models


class SearchableQuerySet(models.QuerySet):
    """Adds `search(query)`: the records matching a web-search style query, ranked."""

    def search(self, query, **options):
        return search_queryset(self, query, **options)


def search_queryset(queryset, query, **options):
    return queryset.none() if not query.strip() else queryset
