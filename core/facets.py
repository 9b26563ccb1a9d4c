"""Faceted filtering shared by the list pages: one definition of "which records match".

A Facet knows one GET parameter, how to narrow a queryset by the values given for it (OR within
the facet), and how to count, in one grouped query, how many records each value would give.
Counts for a facet are taken with every other active facet applied but not its own, so picking
"Kenya" still shows what the other countries would give.
"""

import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache, partial

from django import forms
from django.core.exceptions import EmptyResultSet
from django.db.models import Count
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_filters import Filter, FilterSet
from taggit.models import Tag

from .cache import cached
from .counts import counts_of, kept_counts
from .keys import key_set, keyed, searched
from .records import plugged_facets, showing

MAX_VALUES_PER_FACET = 20
# Options a facet box lists at most (the most frequent, plus any selected); "hidden" says how
# many more there are.
MAX_OPTIONS_PER_FACET = 50
MAX_VALUE_LENGTH = 100
# A facet's labels are cached whole when it has at most this many values (Facet.labels).
MAX_LABELLED = 1_000


class MultiValueField(forms.Field):
    """Accepts a parameter given any number of times; cleans to a short list of clean strings.

    It never fails: odd values are dropped or normalised, so bad input gives a message, not a 500.
    """

    widget = forms.SelectMultiple

    def __init__(self, *args, normalise=str.lower, **kwargs):
        self.normalise = normalise
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return []
        if isinstance(value, str):
            value = [value]
        cleaned = []
        for item in value:
            item = self.normalise(str(item).replace("\x00", "").strip())[:MAX_VALUE_LENGTH]
            if item and item not in cleaned:
                cleaned.append(item)
        return cleaned[:MAX_VALUES_PER_FACET]

    def validate(self, value):
        pass


@dataclass
class Facet:
    """One filterable dimension.

    `path` leads from the listed model to the `related` model whose `key` field the parameter
    names (e.g. path "approach", key "slug"); a facet with `choices` filters a field of its own.
    For many-to-many relations give `through` with its `owner` and `target` field names:
    filtering and counting then use the link table alone, which keeps rows distinct without
    DISTINCT and stays fast on large tables.
    """

    param: str
    label: str
    related: type | None = None
    path: str = ""
    key: str = "slug"
    name: str = "name"
    through: type | None = None
    owner: str = ""
    target: str = ""
    choices: tuple = ()
    normalise: object = str.lower
    localise: object = None  # (value, stored name) -> the name in the reader's language

    def display(self, value, name):
        return self.localise(value, name) if self.localise else name

    def ordered(self, counted):
        """[(value, label, count)] in the order the facet box lists them: by name."""
        if self.choices:
            return sorted(counted, key=lambda item: str(item[1]))
        return sorted(counted, key=lambda item: name_order(item[1]))

    def arrange(self, options):
        """The options as the facet box lists them: flat, by default."""
        return options

    def links(self):
        """The rows of the link table `through` that count (all of them, by default)."""
        return self.through.objects.all()

    def links_of(self, queryset):
        """The rows of the link table that count for the records of `queryset`."""
        return self.links().filter(**{f"{self.owner}__in": owners(queryset)})

    def lookup(self):
        if self.through is not None:
            return f"{self.target}__{self.key}"
        return f"{self.path}__{self.key}" if self.path else self.key

    def apply(self, queryset, values):
        if not values:
            return queryset
        if self.through is not None:
            linked = self.links().filter(**{f"{self.lookup()}__in": values})
            return queryset.filter(pk__in=linked.values(f"{self.owner}_id"))
        return queryset.filter(**{f"{self.lookup()}__in": values})

    def counts(self, queryset):
        """[(value, label, count)] for every value that gives at least one record."""
        if self.choices:
            rows = queryset.values(self.key).annotate(n=Count("pk")).order_by()
            labels = dict(self.choices)
            return self.ordered(
                [
                    (row[self.key], labels.get(row[self.key], row[self.key]), row["n"])
                    for row in rows
                    if row[self.key] in labels
                ]
            )
        if self.through is not None:
            source = self.links_of(queryset)
            key, name = self.lookup(), f"{self.target}__{self.name}"
            rows = source.values(key, name).annotate(n=Count(f"{self.owner}_id"))
        else:
            key = self.lookup()
            name = f"{self.path}__{self.name}" if self.path else self.name
            rows = queryset.filter(**{f"{key}__isnull": False}).values(key, name)
            rows = rows.annotate(n=Count("pk"))
        return self.ordered(
            [
                (row[key], self.display(row[key], row[name]), row["n"])
                for row in rows.order_by()
                if row["n"]
            ]
        )

    def record_values(self, queryset):
        """(key, value) for each value each record of `queryset` counts for: what counts()
        counts, record by record (core.counts keeps them)."""
        if self.choices:
            labels = dict(self.choices)
            return [(pk, v) for pk, v in queryset.values_list("pk", self.key) if v in labels]
        if self.through is not None:
            return self.links_of(queryset).values_list(f"{self.owner}_id", self.lookup())
        lookup = self.lookup()
        return queryset.filter(**{f"{lookup}__isnull": False}).values_list("pk", lookup)

    def known_values(self, values):
        """{value: label} for those of `values` that name something that exists."""
        if self.choices:
            labels = dict(self.choices)
            return {value: labels[value] for value in values if value in labels}
        labels = cached(
            ("labels", self.param, self.related._meta.label, self.key, self.name, get_language()),
            self.labels,
            showing(("taggit",)),  # reference records (a country, a tag) renamed or deleted
        )
        if labels is False:  # too many to hold
            rows = self.related.objects.filter(**{f"{self.key}__in": values})
            labels = dict(rows.values_list(self.key, self.name))
            return {value: self.display(value, name) for value, name in labels.items()}
        return {value: labels[value] for value in values if value in labels}

    def labels(self):
        """{value: label} of every value the facet can have, or False past MAX_LABELLED (read
        once and cached: a list shows the names of a few hundred values, which took a query a
        facet)."""
        rows = list(self.related.objects.values_list(self.key, self.name)[: MAX_LABELLED + 1])
        if len(rows) > MAX_LABELLED:
            return False
        return {value: self.display(value, name) for value, name in rows}

    def filter(self):
        """The django-filter Filter for this facet's parameter."""
        facet = self

        class FacetFilter(Filter):
            field_class = MultiValueField

            def filter(self, queryset, value):
                return facet.apply(queryset, value)

        return FacetFilter(label=self.label, normalise=self.normalise)


