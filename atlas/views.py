"""Pages that draw on all three content apps: home, countries and tags."""

from collections import defaultdict

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from taggit.models import Tag

from guidance.models import Finding, Principle, Section
from movements.models import Movement, TaggedMovement
from practices.listing import paginate
from practices.models import Country, Practice, Status, TaggedPractice, Theme

RECENT_LIMIT = 6
SIDE_LIST_LIMIT = 20


def home(request):
    published = Q(approaches__practices__status=Status.PUBLISHED)
    themes = Theme.objects.annotate(
        practice_count=Count("approaches__practices", filter=published)
    ).prefetch_related(
        # One query for every approach of every theme, with its own count.
        "approaches"
    )
    approach_counts = dict(
        Practice.objects.published()
        .filter(approach__isnull=False)
        .values_list("approach")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return render(
        request,
        "atlas/home.html",
        {
            "themes": themes,
            "approach_counts": approach_counts,
            "practice_count": Practice.objects.published().count(),
            "movement_count": Movement.objects.published().count(),
            "principle_count": Principle.objects.published().count(),
            "sections": Section.objects.all(),
            "recent": Practice.objects.published()
            .for_list()
            .order_by("-updated_at")[:RECENT_LIMIT],
        },
    )


def country_counts():
    """{country code: {"practices": n, "movements": n, "findings": n}} for published records."""
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
    return counts


def country_list(request):
    counts = country_counts()
    countries = Country.objects.filter(code__in=list(counts)).select_related("region__parent")
    regions = defaultdict(list)
    for country in countries:
        country.counts = counts[country.code]
        continent = country.region.parent if country.region and country.region.parent else None
        regions[(continent.name if continent else "", country.region)].append(country)
    grouped = sorted(regions.items(), key=lambda item: (item[0][0], str(item[0][1])))
    return render(
        request,
        "atlas/country_list.html",
        {
            "section": "countries",
            "groups": [(region, items) for (_continent, region), items in grouped],
            "breadcrumbs": [(_("Countries"), None)],
        },
    )


def country_detail(request, code):
    country = get_object_or_404(
        Country.objects.select_related("region__parent"), code=code.upper()[:2]
    )
    practices = Practice.objects.published().in_country(country.code).for_list()
    page = paginate(request, practices)
    movements = Movement.objects.published().filter(countries=country)
    return render(
        request,
        "atlas/country_detail.html",
        {
            "section": "countries",
            "country": country,
            "page": page,
            "movements": movements[:SIDE_LIST_LIMIT],
            "movement_count": movements.count(),
            "findings": Finding.objects.filter(countries=country).select_related("source"),
            "breadcrumbs": [
                (_("Countries"), reverse("atlas:country-list")),
                (country.name, None),
            ],
        },
    )


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    practices = Practice.objects.published().filter(
        pk__in=TaggedPractice.objects.filter(tag=tag).values("content_object")
    )
    movements = Movement.objects.published().filter(
        pk__in=TaggedMovement.objects.filter(tag=tag).values("content_object")
    )
    page = paginate(request, practices.for_list())
    return render(
        request,
        "atlas/tag_detail.html",
        {
            "tag": tag,
            "page": page,
            "movements": movements[:SIDE_LIST_LIMIT],
            "movement_count": movements.count(),
            "principles": Principle.objects.published()
            .filter(tagged_items__tag=tag)
            .select_related("section"),
            "breadcrumbs": [(_("Tag: %(name)s") % {"name": tag.name}, None)],
        },
    )


def search(request):
    """Placeholder until the search issue lands: sends the query to the practice list."""
    from django.shortcuts import redirect

    return redirect(reverse("practices:practice-list") + "?" + request.GET.urlencode())
