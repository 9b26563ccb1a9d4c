"""Pages of places: the countries, each country, each UN M49 continent and sub-region, and the
map they share."""

from collections import defaultdict

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.cache import cached
from core.facets import name_order
from core.jsonld import describe
from core.jsonld import region as region_ld
from core.listing import paginate
from core.maps import choropleth
from core.models import Status
from core.records import showing
from guidance.models import Finding
from movements.models import Movement
from practices.models import Country, Practice, Region

SIDE_LIST_LIMIT = 20
# What the counts of these pages count: records added, deleted, linked, published or withdrawn
# (core.cache): a curator's edit of a text leaves them cached.
COUNTS = showing(("practices:counts", "movements:counts", "guidance:counts", "taggit"))


def country_counts():
    """{country code: {"practices": n, "movements": n, "findings": n}} for published records."""
    return cached(("countries",), count_by_country, COUNTS)


def count_by_country():
    counts = defaultdict(lambda: {"practices": 0, "movements": 0, "findings": 0})
    grouped = {
        "practices": Practice.countries.through.objects.filter(
            practice__status=Status.PUBLISHED
        ).values_list("country"),
        "movements": Movement.countries.through.objects.filter(
            movement__status=Status.PUBLISHED
        ).values_list("country"),
        "findings": Finding.countries.through.objects.values_list("country"),
    }
    for kind, rows in grouped.items():
        for code, n in rows.annotate(n=Count("pk")).order_by():
            counts[code][kind] = n
    return dict(counts)


def regions_with_records():
    """The continents and sub-regions whose pages show something: a published practice of
    theirs, or a country of theirs with a published record."""
    codes = list(country_counts())
    return Region.objects.filter(
        Q(practices__status=Status.PUBLISHED)
        | Q(countries__code__in=codes)
        | Q(subregions__countries__code__in=codes)
    ).distinct()


def country_page_url(code):
    return reverse("atlas:country-detail", args=[code.lower()])


def practice_map(countries, focus=()):
    """The map of published practices per country, for `countries` (each with its `counts`, or
    its count of practices as `n`): each country with practices a link to its page."""
    counts = {c.code: c.counts["practices"] if hasattr(c, "counts") else c.n for c in countries}
    names = {c.code: str(c) for c in countries}
    return choropleth(counts, names, country_page_url, focus=focus)


def counted_countries(codes=None):
    """The countries with published records (of `codes`, if given), each with its `counts`,
    in the reader's alphabetical order."""
    counts = country_counts()
    wanted = [code for code in counts if codes is None or code in codes]
    countries = list(Country.objects.filter(code__in=wanted).select_related("region__parent"))
    for country in countries:
        country.counts = counts[country.code]
    return sorted(countries, key=lambda country: name_order(country))


def country_list(request):
    countries = counted_countries()
    regions = defaultdict(list)
    for country in countries:
        continent = country.region.parent if country.region and country.region.parent else None
        regions[(str(continent) if continent else "", country.region)].append(country)
    grouped = sorted(regions.items(), key=lambda item: (name_order(item[0][0]), str(item[0][1])))
    return render(
        request,
        "atlas/country_list.html",
        {
            "section": "countries",
            "map": practice_map(countries),
            "groups": [(region, items) for (_continent, region), items in grouped],
            "breadcrumbs": [(_("Countries"), None)],
        },
    )


def country_detail(request, code):
    country = get_object_or_404(
        Country.objects.select_related("region__parent"), code=code.upper()[:2]
    )
    published = Practice.objects.published()
    page = paginate(request, published.national(country).for_list())
    wider = published.wider_than(country).for_list()
    movements = Movement.objects.published().filter(countries=country)
    return render(
        request,
        "atlas/country_detail.html",
        {
            "section": "countries",
            "country": country,
            "json_ld": describe(
                request,
                country,
                "Country",
                country.name,
                identifier=country.code,
                containedInPlace=region_ld(country.region) if country.region else None,
            ),
            "page": page,
            "wider": wider[:SIDE_LIST_LIMIT],
            "wider_count": wider.count(),
            "movements": movements[:SIDE_LIST_LIMIT],
            "movement_count": movements.count(),
            "findings": Finding.objects.filter(countries=country).select_related("source"),
            "breadcrumbs": [
                (_("Countries"), reverse("atlas:country-list")),
                (str(country), None),
            ],
        },
    )


def region_detail(request, slug):
    """A continent or sub-region: its practices (those of its countries and those scoped to it),
    its movements, its countries with their counts and a map of them. A region without any
    published record is a 404, as an empty country's list would be useless."""
    region = get_object_or_404(Region.objects.select_related("parent"), slug=slug[:100])
    in_region = Q(region=region) | Q(region__parent=region)
    codes = set(Country.objects.filter(in_region).values_list("code", flat=True))
    countries = counted_countries(codes)
    published = Practice.objects.published()
    linked = Practice.regions.through.objects.filter(region=region).values("practice_id")
    page = paginate(request, published.filter(pk__in=linked).for_list())
    if not (countries or page.paginator.count):
        raise Http404(_("No published record is in this region yet."))
    movement_links = Movement.countries.through.objects.filter(country__in=codes)
    movements = Movement.objects.published().filter(pk__in=movement_links.values("movement_id"))
    subregions = region.subregions.annotate(
        n=Count("practices", filter=Q(practices__status=Status.PUBLISHED))
    ).filter(n__gt=0)
    trail = [(_("Countries"), reverse("atlas:country-list"))]
    if region.parent:
        trail.append((str(region.parent), region.parent.get_absolute_url()))
    return render(
        request,
        "atlas/region_detail.html",
        {
            "section": "countries",
            "region": region,
            "page": page,
            "scoped": published.filter(scope_region=region).for_list()[:SIDE_LIST_LIMIT],
            "subregions": sorted(subregions, key=name_order),
            "countries": countries,
            "map": practice_map(countries, focus=sorted(codes)),
            "movements": movements[:SIDE_LIST_LIMIT],
            "movement_count": movements.count(),
            "breadcrumbs": [*trail, (str(region), None)],
        },
    )
