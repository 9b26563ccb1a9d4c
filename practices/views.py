from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.cache import cached
from core.exports import requested_format
from core.facets import counts_topics, value_counts
from core.jsonld import describe, organisation, place, region
from core.listing import (
    active_filter_links,
    filter_query,
    filter_request,
    known_total,
    list_context,
    paginate,
    url_without,
    visible_record,
)
from core.maps import choropleth, practices_label
from core.models import Status
from core.records import plugged_related
from search.queryset import by_relevance

from .exports import export_practices
from .filters import PRACTICE_FACETS, CoveringCountryFacet, PracticeFilter
from .models import Approach, Practice, TaggedPractice, Theme

SORTS = {  # Each ends with the key, so that pages never overlap.
    "relevance": by_relevance("title"),
    "title": ("title", "pk"),
    "updated": ("-updated_at", "title", "pk"),
}
RELATED_LIMIT = 5


def filtered_practices(request, export=False):
    """The published practices a list request asks for (see listing.filter_request)."""
    return filter_request(request, PracticeFilter, Practice.objects.published(), export=export)


def practice_list(request):
    fmt = requested_format(request)
    filterset, active, ignored = filtered_practices(request, export=bool(fmt))
    query = filterset.form.cleaned_data.get("q", "")
    # Relevance needs a search to rank by; it is the default when there is one.
    sorts = [("title", _("Title (A–Z)")), ("updated", _("Recently updated"))]
    if query:
        sorts.insert(0, ("relevance", _("Relevance")))
    sort = request.GET.get("sort", "")
    if sort not in dict(sorts):
        sort = sorts[0][0]
    if fmt:
        filters = active_filter_links(request, active, _("Search"))
        return export_practices(
            request,
            lambda: filterset.qs.order_by(*SORTS[sort]),
            fmt,
            filters,
            query=filter_query(filterset, sort=sort),
        )
    records = filterset.qs.for_list().order_by(*SORTS[sort])
    page = paginate(request, records, counted=not query, known=known_total(filterset))
    context = list_context(
        request, filterset, active, ignored, page, filterset.facets, section="practices"
    )
    as_map = request.GET.get("view") == "map"
    # The sort form above the results sends the filters in force again, as hidden inputs.
    kept = filter_query(filterset, view="map" if as_map else "")
    context.update(sort=sort, sorts=sorts, kept=kept, breadcrumbs=[(_("Practices"), None)])
    map_query = request.GET.copy()
    map_query.pop("page", None)
    map_query["view"] = "map"
    context.update(
        map=practice_map(request, filterset) if as_map else None,
        map_url=f"{request.path}?{map_query.urlencode()}",
        list_url=url_without(request, "view"),
    )
    return render(request, "practices/practice_list.html", context)


def practice_map(request, filterset):
    """The map of the list's practices: each country shaded by how many of them it has (as the
    country filter counts them), each a link to the list filtered by it."""
    facet = next(f for f in PRACTICE_FACETS if isinstance(f, CoveringCountryFacet))
    queryset = filterset.qs
    searched = bool(filterset.form.cleaned_data.get("q"))
    # The country facet's counts of the same practices, when it has computed them.
    rows = value_counts(facet, queryset, counts_topics(Practice, searched))
    query = request.GET.copy()
    for param in ("page", "view", "country"):
        query.pop(param, None)

    def link(code):
        query.setlist("country", [code])
        return f"{request.path}?{query.urlencode()}"

    return choropleth(
        {code: n for code, _name, n in rows},
        {code: name for code, name, _n in rows},
        link,
        label=practices_label,
    )


def related_practices(practice, limit=RELATED_LIMIT, pool=30):
    """Up to five other published practices sharing its approach, tags or countries, or linked
    to it in ways other apps add (core.records.plug_related: shared outcomes count more), most
    links first, from a bounded pool per link. Pools and ties go by key, not date of edit: the
    choice changes only with what lists count (the page depends on it: core.records.plug_shown)."""
    others = Practice.objects.published().exclude(pk=practice.pk).order_by("pk")
    pools = [
        others.filter(
            pk__in=TaggedPractice.objects.filter(
                tag__in=practice.tagged_items.values("tag")
            ).values("content_object")
        ),
        others.filter(
            pk__in=Practice.countries.through.objects.filter(
                country__in=practice.countries.values("pk")
            ).values("practice")
        ),
    ]
    if practice.approach_id:
        pools.append(others.filter(approach=practice.approach_id))
    pools = [(candidates, 1) for candidates in pools]
    for candidates, weight in plugged_related(Practice._meta.label_lower):
        pools.append((candidates(practice, others), weight))
    scores = {}
    for candidates, weight in pools:
        for pk in candidates.values_list("pk", flat=True)[:pool]:
            scores[pk] = scores.get(pk, 0) + weight
    best = sorted(scores, key=lambda pk: (-scores[pk], pk))[:limit]
    chosen = Practice.objects.filter(pk__in=best).select_related("approach")
    return sorted(chosen, key=lambda p: (-scores[p.pk], p.title.lower()))