def name_order(name):
    """A sort key that puts accented names where a reader looks for them ("Éthiopie" among the
    E's, not after "Z")."""
    return folded(str(name))


@lru_cache(maxsize=20_000)
def folded(name):
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def link_facet(param, label, relation, facet_class=Facet, **options):
    """The facet of a many-to-many field (e.g. Practice.countries), filtered and counted on its
    link table alone."""
    field = relation.field
    return facet_class(
        param,
        label,
        related=field.related_model,
        through=relation.through,
        owner=field.m2m_field_name(),
        target=field.m2m_reverse_field_name(),
        **options,
    )


def tag_facet(through):
    """The tag facet of a type whose tag links are `through` (a core.models.TaggedRecord)."""
    return Facet(
        "tag", _("Tag"), related=Tag, through=through, owner="content_object", target="tag"
    )


def owners(queryset):
    """A subquery of the keys of `queryset`'s records, for counting their links. A searched
    list's candidates have had their keys read already (see SearchableQuerySet.search):
    those, as they are, spare looking every record up again."""
    keys = getattr(queryset, "search_keys", None)
    return queryset.values("pk") if keys is None else key_set(keys, queryset.db)


def facet_counts(filterset, facets, keys=None):
    """Counts for each facet with all other active filters applied.

    One grouped query per facet; values with no records are left out. The result is cached
    until what they count changes (core.cache), and so is each facet's (value_counts): at
    100,000 records the grouped queries are most of a list page's time, and the same filters
    are asked for again and again.
    """
    data = filterset.form.cleaned_data
    parts = (
        str(filterset.queryset.query),
        get_language(),
        [facet.param for facet in facets],
        sorted((name, repr(value)) for name, value in data.items()),
    )
    topics = counts_topics(filterset.queryset.model, searched=bool(data.get("q")))
    return cached(parts, lambda: compute_facet_counts(filterset, facets, topics, keys), topics)


def counts_topics(model, searched=False):
    """The topics (core.cache) of how many of a type's records a list or a facet counts.
    Without a search, counts change only with what they count: a curator's edit of a
    practice's text leaves them; a search's counts change with any text."""
    app = model._meta.app_label
    return showing((app, "taggit") if searched else (f"{app}:counts", f"{app}:ref", "taggit"))


def value_counts(facet, queryset, topics, counting=None):
    """facet.counts(queryset), cached on its own: a facet's counts leave out its own filter, so
    the costly counts of the whole list (each facet's, at 100,000 records a grouped query over
    a link table) serve every list filtered by that facet alone, and any page of them.
    `counting()`, if given, gives the same records more cheaply counted (see `keyed`)."""
    # A search's candidates are counted afresh: their keys make a long key that few requests
    # share, and the counts of the whole list are cached anyway (facet_counts).
    sql = None if searched(queryset) else query_text(queryset)
    count = lambda: facet.counts(counting() if counting else queryset)  # noqa: E731
    if sql is None:
        return count()
    return cached(("facet", facet.param, sql, get_language()), count, topics)


