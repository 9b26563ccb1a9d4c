"""Pages that draw on all three content apps: home, countries and tags."""

from collections import defaultdict

from django import forms
from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from taggit.models import Tag

from core.cache import cached
from core.exports import requested_format
from core.listing import MAX_QUERY_LENGTH, SearchQueryField, paginate
from core.models import Status
from core.records import record_types
from guidance.models import Finding, Principle, Section
from movements.models import Movement, TaggedMovement
from practices.models import Country, Practice, TaggedPractice, Theme
from search.postgres import is_postgresql
from search.query import parse_query
from search.queryset import FEW_RESULTS, CombinedResults, snippet, suggest_corrections

from .coverage import coverage as coverage_counts
from .exports import export_search
from .places import COUNTS, SIDE_LIST_LIMIT, practice_map

RECENT_LIMIT = 6
HOME_COUNTRIES = 8


def home_counts():
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
    return {
        "themes": list(themes),
        "approach_counts": approach_counts,
        "practice_count": Practice.objects.published().count(),
        "movement_count": Movement.objects.published().count(),
        "principle_count": Principle.objects.published().count(),
        "countries": list(countries_with_most_practices()[:HOME_COUNTRIES]),
    }


def home(request):
    return render(
        request,
        "atlas/home.html",
        {
            **cached(("home",), home_counts, COUNTS),
            "sections": Section.objects.all(),
            # Only edits: records as they were loaded or added were not "updated".
            "recent": Practice.objects.published()
            .edited()
            .for_list()
            .order_by("-updated_at")[:RECENT_LIMIT],
        },
    )


def tag_detail(request, slug):
    """The published records with a tag; a tag that only drafts or withdrawn records have is not
    public, so its page is a 404, as theirs are."""
    tag = get_object_or_404(Tag, slug=slug)
    practices = Practice.objects.published().filter(
        pk__in=TaggedPractice.objects.filter(tag=tag).values("content_object")
    )
    movements = Movement.objects.published().filter(
        pk__in=TaggedMovement.objects.filter(tag=tag).values("content_object")
    )
    principles = list(
        Principle.objects.published().filter(tagged_items__tag=tag).select_related("section")
    )
    page = paginate(request, practices.for_list())
    movement_count = movements.count()
    if not (page.paginator.count or movement_count or principles):
        raise Http404("No published record has this tag.")
    return render(
        request,
        "atlas/tag_detail.html",
        {
            "tag": tag,
            "page": page,
            "movements": movements[:SIDE_LIST_LIMIT],
            "movement_count": movement_count,
            "principles": principles,
            "breadcrumbs": [(_("Tag: %(name)s") % {"name": tag.name}, None)],
        },
    )


POPULAR_LIMIT = 12


class SearchForm(forms.Form):
    q = SearchQueryField(required=False)


def search_sources():
    """What /search/ looks in, by type: the published records of each type that declares a
    name on /search/ (core.records)."""
    return {
        declared.kind: declared.published() for declared in record_types() if declared.search_label
    }


def search_labels():
    """{kind: its name on /search/}, in declaration order."""
    return {
        declared.kind: declared.search_label for declared in record_types() if declared.search_label
    }


def search_page_records(rows, query, alternative):
    """The records of one result page, in rank order: one query per type on the page, and one
    for the names its cards list (a practice's organisations, a movement's or finding's
    countries), read as plain rows rather than as records of their own."""
    wanted = defaultdict(list)
    for kind, pk, _rank in rows:
        wanted[kind].append(pk)
    # What a result shows, without the search vector. On PostgreSQL the snippet comes from the
    # database (SearchHeadline), so a practice's long body is left there too.
    practice_unshown = ["body", "search_names"] if is_postgresql() else []
    loaders = {
        "practice": lambda qs: qs.select_related("approach").defer(*practice_unshown),
        "principle": lambda qs: qs.select_related("section"),
    }
    sources, labels = search_sources(), search_labels()
    loaded = {}
    for kind, pks in wanted.items():
        records = sources[kind].filter(pk__in=pks).defer("search_vector")
        records = loaders.get(kind, lambda qs: qs)(records)
        names = card_names(kind, pks)
        for record in records.with_headlines(query, alternative=alternative):
            record.snippet = snippet(record)
            record.card_names = names.get(record.pk, [])
            loaded[(kind, record.pk)] = record
    return [
        {"kind": kind, "label": labels[kind], "record": loaded[(kind, pk)]}
        for kind, pk, _rank in rows
        if (kind, pk) in loaded
    ]


