"""Helpers that every list page shares: the search box, pagination and links that add or drop a
filter."""

import django_filters
from django import forms
from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from .cache import cached
from .counts import kept_total
from .facets import check_values, counts_topics, facet_counts, query_text
from .keys import MAX_KEYED, searched

MAX_QUERY_LENGTH = 200


class SearchQueryField(forms.CharField):
    """Free text that is cut to 200 characters and stripped of control characters."""

    def to_python(self, value):
        value = super().to_python(value)
        value = "".join(ch for ch in value if ch.isprintable() or ch == " ")
        return value[:MAX_QUERY_LENGTH].strip()


# A list searched for common words would rank, count and facet most of the table at every
# request (seconds at 100,000 records): past this many matches a list page holds the candidates
# search() picks with this pool, and says that there are more. Exports take every match.
LIST_SEARCH_POOL = 200


class SearchFilter(django_filters.CharFilter):
    """The `q` of a list. FacetFilterSet applies it after the facets, so that the matches are
    drawn from the records the other filters leave; its `search_pool`, when set, bounds them."""

    field_class = SearchQueryField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.parsed, self.corrections, self.searched = {}, {}, {}

    def filter(self, queryset, value):
        if not value:
            return queryset
        # The facet counts filter again, once per facet, mostly the same records: the query is
        # parsed once, its spelling checked once (by the first search: the list's), and the same
        # records are searched once.
        if value not in self.parsed:
            self.parsed[value] = queryset.parsed(value)
        parsed, correction = self.parsed[value], self.corrections.get(value)
        key = (value, str(queryset.query))
        if key not in self.searched:
            pool = getattr(self.parent, "search_pool", None)
            found = queryset.search(
                parsed,
                alternative=correction,
                spelling=value not in self.corrections,
                pool=pool,
                materialise=bool(pool),
            )
            self.corrections.setdefault(value, found.alternative)
            self.searched[key] = found
        return self.searched[key]


