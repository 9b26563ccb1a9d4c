"""The registry of record types: one declaration per type, made by its own app (its records.py,
read in its AppConfig.ready()), and read by every place that needs the list of types: the page
cache's invalidation, the knowledge-base export and import, /search/, the curators' roles, the
sitemaps, the page catalogue and the seed content. A new record type is declared in its own app
and nowhere else; tests/test_registry.py fails for a content model that is not declared.
"""

from dataclasses import dataclass, field, replace

from django.apps import apps
from django.http import QueryDict
from django.utils.module_loading import import_string

EDITED, VIEWED = "edited", "viewed"


@dataclass(frozen=True)
class RecordType:
    label: str  # "app_label.modelname"
    # Who changes it: EDITED (editors add and change, publishers also delete) or VIEWED (both
    # roles look, superusers change).
    curation: str = VIEWED
    publishable: bool = False  # it has a status, and publishers alone publish
    exported: bool = True  # in the knowledge-base file, in the order of declaration
    export_order: tuple = ("slug",)  # a stable order, so two exports are byte-identical
    parent: str = ""  # the field naming the record it belongs to: an import replaces the set
    search_label: str = ""  # its kind's name on /search/; empty where /search/ does not look
    sitemap: str = ""  # its section of sitemap.xml, which lists its published records' pages
    sample_pages: str = ""  # the page catalogue's name for its detail pages
    # Its group in the admin's menu; empty: "Records" when publishable, else "Vocabularies".
    admin_group: str = ""
    # The values its lists are narrowed by ({facet: lookup or lookups from a record}, as
    # "tags__slug"): a save that changes nothing counted makes stale only the pages of its values.
    facets: dict = field(default_factory=dict, compare=False)
    # The FilterSet ("app.filters.Name") of its list, whose counts of the whole list are kept in
    # the database as records change (core.counts); empty: lists count afresh.
    counted_by: str = ""
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def model(self):
        return apps.get_model(self.label)

    @property
    def app_label(self):
        return self.label.split(".")[0]

    @property
    def kind(self):
        return self.label.split(".")[1]

    def published(self):
        """What the public sees of this type: published records, or all where it has no status."""
        manager = self.model._default_manager
        return manager.published() if hasattr(manager, "published") else manager.all()


def public_type(label, search_label, **options):
    """The declaration of a type the public reads on pages of its own (practice, movement,
    principle): editors change it and publishers publish it, /search/ looks in it, the sitemap
    lists its pages (section "<kind>s") and the page catalogue samples them ("<kind>")."""
    kind = label.split(".")[1]
    return RecordType(
        label,
        curation=EDITED,
        publishable=True,
        search_label=search_label,
        sitemap=f"{kind}s",
        sample_pages=kind,
        **options,
    )


def tagging(label):
    """The declaration of a record type's tag links (a core.models.TaggedRecord)."""
    return RecordType(
        label,
        curation=EDITED,
        export_order=("content_object__slug", "tag__name"),
        parent="content_object",
    )


@dataclass(frozen=True)
class Pages:
    """Public pages and what they show, so that a write makes stale only the pages that show what
    it changed (core.cache). Such pages show every write to the apps in `shows`, the reference
    records (organisations, countries, sections) of every other content app and, where the URL
    names a record of type `record` by its slug, that record's links to other apps' records (a
    practice's page lists the movements it works with). Pages not declared show everything."""

    views: tuple  # URL names ("practices:practice-list")
    shows: tuple  # app labels ("practices", "taggit")
    record: str = ""  # "practices.practice"
    # Pages that list the records of type `listing` having a value the URL names (a theme's page,
    # /practices/?tag=x): ((URL keyword or GET parameter, facet, normalise or None), ...), the
    # narrowest first. Such a page shows, of that type, only the records with that value (their
    # facet topics, below), and its counts; without such a value, or with a search, it shows
    # every write to the type's app.
    listing: str = ""
    by: tuple = ()
    # For a `record` page of the `listing` type: the facets whose other records it shows (a
    # practice's related practices share its approach, tags or countries).
    related: tuple = ()
    # For a list of every record of `listing`: the values of its GET "sort" that mean the
    # type's default order (Meta.ordering). A page of it (?page=n) in that order, with nothing
    # else asked, shows the records at those places: it depends on that page's topic (replaced
    # by a save of a record on it) and on "<app>:order" (a record moved) and the counts.
    ordered: tuple = ()
    # The GET parameter of its page number; empty where only its first page is so (the API's
    # later pages are reached by cursor, and show every write to the type's app).
    page_param: str = "page"