def card_names(kind, pks):
    """{pk: names a result card lists}: organisation names for practices, countries (unsaved,
    for their names and links) for movements and findings, in name order; one query."""
    links = {
        "practice": (Practice.organisations.through, "practice_id", "organisation"),
        "movement": (Movement.countries.through, "movement_id", "country"),
        "finding": (Finding.countries.through, "finding_id", "country"),
    }
    if kind not in links:
        return {}
    through, owner, target = links[kind]
    rows = (
        through.objects.filter(**{f"{owner}__in": pks})
        .order_by(f"{target}__name")
        .values_list(owner, f"{target}__pk", f"{target}__name")
    )
    names = defaultdict(list)
    for pk, key, name in rows:
        names[pk].append(name if target == "organisation" else Country(code=key, name=name))
    return names


def search_start_page(request):
    """What to offer before anything is searched: popular themes and countries."""
    published = Q(approaches__practices__status=Status.PUBLISHED)
    themes = (
        Theme.objects.annotate(practice_count=Count("approaches__practices", filter=published))
        .filter(practice_count__gt=0)
        .order_by("-practice_count", "name")[:POPULAR_LIMIT]
    )
    return {"themes": themes, "countries": countries_with_most_practices()[:POPULAR_LIMIT]}


def countries_with_most_practices():
    return (
        Country.objects.annotate(
            practice_count=Count("practices", filter=Q(practices__status=Status.PUBLISHED))
        )
        .filter(practice_count__gt=0)
        .order_by("-practice_count", "name")
    )


def search(request):
    """One search over practices, movements, principles, findings and definitions."""
    form = SearchForm(request.GET)
    form.is_valid()  # The field never rejects input; this only cleans it.
    query = parse_query(form.cleaned_data.get("q", ""))
    asked = [value[:30] for value in request.GET.getlist("type")[:10]]
    labels = search_labels()
    kinds = [kind for kind in labels if kind in asked] or None
    ignored_types = [value for value in asked if value not in labels]
    results = CombinedResults(search_sources(), query, kinds=kinds)
    corrections, found = {}, sum(results.counts.values())
    if query and found < FEW_RESULTS:
        corrections = suggest_corrections(query, search_sources().values(), found)
        if corrections:
            alternative = query.corrected(corrections)
            # results.query: as the database looked its words up, so not looked up again.
            corrected = CombinedResults(
                search_sources(), results.query, alternative=alternative, kinds=kinds
            )
            # Said only if it finds more than the query did.
            if sum(corrected.counts.values()) > found:
                results = corrected
            else:
                corrections = {}
    if fmt := requested_format(request):
        return export_search(request, results, fmt, form.cleaned_data.get("q", ""))
    page = paginate(request, results, per_page=settings.SEARCH_PAGE_SIZE)
    context = {
        "query": form.cleaned_data.get("q", ""),
        "query_cut": len(request.GET.get("q", "").strip()) > MAX_QUERY_LENGTH,
        "max_query_length": MAX_QUERY_LENGTH,
        "searched": bool(query),
        "page": page,
        "more": results.more,
        "items": search_page_records(page.object_list, results.query, results.alternative),
        "type_counts": [
            (kind, label, results.counts[kind], kind in results.kinds)
            for kind, label in labels.items()
        ],
        "filtered": kinds is not None,
        "ignored_types": ignored_types,
        "corrections": sorted(set(corrections.values())),
        "breadcrumbs": [(_("Search"), None)],
    }
    if not query:
        context.update(search_start_page(request))
    return render(request, "atlas/search.html", context)


def coverage(request):
    """Published practices per theme, approach, region and country, and where there are none.
    The grouped counts take seconds at 100,000 practices, so they are cached until content
    changes."""
    counts = cached(("coverage", get_language()), coverage_counts, COUNTS)
    return render(
        request,
        "atlas/coverage.html",
        {
            **counts,
            "map": practice_map(counts["countries"]),
            "breadcrumbs": [(_("Coverage of the evidence"), None)],
        },
    )


@never_cache
def language(request):
    """Switch the interface language: remember the choice in the language cookie and go back to
    `next`. A GET form, so that pages carry no CSRF token and can be cached whole for visitors;
    the worst a forged link can do is change someone's interface language. An unknown language
    keeps the current one; a `next` off this site goes home."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("atlas:home")
    response = HttpResponseRedirect(target)
    code = request.GET.get("language", "")
    if code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