class KeysFirstPaginator(Paginator):
    """A paginator that reads a page of a QuerySet in two steps: the keys of its records first,
    which a covering index gives without touching the table however deep the page is (the last
    of 5,000 pages: 0.4 s reading every row before it, milliseconds by keys), then those records
    only. Other sequences are paged as usual. With `counted`, the QuerySet's count is cached
    as facet counts are (core.facets.counts_topics): a list's COUNT over 100,000 records is
    then taken again only when what lists count changes, not when a text is edited; only for
    QuerySets whose SQL names every record they hold by what lists count (no search in it)."""

    def __init__(self, *args, counted=False, known=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.counted, self.known, self.keys = counted, known, None

    @cached_property
    def count(self):
        if self.known is not None:  # kept as records change (core.counts.kept_total)
            return self.known
        records = self.object_list
        sql = query_text(records) if self.counted and isinstance(records, QuerySet) else None
        if sql is None:
            return super().count
        return cached(("count", sql), records.count, counts_topics(records.model))

    def page(self, number):
        page = super().page(number)
        if isinstance(page.object_list, QuerySet) and not page.object_list.query.combinator:
            if self.known is not None and self.known <= MAX_KEYED:
                # A list of known, few records: every key, in order, at about the cost of a
                # page's (both sort them all), which the facets then count by (`keys`).
                self.keys = list(self.object_list.values_list("pk", flat=True)[: MAX_KEYED + 1])
                start = (page.number - 1) * self.per_page
                keys = self.keys[start : start + self.per_page]
            else:
                keys = list(page.object_list.values_list("pk", flat=True))
            records = {record.pk: record for record in self.object_list.filter(pk__in=keys)}
            page.object_list = [records[key] for key in keys if key in records]
        return page


def filter_request(request, filterset_class, queryset, *, export=False):
    """The FilterSet of a list request, with unknown facet values dropped: (filterset, active,
    ignored; see facets.check_values). A page ranks a search's candidates from a bounded pool
    (LIST_SEARCH_POOL); an export takes every match."""
    filterset = filterset_class(request.GET, queryset=queryset)
    filterset.search_pool = None if export else LIST_SEARCH_POOL
    filterset.form.is_valid()  # The fields never reject input; this only fills cleaned_data.
    active, ignored = check_values(filterset, filterset.facets)
    return filterset, active, ignored


def filter_query(filterset, **extra):
    """The validated filter of a list request (unknown values dropped, see filter_request) and
    `extra` as sorted (param, value) pairs: what names its exports."""
    pairs = []
    for name, value in {**filterset.form.cleaned_data, **extra}.items():
        values = value if isinstance(value, list | tuple) else [value]
        pairs += [(name, str(item)) for item in values if item not in ("", None)]
    return sorted(pairs)


def paginate(request, queryset, per_page=None, counted=False, known=None):
    """The requested page; a malformed or missing page number is a 404, not a 500. `counted`:
    its count may be cached; `known`: its count, if known (KeysFirstPaginator)."""
    paginator = KeysFirstPaginator(
        queryset, per_page or settings.PAGE_SIZE, counted=counted, known=known
    )
    raw = request.GET.get("page", "1")
    try:
        return paginator.page(raw if len(raw) < 10 else "x")
    except PageNotAnInteger as error:
        raise Http404(_("“%(page)s” is not a page number.") % {"page": raw[:20]}) from error
    except EmptyPage as error:
        raise Http404(
            _("There is no page %(page)s; this list has %(count)s pages.")
            % {"page": raw[:20], "count": paginator.num_pages}
        ) from error


def known_total(filterset):
    """How many records a list holds, when that is known without counting them: a search's
    candidates, whose keys have been read, or a list narrowed to one value whose count is kept
    (core.counts.kept_total); else None."""
    records = filterset.qs
    return len(records.search_keys) if searched(records) else kept_total(filterset)


def search_cut(query, page):
    """The number past which a searched list was cut (LIST_SEARCH_POOL), or None
    when it holds every match."""
    pool = LIST_SEARCH_POOL
    return pool if query and page.paginator.count > pool else None


def url_without(request, param, value=None):
    """The current URL with one value of `param` (or the whole parameter) and the page removed."""
    query = request.GET.copy()
    query.pop("page", None)
    if value is None:
        query.pop(param, None)
    else:
        kept = [v for v in query.getlist(param) if v.strip().lower() != str(value).lower()]
        query.setlist(param, kept)
    encoded = query.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


def active_filter_links(request, active, search_label=None):
    """[(text, removal url)] for the filters in force, for the "remove this filter" links."""
    links = []
    query = request.GET.get("q", "").strip()
    if query and search_label:
        links.append((f"{search_label}: “{query[:200]}”", url_without(request, "q")))
    for facet, value, label in active:
        links.append((f"{facet.label}: {label}", url_without(request, facet.param, value)))
    return links


def list_context(request, filterset, active, ignored, page, facets, **extra):
    """What a filtered list page shows besides its own words: the page of records, the facet
    counts, the filters in force with their removal links, ignored values, and the search."""
    query = filterset.form.cleaned_data.get("q", "")
    return {
        "filterset": filterset,
        "page": page,
        "facets": facet_counts(filterset, facets, keys=page.paginator.keys),
        "active_filters": active_filter_links(request, active, _("Search")),
        "ignored": ignored,
        "query": query,
        "cut": search_cut(query, page),
        **extra,
    }


def visible_record(request, model, slug, select=(), prefetch=()):
    """The record with this slug that a detail page shows, if the request may open it (see
    `visible`), with the links it reads loaded; else a 404."""
    records = visible(request, model).select_related(*select).prefetch_related(*prefetch)
    return get_object_or_404(records, slug=slug)


def visible(request, model):
    """The records of a type that a request may open: published ones, and any for curators who
    may view the type in the admin (a draft's preview: staff with the view permission, as the
    admin asks)."""
    opts = model._meta
    if request.user.is_staff and request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
        return model.objects.all()
    return model.objects.published()
