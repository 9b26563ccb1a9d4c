"""The facet counts of a type's whole list, kept in the database as its records change.

Beside its records, a list page shows how many published records each facet value gives; with no
filter in force those counts are the same for every page of the list, and they are also the
counts of each facet of a list filtered by that facet alone (a facet's counts leave its own
filter out). At 100,000 practices counting them is a grouped query over a link table, 60-100 ms
for each of ten facets, and a cache of them goes with each change. Here they are rows
(core.models.FacetCount) written in the transaction of the change that moves them, so that a
page right after any change reads them in one query per facet.

A type keeps them when its declaration names its list's FilterSet (RecordType.counted_by). A
write counts again only the values it may have moved, each exactly, with its facet's own filter
(Facet.apply), never by adding one, so that nothing drifts:
- a link added or removed (a tag, a country): that value;
- a record saved with new links, choices or status, or deleted, or a row of it saved (an
  assessment): the values it counted for before or counts for now, not both;
- a record a value stands for (a country, an approach) given a new key or moved (a country to
  another region, an approach to another theme), or deleted: every value of the type.
Writes that no signal reports (a fixture load, the seeder's bulk rows) leave the counts marked
stale: lists count afresh until recount_all() (run by load_content, the import and the seeder).
"""

import threading
from functools import cache

from django.core.exceptions import EmptyResultSet, ObjectDoesNotExist
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils.module_loading import import_string

from .cache import counted, counted_fields, owner
from .models import FacetCount
from .records import record_type, record_types

MARK = {"facet": "", "value": ""}  # the row that says a type's counts are kept
_moved = threading.local()  # the (type, facet, value) a write in progress may have moved


def kept_types():
    return [declared for declared in record_types() if declared.counted_by]


def facets_of(label):
    """The facets whose whole-list counts type `label` keeps (none if it keeps none)."""
    declared = record_type(label)
    if declared is None or not declared.counted_by:
        return ()
    return import_string(declared.counted_by).all_facets()


def kept_counts(facets, queryset):
    """{facet param: facet.counts(queryset)} as kept, for those of `facets` whose counts its
    type keeps when `queryset` is the type's whole published list (else none): one query, and
    one for the names of each facet's values."""
    label = queryset.model._meta.label_lower
    kept = [facet for facet in facets if any(facet is own for own in facets_of(label))]
    if not kept or not whole(queryset, label):
        return {}
    rows = FacetCount.objects.using(queryset.db).filter(
        record_type=label, facet__in=["", *(facet.param for facet in kept)]
    )
    found = {}
    for param, value, count in rows.values_list("facet", "value", "count"):
        found.setdefault(param, {})[value] = count
    if "" not in found:  # not kept (yet, or no longer: see stale())
        return {}
    counts = {}
    for facet in kept:
        values = found.get(facet.param, {})
        labels = facet.known_values(list(values)) if values else {}
        counted = [(v, labels[v], n) for v, n in values.items() if v in labels]
        counts[facet.param] = facet.ordered(counted)
    return counts


def whole(queryset, label):
    """Whether `queryset` holds exactly the published records of type `label`."""
    if getattr(queryset, "search_keys", None) is not None:
        return False
    try:
        return keys_sql(queryset) == keys_sql(record_type(label).published())
    except EmptyResultSet:
        return False


def keys_sql(queryset):
    return str(queryset.order_by().values("pk").query)


def recount_all(labels=None):
    """Count every value of every kept facet afresh, and mark the counts kept."""
    for declared in kept_types():
        if labels is not None and declared.label not in labels:
            continue
        label, published = declared.label, declared.published()
        with transaction.atomic():
            FacetCount.objects.get_or_create(record_type=label, **MARK, defaults={"count": 0})
            locked(label)
            FacetCount.objects.filter(record_type=label).exclude(**MARK).delete()
            FacetCount.objects.bulk_create(
                FacetCount(record_type=label, facet=facet.param, value=str(value), count=n)
                for facet in facets_of(label)
                for value, _label, n in facet.counts(published)
            )


def stale(labels):
    """The kept counts of `labels` no longer say what the records give: lists count afresh."""
    FacetCount.objects.filter(record_type__in=labels, **MARK).delete()


def locked(label):
    """Whether type `label` keeps its counts; if so its counts are locked until the transaction
    ends, so that two writers count one after the other, each seeing what the other wrote."""
    return bool(list(FacetCount.objects.select_for_update().filter(record_type=label, **MARK)))


def moved():
    if not hasattr(_moved, "values"):
        _moved.values = set()
    return _moved.values


def recount_moved():
    """Count again each value the writes so far may have moved."""
    values, _moved.values = moved(), set()
    for label in {label for label, _facet, _value in values}:
        recount(label, {(facet, value) for kind, facet, value in values if kind == label})


def recount(label, pairs):
    if not pairs:
        return
    facets = {facet.param: facet for facet in facets_of(label)}
    with transaction.atomic():
        if not locked(label):
            return
        published = record_type(label).published()
        for param, value in sorted(pairs):
            count = facets[param].apply(published, [value]).count()
            rows = FacetCount.objects.filter(record_type=label, facet=param, value=value)
            if not count:
                rows.delete()
            elif not rows.update(count=count):
                FacetCount.objects.create(record_type=label, facet=param, value=value, count=count)


