"""/api/v1/search/: one ranked search over every type /search/ looks in (the registry's
`search_label`s), as the search page ranks it, ten results a page."""

from collections import defaultdict

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from core.listing import SearchQueryField
from core.records import record_types
from search.documents import spec_for
from search.queryset import CombinedResults, snippet

from .links import api_url
from .paging import nullable_links
from .serializers import SearchResultSerializer

# Where the guidance note's entries without pages of their own are shown.
ANCHORS = {"finding": "#findings", "definition": "#definitions"}


def searched_types():
    return [declared for declared in record_types() if declared.search_label]


class SearchPagination(PageNumberPagination):
    page_size = 10

    def get_paginated_response_schema(self, schema):
        return nullable_links(super().get_paginated_response_schema(schema))


@extend_schema(
    summary="Search every type at once, best match first",
    parameters=[
        OpenApiParameter("q", str, description="Words to search for, as on /search/."),
        OpenApiParameter(
            "type",
            str,
            many=True,
            enum=["practice", "movement", "principle", "finding", "definition"],
            description="Only these types (repeat the parameter).",
        ),
    ],
)
class SearchView(generics.ListAPIView):
    serializer_class = SearchResultSerializer
    pagination_class = SearchPagination

    def get_queryset(self):
        return None  # Not a queryset: CombinedResults below (drf-spectacular asks).

    def list(self, request, *args, **kwargs):
        kinds = {declared.kind: declared for declared in searched_types()}
        asked = request.query_params.getlist("type")
        unknown = [value[:30] for value in asked if value not in kinds]
        if unknown:
            raise ValidationError(
                {"type": [_("Unknown type “%(type)s”.") % {"type": value} for value in unknown]}
            )
        query = SearchQueryField(required=False).clean(request.query_params.get("q", ""))
        sources = {kind: declared.published() for kind, declared in kinds.items()}
        results = CombinedResults(sources, query, kinds=asked or None)
        page = self.paginate_queryset(results)
        rows = self.load(request, page, results, sources)
        return self.get_paginated_response(SearchResultSerializer(rows, many=True).data)

    def load(self, request, page, results, sources):
        """The page's results in rank order: one query per type on the page."""
        wanted = defaultdict(list)
        for kind, pk, _rank in page:
            wanted[kind].append(pk)
        loaded = {}
        for kind, pks in wanted.items():
            records = sources[kind].filter(pk__in=pks).select_related("source")
            records = records.defer("search_vector", "search_names")
            for record in records.with_headlines(results.query, alternative=results.alternative):
                loaded[(kind, record.pk)] = self.row(request, kind, record, results)
        return [loaded[(kind, pk)] for kind, pk, _rank in page if (kind, pk) in loaded]

    def row(self, request, kind, record, results):
        if hasattr(record, "get_absolute_url"):
            page = record.get_absolute_url()
        else:
            page = reverse("guidance:guidance") + ANCHORS.get(kind, "")
        try:
            url = api_url(request, kind, record.slug)
        except NoReverseMatch:
            url = None
        return {
            "type": kind,
            "title": str(getattr(record, spec_for(type(record)).title_field)),
            "slug": record.slug,
            "url": url,
            "page": request.build_absolute_uri(page),
            "snippet": str(snippet(record)),
            "source": record.citation,
        }
