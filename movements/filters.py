"""Which movements match a request: the FilterSet behind the movement list and its counts."""

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from core.facets import Facet, FacetFilterSet, name_order, owners, tag_facet
from core.listing import SearchFilter
from core.places import local_region_name
from practices.filters import RegionTreeFacet, country_facet
from practices.models import Region

from .models import Movement, TaggedMovement


class RegionFacet(RegionTreeFacet):
    """A region facet that reads movements' regions off their countries.

    A movement matches a sub-region (e.g. "southern-asia") or a continent (e.g. "asia") when any
    of its countries lies in it. Movements have no denormalised region table, so filtering and
    counting go through the countries link table.
    """

    def apply(self, queryset, values):
        if not values:
            return queryset
        linked = self.through.objects.filter(
            Q(country__region__slug__in=values) | Q(country__region__parent__slug__in=values)
        )
        return queryset.filter(pk__in=linked.values(f"{self.owner}_id"))

    def record_values(self, queryset):
        links = self.links_of(queryset).filter(country__region__isnull=False)
        owner = f"{self.owner}_id"
        return [
            *links.values_list(owner, "country__region__slug"),
            *links.filter(country__region__parent__isnull=False).values_list(
                owner, "country__region__parent__slug"
            ),
        ]

    def counts(self, queryset):
        # One query: movements per sub-region UNION movements per continent, each counted
        # distinct so a movement in two countries of one region counts once.
        links = self.through.objects.filter(**{f"{self.owner}__in": owners(queryset)})
        movements = Count(f"{self.owner}_id", distinct=True)
        by_region = links.values(
            value=F("country__region__slug"), label=F("country__region__name")
        ).annotate(n=movements)
        by_continent = links.values(
            value=F("country__region__parent__slug"), label=F("country__region__parent__name")
        ).annotate(n=movements)
        rows = by_region.order_by().union(by_continent.order_by(), all=True)
        return sorted(
            (
                (row["value"], self.display(row["value"], row["label"]), row["n"])
                for row in rows
                if row["value"] and row["n"]
            ),
            key=lambda item: name_order(item[1]),
        )


MOVEMENT_FACETS = [
    RegionFacet(
        "region",
        _("Region"),
        related=Region,
        through=Movement.countries.through,
        owner="movement",
        target="country",
        localise=local_region_name,
    ),
    country_facet(Movement.countries),
    Facet("kind", _("Kind"), key="kind", choices=tuple(Movement.Kind.choices)),
    tag_facet(TaggedMovement),
]


class MovementFilter(FacetFilterSet):
    facets = MOVEMENT_FACETS
    q = SearchFilter(label=_("Search movements"))

    class Meta(FacetFilterSet.Meta):
        model = Movement
