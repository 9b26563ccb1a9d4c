"""Which practices match a request: the FilterSet behind the list, its counts and exports."""

from collections import Counter, defaultdict

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from core.facets import Facet, FacetFilterSet, link_facet, owners, tag_facet
from core.listing import SearchFilter
from core.places import REGION_PARENTS, local_place_name, local_region_name

from .models import Approach, Country, Practice, Region, TaggedPractice, Theme
from .narrative import Completeness


def country_facet(relation, facet_class=Facet):
    """The country facet of a type whose countries are the many-to-many field `relation`."""
    return link_facet(
        "country",
        _("Country"),
        relation,
        facet_class=facet_class,
        key="code",
        normalise=str.upper,
        localise=local_place_name,
    )


class CoveringCountryFacet(Facet):
    """Countries of practices: a practice is one of a country's if it is linked to the country
    or scoped to the country's sub-region or continent (Practice.objects.covering)."""

    def apply(self, queryset, values):
        if not values:
            return queryset
        linked = self.through.objects.filter(country__code__in=values).values("practice_id")
        regions = Region.objects.filter(
            Q(countries__code__in=values) | Q(subregions__countries__code__in=values)
        )
        return queryset.filter(Q(pk__in=linked) | Q(scope_region__in=regions.values("pk")))

    def counts(self, queryset):
        """The linked practices of each country, plus those scoped to its regions less those
        both linked and scoped (counted once): what apply() would give for it."""
        counts = {code: [name, n] for code, name, n in super().counts(queryset)}
        scoped = dict(
            queryset.filter(scope_region__isnull=False)
            .values_list("scope_region")
            .annotate(n=Count("pk"))
            .order_by()
        )
        if not scoped:
            return [(code, name, n) for code, (name, n) in counts.items()]
        rows = (
            self.through.objects.filter(
                practice__in=owners(queryset), practice__scope_region__isnull=False
            )
            .values_list("country", "practice__scope_region")
            .annotate(n=Count("practice_id"))
            .order_by()
        )
        both = Counter({(country, region): n for country, region, n in rows})
        covered = Country.objects.filter(
            Q(region__in=list(scoped)) | Q(region__parent__in=list(scoped))
        ).values_list("code", "name", "region", "region__parent")
        for code, name, *regions in covered:
            extra = sum(scoped[r] - both[(code, r)] for r in regions if r in scoped)
            if extra:
                entry = counts.setdefault(code, [self.display(code, name), 0])
                entry[1] += extra
        return self.ordered([(code, name, n) for code, (name, n) in counts.items()])

    def record_values(self, queryset):
        """Its linked countries, and those its region of scope covers."""
        found = set(super().record_values(queryset))
        scoped = queryset.filter(scope_region__isnull=False).values_list("pk", "scope_region")
        scoped = list(scoped)
        regions = {region for _pk, region in scoped}
        covers = defaultdict(set)  # region: the codes of the countries it covers
        countries = Country.objects.filter(Q(region__in=regions) | Q(region__parent__in=regions))
        for code, region, parent in countries.values_list("code", "region", "region__parent"):
            covers[region].add(code)
            covers[parent].add(code)
        return found | {(pk, code) for pk, region in scoped for code in covers[region]}


class RegionTreeFacet(Facet):
    """Regions as a tree: each continent with its sub-regions under it."""

    def arrange(self, options):
        by_value = {option["value"]: dict(option, children=[]) for option in options}
        tree = []
        for value, option in by_value.items():
            parent = by_value.get(REGION_PARENTS.get(value))
            (parent["children"] if parent else tree).append(option)
        return tree


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
    link_facet(
        "region",
        _("Region"),
        Practice.regions,
        facet_class=RegionTreeFacet,
        localise=local_region_name,
    ),
    country_facet(Practice.countries, facet_class=CoveringCountryFacet),
    link_facet("organisation", _("Organisation"), Practice.organisations),
    tag_facet(TaggedPractice),
    Facet("scope", _("Scope"), key="scope", choices=tuple(Practice.Scope.choices)),
    Facet(
        "completeness",
        _("Completeness"),
        key="completeness",
        choices=tuple(Completeness.choices),
    ),
]


class PracticeFilter(FacetFilterSet):
    facets = PRACTICE_FACETS
    q = SearchFilter(label=_("Search practices"))

    class Meta(FacetFilterSet.Meta):
        model = Practice
