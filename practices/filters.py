"""Which practices match a request: the FilterSet behind the list, its counts and exports."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.facets import Facet, FacetFilterSet, tag_facet
from core.listing import SearchFilter

from .models import Approach, Country, Organisation, Practice, Region, TaggedPractice, Theme


def country_facet(through, owner):
    """The country facet of a type whose countries are linked through `through`."""
    return Facet(
        "country",
        _("Country"),
        related=Country,
        key="code",
        through=through,
        owner=owner,
        target="country",
        normalise=str.upper,
    )


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
    country_facet(Practice.countries.through, "practice"),
    Facet(
        "organisation",
        _("Organisation"),
        related=Organisation,
        through=Practice.organisations.through,
        owner="practice",
        target="organisation",
    ),
    tag_facet(TaggedPractice),
    Facet("scope", _("Scope"), key="scope", choices=tuple(Practice.Scope.choices)),
]


class PracticeFilter(FacetFilterSet, django_filters.FilterSet):
    facets = PRACTICE_FACETS
    q = SearchFilter(label=_("Search practices"))

    class Meta:
        model = Practice
        fields = []