def query_text(queryset):
    """The SQL of `queryset` as a cache key, or None for one that can match nothing (a search
    that found nothing), whose SQL Django does not write."""
    try:
        return str(queryset.query)
    except EmptyResultSet:
        return None


def compute_facet_counts(filterset, facets, topics, keys=None):
    """`keys`: those of the list's records (every filter in force), if they have been read."""
    data = filterset.form.cleaned_data
    every = tuple(name for name, value in data.items() if value)
    results = []
    # Facets that leave out the same filters in force count the same records: those of a facet
    # not in force (most of them) are filtered once, and a search among them searched once; a
    # filtered set that several facets count has its keys read once, when first counted.
    applying = {
        facet.param: tuple(name for name, value in data.items() if value and name != facet.param)
        for facet in facets
    }
    shared = Counter(applying.values())
    # The counts of the whole list, kept as records change (core.counts), for every facet that
    # no other filter in force narrows.
    kept = kept_counts([f for f in facets if not applying[f.param]], filterset.queryset)
    filtered, by_values = {}, {}
    for facet in facets:
        applied = applying[facet.param]
        if applied not in filtered:
            queryset = filterset.queryset
            for name in applied:
                queryset = filterset.filters[name].filter(queryset, data[name])
            many = applied and shared[applied] > 1
            read = keys if applied == every else None
            filtered[applied] = queryset, cache(partial(keyed, queryset, read)) if many else None
        queryset, counting = filtered[applied]
        active = set(data.get(facet.param) or [])
        counted = kept.get(facet.param)
        if counted is None and (counting or searched(queryset)):
            if applied not in by_values:  # every facet counting these records, in one query
                group = [f for f in facets if applying[f.param] == applied]
                by_values[applied] = counts_of(group, counting() if counting else queryset)
            counted = by_values[applied].get(facet.param)
        if counted is None:
            counted = value_counts(facet, queryset, topics, counting)
        shown = shown_values(counted, active)
        options = [
            {"value": value, "label": label, "count": count, "selected": value in active}
            for value, label, count in counted
            if value in shown
        ]
        results.append(
            {
                "param": facet.param,
                "label": facet.label,
                "options": options,
                "tree": facet.arrange(options),
                "hidden": len(counted) - len(options),
            }
        )
    return results


def shown_values(counted, active):
    """The values a facet box lists: all of them up to MAX_OPTIONS_PER_FACET, else the most
    frequent ones and every selected one. Rendering hundreds of checkboxes (every tag of
    100,000 records) costs more than all of a list page's queries, and helps no one."""
    if len(counted) <= MAX_OPTIONS_PER_FACET:
        return {value for value, _label, _count in counted}
    by_count = sorted(counted, key=lambda item: -item[2])[:MAX_OPTIONS_PER_FACET]
    return {value for value, _label, _count in by_count} | active


def check_values(filterset, facets):
    """Drop facet values that name nothing, before any filtering happens.

    Returns (active, ignored): the active filters as (facet, value, label) for the page to show
    as removable links, and the ignored ones as (facet label, value) for a message.
    """
    data = filterset.form.cleaned_data
    active, ignored = [], []
    for facet in facets:
        values = data.get(facet.param) or []
        if not values:
            continue
        known = facet.known_values(values)
        for value in values:
            if value in known:
                active.append((facet, value, known[value]))
            else:
                ignored.append((facet.label, value))
        data[facet.param] = [value for value in values if value in known]
    return active, ignored


class FacetFilterSet(FilterSet):
    """A FilterSet whose filters come from a list of facets (class attribute), and a search `q`
    where it declares one; its Meta (a FacetFilterSet.Meta) names the model alone."""

    facets = ()
    search_pool = None  # How many candidates a search ranks at most (None: every match).

    @classmethod
    def all_facets(cls):
        """Its own facets, then those that apps building on its type add (core.records)."""
        return [*cls.facets, *plugged_facets(cls._meta.model._meta.label_lower)]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.facets = self.all_facets()
        for facet in self.facets:
            self.filters[facet.param] = facet.filter()
        if "q" in self.filters:  # The search last: it picks its candidates among the rest.
            self.filters["q"] = self.filters.pop("q")

    class Meta:
        fields = []  # No filters of the model's own fields: the facets say what is filtered.