def values_moved(record, facet, values):
    """For a write that no signal reports: `values` of `facet` may have moved for `record`."""
    label = record._meta.label_lower
    moved().update((label, facet, str(value)) for value in values)
    recount_moved()


def values_of(label, pk):
    """The (type, facet, value) that record `pk` of type `label` counts for: none unless it
    is published."""
    one = record_type(label).published().filter(pk=pk)
    return {
        (label, facet.param, str(value))
        for facet in facets_of(label)
        for value, _label, _n in facet.counts(one)
    }


@cache
def roles(model):
    """How writes of `model` move kept counts: {"record": type}, {"links": [(type, facet)]} for
    a facet's link table, {"part": True} for rows of a record, {"references": types}."""
    label = model._meta.label_lower
    found = {}
    for declared in kept_types():
        if declared.model is model:
            found["record"] = label
        for facet in facets_of(declared.label):
            if facet.through is model:
                found.setdefault("links", []).append((declared.label, facet))
            if model in referenced(declared.model, facet):
                found.setdefault("references", set()).add(declared.label)
    declared = record_type(label)
    if declared is not None and declared.parent:
        found["part"] = True
    return found


def referenced(model, facet):
    """The models whose records a facet's values stand for, or lead to them."""
    found = {facet.related} if facet.related is not None else set()
    for name in facet.path.split("__") if facet.path else ():
        model = model._meta.get_field(name).related_model
        found.add(model)
    return found


def only_links(model):
    """Whether a row of `model` is a link and nothing else (a tag on a practice)."""
    return all(field.is_relation or field.primary_key for field in model._meta.concrete_fields)


def linked_values(label, facet, **row):
    """The values of `facet` of the link rows of its table given by `row`."""
    rows = facet.through._base_manager.filter(**row)
    lookup = f"{facet.target}__{facet.key}"
    return {(label, facet.param, str(value)) for value in rows.values_list(lookup, flat=True)}


def signature(instance):
    """What a record a facet value stands for counts by: its links and its unique keys."""
    model = type(instance)
    names = counted_fields(model) + [f.attname for f in model._meta.concrete_fields if f.unique]
    return {name: getattr(instance, name) for name in names}


def before_write(sender, instance, raw=False, **kwargs):
    found = roles(sender)
    if raw or not found:
        return
    if "record" in found:
        label = found["record"]
        fields = counted_fields(sender)
        before = sender._base_manager.filter(pk=instance.pk).values(*fields).first()
        if kwargs.get("signal") is pre_delete or before != counted(instance):
            instance._counts_before = values_of(label, instance.pk) if before else set()
    if "links" in found and only_links(sender) and instance.pk is not None:
        for label, facet in found["links"]:
            moved().update(linked_values(label, facet, pk=instance.pk))
    elif found.get("part"):
        try:
            record = owner(instance)
        except ObjectDoesNotExist:  # its record is already gone
            record = None
        if record is not None and roles(type(record)).get("record"):
            instance._counts_owner = record
            instance._counts_before = values_of(record._meta.label_lower, record.pk)
    if "references" in found and kwargs.get("signal") is pre_save and instance.pk is not None:
        before = sender._base_manager.filter(pk=instance.pk).first()
        instance._counts_all = before is not None and signature(before) != signature(instance)


def after_write(sender, instance, raw=False, **kwargs):
    found = roles(sender)
    if not found:
        return
    if raw:
        stale({found.get("record"), *found.get("references", ())} - {None} or kept_labels())
        return
    if hasattr(instance, "_counts_before"):
        record = getattr(instance, "_counts_owner", instance)
        label = record._meta.label_lower
        moved().update(instance._counts_before ^ values_of(label, record.pk))
        del instance._counts_before
    if "links" in found and only_links(sender):
        for label, facet in found["links"]:
            moved().update(linked_values(label, facet, pk=instance.pk))
    recount_moved()
    deleted = kwargs.get("signal") is post_delete
    if "references" in found and (deleted or getattr(instance, "_counts_all", False)):
        recount_all(found["references"])


def kept_labels():
    return {declared.label for declared in kept_types()}


def links_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """A link added to or removed from a record through its many-to-many field (its
    `.add()`, `.remove()`, `.set()`, `.clear()`), or from the other end."""
    for label, facet in roles(sender).get("links", ()):
        if reverse:
            moved().add((label, facet.param, str(getattr(instance, facet.key))))
        elif pk_set:
            keys = model._base_manager.filter(pk__in=pk_set).values_list(facet.key, flat=True)
            moved().update((label, facet.param, str(key)) for key in keys)
        elif action == "pre_clear":
            moved().update(linked_values(label, facet, **{facet.owner: instance.pk}))
    if action.startswith("post_"):
        recount_moved()


pre_save.connect(before_write, dispatch_uid="atlas_counts_before_save")
pre_delete.connect(before_write, dispatch_uid="atlas_counts_before_delete")
post_save.connect(after_write, dispatch_uid="atlas_counts_after_save")
post_delete.connect(after_write, dispatch_uid="atlas_counts_after_delete")
m2m_changed.connect(links_changed, dispatch_uid="atlas_counts_links")