def record_topic(label, slug):
    """The topic of one record as other apps' pages show it."""
    return f"rec:{label}:{slug}"


_TYPES = {}
_FIXTURES = []
_PAGES = {}
_PLUGGED = {}  # {record type label: [core.facets.Facet added by apps that build on it]}
_RELATED = {}  # {record type label: [(candidates function, weight)]}
_SHOWN = {}  # {record type label: function(record) -> the other records its page shows}
_CARD_LINKS = {}  # {record type label: [Prefetch of what its list cards also show]}
_EXPORT_LINKS = {}  # {record type label: {export column: function from pks to (pk, value)}}


def register(*record_types, fixtures=()):
    """Declare record types, in load order (a type may only refer to types declared before it),
    and the fixture files of the seed content that hold them."""
    for record_type in record_types:
        _TYPES[record_type.label] = record_type
    _FIXTURES.extend(name for name in fixtures if name not in _FIXTURES)


def register_pages(*pages):
    for declared in pages:
        _PAGES.update(dict.fromkeys(declared.views, declared))


def plug_facets(label, *facets, values=None):
    """Facets that an app building on the type `label` adds to its lists (the evidence app's
    outcome and level, on practices, which never import it): every FilterSet of the type
    (core.facets.FacetFilterSet) takes them, and so its page, API list, exports and feed.
    `values` ({facet: lookup or lookups from a record}) joins its RecordType.facets, so the
    cache knows which records have which value. Call it in the app's records.declare()."""
    plugged = _PLUGGED.setdefault(label, [])
    plugged += [facet for facet in facets if facet.param not in {f.param for f in plugged}]
    if values:
        declared = _TYPES[label]
        _TYPES[label] = replace(declared, facets={**declared.facets, **values})


def plugged_facets(label):
    return tuple(_PLUGGED.get(label, ()))


def extend_pages(view_name, *, by=(), related=()):
    """Add facets to a declared page (Pages): GET values it is narrowed by (after its own, see
    Pages.by) and values whose other records it shows (Pages.related)."""
    declared = _PAGES[view_name]
    by = tuple(entry for entry in by if entry not in declared.by)
    related = tuple(facet for facet in related if facet not in declared.related)
    register_pages(replace(declared, by=(*declared.by, *by), related=(*declared.related, *related)))


def plug_related(label, candidates, weight=1):
    """Another way a record of type `label` is related to others, from an app that builds on
    it: candidates(record, others) narrows the queryset `others` to those related this way;
    each such link counts `weight` times the type's own kinds of link."""
    if (candidates, weight) not in _RELATED.setdefault(label, []):
        _RELATED[label].append((candidates, weight))


def plugged_related(label):
    return tuple(_RELATED.get(label, ()))


def plug_shown(label, shown):
    """How the page of a record of type `label` picks the other records of its type it shows
    (a practice's related practices): shown(record) gives them. That page then depends on those
    records alone (core.cache.related_values), not on every record sharing a value with it; the
    choice must change only with what lists count (an order by key, not by date of edit)."""
    _SHOWN[label] = shown


def plugged_shown(label):
    return _SHOWN.get(label)


def plug_card_links(label, *prefetches):
    """What an app building on the type `label` shows on its list cards (the evidence app's
    strongest level on a practice's card): prefetched with the cards (the type's for_list()),
    one query a page."""
    _CARD_LINKS.setdefault(label, []).extend(prefetches)


def plugged_card_links(label):
    return tuple(_CARD_LINKS.get(label, ()))


def plug_export_columns(label, **links):
    """Many-valued columns that an app building on the type `label` adds at the end of its
    list's CSV and JSON exports (core.exports.ListExport): {name: function from a chunk's pks
    to (pk, value) rows}."""
    _EXPORT_LINKS.setdefault(label, {}).update(links)


