"""Which practices match a request: the FilterSet behind the list, its counts and exports."""

from django.utils.translation import gettext_lazy as _

from core.facets import Facet, FacetFilterSet, link_facet, tag_facet
from core.listing import SearchFilter

from .models import Approach, Practice, TaggedPractice, Theme


def country_facet(relation):
    """The country facet of a type whose countries are the many-to-many field `relation`."""
    return link_facet("country", _("Country"), relation, key="code", normalise=str.upper)


class ThemeFacet(Facet):
    """Filters by the keys of the themes' approaches rather than by a join to them, so that a
    page's keys come from an index of practices alone at any depth (see Practice.Meta)."""

    def apply(self, queryset, values):
        if not values:
            return queryset
        approaches = Approach.objects.filter(theme__slug__in=values).values_list("pk", flat=True)
        return queryset.filter(approach__in=list(approaches))


PRACTICE_FACETS = [
    ThemeFacet("theme", _("Theme"), related=Theme, path="approach__theme"),
    Facet("approach", _("Approach"), related=Approach, path="approach"),
    link_facet("region", _("Region"), Practice.regions),
    country_facet(Practice.countries),
    link_facet("organisation", _("Organisation"), Practice.organisations),
    tag_facet(TaggedPractice),
    Facet("scope", _("Scope"), key="scope", choices=tuple(Practice.Scope.choices)),
]


class PracticeFilter(FacetFilterSet):
    facets = PRACTICE_FACETS
    q = SearchFilter(label=_("Search practices"))

    class Meta(FacetFilterSet.Meta):
        model = Practice
