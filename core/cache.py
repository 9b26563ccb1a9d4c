"""A cache for what is costly to derive at scale (facet counts, whole pages), dropped when what
it shows changes.

Every key carries the versions of the *topics* it depends on; a write replaces the versions of
the topics it touches, so the next request computes afresh. A topic is
- ANY: any change of content (pages that declare nothing depend on it: home, search, countries);
- SITE: the whole site at once (an import, a restore, a rebuilt search index); every key has it;
- an app label ("practices"): any change of that app's records;
- "<app>:ref": a change of that app's reference records (organisations, countries, sections:
  everything that is not a publishable record, its tags or its child rows), which other apps'
  pages show beside their own records;
- "<app>:counts": what the app's facet counts count: a record added, deleted, linked, or saved
  with a new status, choice, number or link (not a new title or text);
- "rec:<label>:<slug>": one record as another app's pages show it: a movement's page shows its
  practices, so a practice saved, taken down or linked replaces the topic of each movement (and
  principle) it is linked to, and leaves the other movement pages warm;
- "val:<label>:<facet>:<value>": the records of a type with one facet value (a country, a
  theme, a tag: its RecordType.facets). A save that changes nothing counted replaces only those of
  the record's values, so the pages of a country, a theme or a tag and the lists filtered by
  them (which depend on them and on "<app>:counts" instead of the whole app) stay warm when a
  practice elsewhere gets a new summary.
Which topics a page depends on is declared with its app's record types (core.records.Pages).

The versions live in the "versions" cache when settings.CACHES defines one (a file cache that
every server process shares, or Redis), else in the default cache. Nothing is cached inside a
transaction: what it has written may yet be rolled back (and tests, which run in one, always
compute afresh).
"""

import hashlib
import logging
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache, caches
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, models, transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save

from . import records
from .records import content_apps, list_page_topic, record_topic, record_type, value_topic
from .singleflight import CACHE_ERRORS, single_flight

ANY, SITE = "any", "site"
logger = logging.getLogger(__name__)


def timeout():
    return getattr(settings, "COUNTS_CACHE_SECONDS", 120)


def named_cache(alias):
    """The cache `alias` when settings.CACHES defines it, else the default cache."""
    return caches[alias if alias in settings.CACHES else "default"]


def versions():
    return named_cache("versions")


def version_key(topic):
    return f"atlas:v:{topic}"


def topic_versions(topics):
    """The current version of each topic (a tuple), or None when they cannot be read or recorded
    (then nothing is cached)."""
    keys = [version_key(topic) for topic in topics]
    try:
        found = versions().get_many(keys)
        for key in keys:
            if key not in found:
                versions().add(key, time.time_ns(), None)
                found[key] = versions().get(key)
    except CACHE_ERRORS:  # A cache server or a file that cannot be read: compute afresh.
        logger.exception("Could not read the content version; nothing is cached.")
        return None
    if any(found[key] is None for key in keys):
        return None
    return tuple(found[key] for key in keys)


def content_version():
    """The version of all content: it changes with every write."""
    found = topic_versions((ANY,))
    return found and found[0]


def new_version():
    """Replace the versions of every topic at once (SITE, which every key carries)."""
    _bump((ANY, SITE))


def _bump(topics):
    now = time.time_ns()
    try:
        versions().set_many({version_key(topic): now for topic in topics}, None)
    except CACHE_ERRORS:
        # A cache that cannot be written must not fail the curator's save; cached pages then
        # live until PAGE_CACHE_SECONDS runs out.
        logger.exception("Could not record a new content version; cached pages may be stale.")


_discarded = ContextVar("content_changes_discarded", default=False)


@contextmanager
def changes_discarded():
    """For writes that will be rolled back (a state shown in the admin, then undone): they do
    not replace the content version, so cached pages stay."""
    token = _discarded.set(True)
    try:
        yield
    finally:
        _discarded.reset(token)


def changed(topics=(SITE,)):
    """Replace the versions of `topics` (and ANY) now, and again once the change is committed:
    a request that read the old rows in between may have cached them under the first."""
    if _discarded.get():
        return
    topics = (ANY, *topics)
    _bump(topics)
    transaction.on_commit(lambda: _bump(topics))


def owner(instance):
    """The publishable record `instance` is part of (itself, the record a tag link or a figure
    belongs to), or None for reference records."""
    declared = record_type(instance._meta.label_lower)
    while declared is not None and declared.parent:
        instance = getattr(instance, declared.parent, None)
        if instance is None:
            return None
        declared = record_type(instance._meta.label_lower)
    return instance if declared is not None and declared.publishable else None