def plugged_export_columns(label):
    return dict(_EXPORT_LINKS.get(label, {}))


def value_topic(label, facet, value):
    """The topic of the records of type `label` with `value` for `facet` ("practices.practice",
    "tag", "savings"): the pages listing them, or showing some of them, depend on it."""
    return f"val:{label}:{facet}:{value}"


def page_topics(view_name, kwargs, query=None, known=None, values_of=None):
    """The topics (core.cache) of the page of URL `view_name` with `kwargs` and GET `query`, or
    None when it has not declared them (then it shows everything). known(label, facet, value)
    tells whether a GET value names something (else the list ignores it); values_of(label,
    slug, facets) gives the value topics of a record."""
    declared = _PAGES.get(view_name)
    if declared is None:
        return None
    query = QueryDict() if query is None else query
    narrowed = narrowed_by(declared, kwargs, query, known)
    slug = kwargs.get("slug", "")
    if declared.record and declared.listing == declared.record and values_of is not None:
        # It shows its record (its own topic) and the records sharing its `related` values.
        narrowed = values_of(declared.listing, slug, declared.related)
    app = declared.listing.split(".")[0]
    if narrowed is None and declared.ordered:
        number = page_number(declared, query)
        if number is not None:
            narrowed = {f"{app}:order", list_page_topic(declared.listing, number)}
    if narrowed is None:
        topics = list(showing(declared.shows))
    else:
        others = tuple(shown for shown in declared.shows if shown != app)
        topics = [*showing((*others, f"{app}:counts")), *sorted(narrowed)]
    if declared.record:
        topics.append(record_topic(declared.record, slug))
    return tuple(topics)


def list_page_topic(label, number):
    """The topic of page `number` of the list of every record of type `label`, in its order."""
    return f"val:{label}:page:{number}"


def page_number(declared, query):
    """The page an `ordered` list's URL asks for when it asks for nothing else, or None."""
    param = declared.page_param
    if not hasattr(query, "getlist") or set(query) - {param, "sort"}:
        return None
    pages, sorts = (query.getlist(param) if param else []) or ["1"], query.getlist("sort") or [""]
    if len(pages) > 1 or len(sorts) > 1 or sorts[0] not in declared.ordered:
        return None
    page = pages[-1]
    return int(page) if page.isascii() and page.isdigit() and len(page) < 10 else None


def narrowed_by(declared, kwargs, query, known):
    """The value topics of the first value a `listing` page's URL narrows it by, or None."""
    if not declared.listing or (hasattr(query, "get") and (query.get("q") or "").strip()):
        return None
    for name, facet, normalise in declared.by:
        if name in kwargs:  # A page of an unknown value is a 404, which is not cached.
            value = normalise(kwargs[name]) if normalise else kwargs[name]
            return {value_topic(declared.listing, facet, value)}
        values = query.getlist(name) if hasattr(query, "getlist") else []
        values = {normalise(value) if normalise else value for value in values}
        found = {v for v in values if known is not None and known(declared.listing, facet, v)}
        if found:  # The list ignores unknown values, and shows only records with the others.
            return {value_topic(declared.listing, facet, value) for value in found}
    return None


def showing(apps_shown):
    """The topics of what shows every write to `apps_shown` and the reference records of the
    other content apps."""
    others = sorted(f"{app}:ref" for app in content_apps() if app not in apps_shown)
    return (*apps_shown, *others)


def record_types(**conditions):
    """The declared types, in declaration order, that have every given attribute value."""
    return [
        record_type
        for record_type in _TYPES.values()
        if all(getattr(record_type, name) == value for name, value in conditions.items())
    ]


def record_type(label):
    return _TYPES.get(label)


def counted_facets(label):
    """The facets whose counts type `label` keeps (RecordType.counted_by; core.counts)."""
    declared = _TYPES.get(label)
    if declared is None or not declared.counted_by:
        return ()
    return import_string(declared.counted_by).all_facets()


def content_apps():
    """The apps whose records the public pages show: a change in any of them is a change of
    content."""
    return frozenset(record_type.app_label for record_type in _TYPES.values())


def fixture_files():
    """The seed content's files, in load order."""
    return list(_FIXTURES)
