"""Which practices match a request: the FilterSet behind the list, its counts and exports."""

import django_filters
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from core.facets import Facet, FacetFilterSet
from core.listing import SearchFilter

from .models import Approach, Country, Organisation, Practice, Region, TaggedPractice, Theme

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