def shown_with(record):
    """The topics of the records of other apps whose pages show `record` (linked to it by a
    many-to-many relation either way)."""
    topics = set()
    for relation in record._meta.get_fields():
        other = relation.related_model
        if (
            not relation.many_to_many
            or other is None
            or other._meta.app_label == record._meta.app_label
            or not getattr(record_type(other._meta.label_lower), "publishable", False)
        ):
            continue
        name = relation.name if relation.concrete else relation.get_accessor_name()
        slugs = getattr(record, name).values_list("slug", flat=True)
        topics.update(record_topic(other._meta.label_lower, slug) for slug in slugs)
    return topics


def record_topics(instance, links=True):
    """The topics of the publishable record `instance` belongs to, if any: its app, its own
    topic and (with `links`) those of the records of other apps linked to it."""
    try:
        record = owner(instance)
    except ObjectDoesNotExist:  # its record was deleted before it
        return {instance._meta.app_label}
    if record is None:
        return set()
    found = {record._meta.app_label, record_topic(record._meta.label_lower, record.slug)}
    return found | shown_with(record) if links else found


def counts_topics(instance):
    """The counts a write of `instance` changes: its app's, and those of the record it is part
    of, whose lists may count it (an assessment, in the evidence facets of practices)."""
    topics = {f"{instance._meta.app_label}:counts"}
    try:
        record = owner(instance)
    except ObjectDoesNotExist:  # its record was deleted before it
        record = None
    if record is not None:
        topics.add(f"{record._meta.app_label}:counts")
    return topics


def write_topics(instance, links=True):
    """What a save or delete of `instance` changes: a record (and the pages showing it), or an
    app's reference records."""
    app = instance._meta.app_label
    return {app, *(record_topics(instance, links) or {f"{app}:ref"})}


def facet_lookups(declared, facet):
    found = declared.facets[facet]
    return (found,) if isinstance(found, str) else tuple(found)


def value_topics(record, facets=None):
    """The topics of `record`'s values for `facets` (all its type declares by default)."""
    declared = record_type(record._meta.label_lower)
    topics = set()
    for facet in declared.facets if facets is None else facets:
        for lookup in facet_lookups(declared, facet):
            rows = type(record)._base_manager.filter(pk=record.pk).values_list(lookup, flat=True)
            topics.update(value_topic(declared.label, facet, v) for v in rows if v is not None)
    return topics


def value_known(label, facet, value):
    """Whether a record of type `label` has `value` for `facet` (else a list ignores it)."""
    declared = record_type(label)
    if declared is None or facet not in declared.facets or not plausible(value):
        return False
    app = declared.app_label

    def exists():
        condition = Q()
        for lookup in facet_lookups(declared, facet):
            condition |= Q(**{lookup: value})
        return declared.model._base_manager.filter(condition).exists()

    return cached(("known", label, facet, value), exists, (f"{app}:counts", f"{app}:ref", "taggit"))


def plausible(value):
    """Whether a value from a URL may name something: PostgreSQL refuses a NUL in a query."""
    return 0 < len(value) <= 200 and "\x00" not in value


def related_values(label, slug, facets):
    """The topics of the other records the page of the record of type `label` with `slug` shows:
    those its type's plugged function picks (core.records.plug_shown), else every record sharing
    its values for `facets` (none: it shows its record alone); None if there is no such record
    (a 404, not cached). The choice is cached until the record or what lists count changes."""
    declared = record_type(label)
    shown = records.plugged_shown(label) if facets else None

    def compute():
        record = declared.model._base_manager.filter(slug=slug).first()
        if record is None:
            return None
        if shown is not None:
            return sorted({record_topic(label, other.slug) for other in shown(record)})
        return sorted(value_topics(record, facets))

    found = cached(
        ("values", label, slug, facets, shown is not None),
        compute,
        (record_topic(label, slug), f"{declared.app_label}:counts"),
    )
    return None if found is None else set(found)


def counted_fields(model):
    """The fields facets can count a record by: its status, choices, numbers, flags and links."""
    return [
        field.attname
        for field in model._meta.concrete_fields
        if field.is_relation
        or field.choices
        or isinstance(field, (models.BooleanField, models.IntegerField))
    ]


def counted(instance):
    fields = counted_fields(type(instance))
    return {name: getattr(instance, name) for name in fields}


def saving(sender, instance, raw=False, **kwargs):
    """Before a save: what the record counted as, so that a text edit leaves the counts."""
    declared = record_type(sender._meta.label_lower)
    if (
        raw
        or not in_content(sender)
        or instance.pk is None
        or not (declared and declared.publishable)
    ):
        return
    fields = counted_fields(sender)
    before = sender._base_manager.filter(pk=instance.pk)
    before = before.values(*fields, *order_fields(sender), "slug").first()
    instance._counted_before = before and {name: before[name] for name in fields}
    instance._ordered_before = before and {name: before[name] for name in order_fields(sender)}
    instance._slug_before = before and before["slug"]