def practices_trail(*trail):
    """The breadcrumbs of a page under Practices: the list of practices, then `trail`."""
    return [(_("Practices"), reverse("practices:practice-list")), *trail]


def visible_practice(request, slug):
    return visible_record(
        request,
        Practice,
        slug,
        ["approach__theme", "scope_region__parent", "source"],
        ["organisations", "countries__region__parent", "tags", "partners__organisation", "links"],
    )


def practice_detail(request, slug):
    practice = visible_practice(request, slug)
    # Movements and principles point at practices; their reverse accessors keep this app
    # free of imports from those apps.
    return render(
        request,
        "practices/practice_detail.html",
        {
            "section": "practices",
            "practice": practice,
            "principles": practice.principles.filter(status=Status.PUBLISHED).select_related(
                "section"
            ),
            "movements": practice.movements.filter(status=Status.PUBLISHED),
            "related": related_practices(practice),
            "json_ld": practice_json_ld(request, practice),
            "breadcrumbs": practices_trail((practice.title, None)),
        },
    )


def practice_json_ld(request, practice):
    """The schema.org description of a practice's page (core.jsonld)."""
    places = [place(request, country) for country in practice.countries.all()]
    if practice.scope_region:
        places.append(region(practice.scope_region))
    about = []
    if practice.approach:
        about = [
            {"@type": "Thing", "name": practice.approach.theme.name},
            {"@type": "Thing", "name": practice.approach.name},
        ]
    return describe(
        request,
        practice,
        "CreativeWork",
        practice.title,
        description=practice.summary,
        spatialCoverage=places,
        contributor=[organisation(record) for record in practice.organisations.all()],
        about=about,
        keywords=[tag.name for tag in practice.tags.all()],
        inLanguage="en",
        temporalCoverage=period(practice),
        funder=[
            organisation(partner.organisation)
            for partner in practice.partners.all()
            if partner.role == partner.Role.FUNDER
        ],
        isBasedOn=[link.url for link in practice.links.all()],
    )


def period(practice):
    """The years a practice ran, as ISO 8601 intervals give them ("2012/..": since 2012)."""
    start, end = practice.start_year, practice.end_year
    if not (start or end):
        return None
    return f"{start or '..'}/{end or '..'}"


def practice_group_page(request, template, practices, trail, **context):
    """The page of a group of practices (a theme or an approach): the group in `context`, a
    page of its published `practices`, and breadcrumbs from the list of practices to `trail`."""
    page = paginate(request, practices.for_list(), counted=True)
    context.update(section="practices", page=page, breadcrumbs=practices_trail(*trail))
    return render(request, template, context)


def theme_detail(request, slug):
    theme = get_object_or_404(Theme.objects.select_related("source"), slug=slug)
    # Each approach's count from the index of practices by approach, not a join over them all.
    counts = (
        Practice.objects.published()
        .filter(approach=OuterRef("pk"))
        .order_by()
        .values("approach")
        .annotate(n=Count("pk"))
        .values("n")
    )
    approaches = cached(
        ("theme-approaches", theme.pk, get_language()),
        lambda: list(theme.approaches.annotate(practice_count=Coalesce(Subquery(counts), 0))),
        counts_topics(Practice),
    )
    # By its approaches' keys, not a join: the page's keys then come from one index.
    return practice_group_page(
        request,
        "practices/theme_detail.html",
        Practice.objects.published().filter(approach__in=[a.pk for a in approaches]),
        [(theme.name, None)],
        theme=theme,
        approaches=approaches,
    )


def approach_detail(request, slug):
    approach = get_object_or_404(Approach.objects.select_related("theme", "source"), slug=slug)
    theme = approach.theme
    return practice_group_page(
        request,
        "practices/approach_detail.html",
        Practice.objects.published().filter(approach=approach),
        [(theme.name, theme.get_absolute_url()), (approach.name, None)],
        approach=approach,
    )
