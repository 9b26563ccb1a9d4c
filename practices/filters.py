"""Which practices match a request: the FilterSet behind the list, its counts and exports."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from .facets import Facet, FacetFilterSet
from .models import Approach, Country, Organisation, Practice, Region, TaggedPractice, Theme

MAX_QUERY_LENGTH = 200


class SearchQueryField(forms.CharField):
    """Free text that is cut to 200 characters and stripped of control characters."""

    def to_python(self, value):
        value = super().to_python(value)
        value = "".join(ch for ch in value if ch.isprintable() or ch == " ")
        return value[:MAX_QUERY_LENGTH].strip()


# A list searched for common words would rank, count and facet most of the table at every
# request (seconds at 100,000 records): past this many matches a list page holds the candidates
# search_candidates() picks, and says that there are more. Exports take every match.
LIST_SEARCH_POOL = 200


class SearchFilter(django_filters.CharFilter):
    """The `q` of a list. FacetFilterSet applies it after the facets, so that the matches are
    drawn from the records the other filters leave; its `search_pool`, when set, bounds them."""

    field_class = SearchQueryField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.parsed, self.searched = {}, {}

    def filter(self, queryset, value):
        if not value:
            return queryset
        # The facet counts filter again, once per facet, mostly the same records: the query is
        # parsed and its spelling checked once, and the same records are searched once.
        if value not in self.parsed:
            parsed = queryset.parsed(value)
            self.parsed[value] = (parsed, queryset.correction(parsed))
        parsed, correction = self.parsed[value]
        key = (value, str(queryset.query))
        if key not in self.searched:
            pool = getattr(self.parent, "search_pool", None)
            self.searched[key] = queryset.search(
                parsed, alternative=correction, spelling=False, pool=pool, materialise=bool(pool)
            )
        return self.searched[key]


PRACTICE_FACETS = [
    Facet("theme", _("Theme"), related=Theme, path="approach__theme"),
    Facet("approach", _("Approach"), related=Approach, path="approach"),
    Facet(
        "region",
        _("Region"),
        related=Region,
        through=Practice.regions.through,
        owner="practice",
        target="region",
    ),
    Facet(
        "country",
        _("Country"),
        related=Country,
        key="code",
        through=Practice.countries.through,
        owner="practice",
        target="country",
        normalise=str.upper,
    ),
    Facet(
        "organisation",
        _("Organisation"),
        related=Organisation,
        through=Practice.organisations.through,
        owner="practice",
        target="organisation",
    ),
    Facet(
        "tag", _("Tag"), related=Tag, through=TaggedPractice, owner="content_object", target="tag"
    ),
    Facet("scope", _("Scope"), key="scope", choices=tuple(Practice.Scope.choices)),
]


class PracticeFilter(FacetFilterSet, django_filters.FilterSet):
    facets = PRACTICE_FACETS
    q = SearchFilter(label=_("Search practices"))

    class Meta:
        model = Practice
        fields = []