def order_fields(model):
    """The fields of the model's default order (Meta.ordering), as attribute names."""
    return [model._meta.pk.attname if name == "pk" else name for name in ordering(model)]


def ordering(model):
    return [name.lstrip("-") for name in model._meta.ordering if isinstance(name, str)]


def list_page_topics(instance):
    """The topic of the page of its type's whole list, in its default order, that shows
    `instance`; or "<app>:order" (every such page) when its place in that order changed."""
    model, label = type(instance), instance._meta.label_lower
    names = order_fields(model)
    now = {name: getattr(instance, name) for name in names}
    if getattr(instance, "_ordered_before", None) != now:
        return {f"{instance._meta.app_label}:order"}
    # Those before it: one count per field of the order (an OR of them is a scan of the table;
    # each alone is a range of the list's index).
    published, position, equal = record_type(label).published(), 0, {}
    for field, name in zip(model._meta.ordering, names, strict=True):
        side = "gt" if field.startswith("-") else "lt"
        position += published.filter(**equal, **{f"{name}__{side}": now[name]}).count()
        equal[name] = now[name]
    return {list_page_topic(label, position // settings.PAGE_SIZE + 1)}


def in_content(sender):
    return not _discarded.get() and sender._meta.app_label in content_apps()


def saved(sender, instance, raw=False, **kwargs):
    if not in_content(sender):
        return
    if raw:  # loading a fixture
        changed()
        return
    topics = write_topics(instance)
    slug_before = getattr(instance, "_slug_before", None)
    if slug_before and slug_before != instance.slug:  # and the pages of its old address
        topics.add(record_topic(instance._meta.label_lower, slug_before))
    if getattr(instance, "_counted_before", None) != counted(instance):
        # Every list and count may change: the pages of values depend on the counts too.
        topics |= counts_topics(instance)
    elif getattr(record_type(sender._meta.label_lower), "facets", None):
        # Its values are as they were: only their pages show it, and one page of its whole list.
        topics |= value_topics(instance) | list_page_topics(instance)
    changed(topics)


def deleting(sender, instance, **kwargs):
    """Its links go with it, so which records showed it is known only now; the topics are
    replaced again once the delete is committed (changed()), so nothing is needed after it."""
    if in_content(sender):
        changed({*write_topics(instance), *counts_topics(instance)})


def linked(sender, instance, action, model, pk_set, **kwargs):
    """A many-to-many link added or removed changes the records it joins (not a tag or an
    organisation on the other end, which stays as it was)."""
    if not action.startswith("post_") or not in_content(sender) or pk_set == set():
        return
    topics = {sender._meta.app_label, *record_topics(instance)}
    if pk_set is None:  # cleared: which records were linked is no longer known
        topics.add(model._meta.app_label)
    else:
        for other in model._base_manager.filter(pk__in=pk_set):
            topics.update(record_topics(other))
    apps_linked = {sender._meta.app_label, instance._meta.app_label, model._meta.app_label}
    changed(topics | {f"{app}:counts" for app in apps_linked})


def content_changed(sender=None, **kwargs):
    """Content changed outside the signals' view (an import, a rebuilt index): everything goes."""
    changed()


def versioned(prefix, parts, topics=(ANY,)):
    """(the newest version of `topics`, a cache key for `parts` (a repr-able value) under their
    versions), or None when a version cannot be read (then nothing is to be cached)."""
    found = topic_versions((SITE, *topics))
    if found is None:
        return None
    digest = hashlib.sha1(repr((parts, found)).encode(), usedforsecurity=False).hexdigest()
    return max(found), f"{prefix}{digest}"


def cached(parts, compute, topics=(ANY,)):
    """compute(), cached under a key made of `parts` (a repr-able value) and the versions of
    `topics`; computed afresh inside a transaction."""
    if connection.in_atomic_block or not timeout():
        return compute()
    found = versioned("atlas:", parts, topics)
    if found is None:
        return compute()
    key = found[1]
    value = cache.get(key)
    if value is None:
        with single_flight(cache, key) as value:
            if value is None:
                value = compute()
                cache.set(key, value, timeout())
    return value


pre_save.connect(saving, dispatch_uid="atlas_cache_content_saving")
post_save.connect(saved, dispatch_uid="atlas_cache_content_saved")
pre_delete.connect(deleting, dispatch_uid="atlas_cache_content_deleting")
m2m_changed.connect(linked, dispatch_uid="atlas_cache_content_linked")
