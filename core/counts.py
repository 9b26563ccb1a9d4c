"""Facet counts kept in the database as records change, so that no list counts 100,000 records.

A type keeps them when its declaration names its list's FilterSet (RecordType.counted_by). Two
tables hold them (core.models), written in the transaction of each write that moves them:
- RecordValues: each published record's values, as "facet=value" strings. A list filtered by
  anything counts every facet of its records in one query of these (counts_of), where it took a
  grouped query a facet, 10-20 ms each for 5,000 records;
- FacetCount: how many published records each value gives, the counts of the whole list: those
  of every page of it, and of each facet of a list filtered by that facet alone (a facet's counts
  leave its own filter out), read in one query (kept_counts).

A write marks the records whose values it may have moved (a practice saved, its tag or country
links, a row of it such as an assessment); at the end of the write their values are read again
and each value that changed is counted again exactly, with the facet's own filter
(Facet.apply), never by adding one, so that nothing drifts. A record that values stand for (a
country, an approach) given a new key or moved (to another region, another theme), or deleted,
has every value of the type counted afresh. Writes that no signal reports (a fixture load, the
seeder's bulk rows) leave the counts marked stale: lists count afresh until recount_all() (run
by load_content, the import and the seeder).
"""

import threading
from collections import Counter, defaultdict
from functools import cache

from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from .cache import counted, counted_fields
from .keys import key_set, searched
from .models import FacetCount, RecordValues
from .records import counted_facets, record_type, record_types

MARK = {"facet": "", "value": ""}  # the row that says a type's counts are kept
_touched = threading.local()  # {type: keys of records whose values a write may have moved}


def kept_types():
    return [declared.label for declared in record_types() if declared.counted_by]


def own(facets, label):
    """Those of `facets` whose counts type `label` keeps."""
    kept = counted_facets(label)
    return [facet for facet in facets if any(facet is own for own in kept)]


def kept_counts(facets, queryset):
    """{facet param: facet.counts(queryset)} as kept, for those of `facets` whose counts its
    type keeps when `queryset` is the type's whole published list (else none): one query, and
    one for the names of each facet's values."""
    label = queryset.model._meta.label_lower
    facets = own(facets, label)
    if not facets or not whole(queryset, label):
        return {}
    rows = FacetCount.objects.using(queryset.db).filter(
        record_type=label, facet__in=["", *(facet.param for facet in facets)]
    )
    rows = list(rows.values_list("facet", "value", "count"))
    if not any(param == "" for param, _value, _count in rows):  # not kept (yet, or stale())
        return {}
    return labelled(facets, rows)


def kept_total(filterset):
    """How many records a list narrowed to one value of one kept facet holds (what that value's
    option says), as kept; None for any other list."""
    active = [(name, value) for name, value in filterset.form.cleaned_data.items() if value]
    if len(active) != 1 or not isinstance(active[0][1], list) or len(active[0][1]) != 1:
        return None
    (param, (value,)), label = active[0], filterset.queryset.model._meta.label_lower
    if not any(facet.param == param for facet in own(filterset.facets, label)):
        return None
    if not whole(filterset.queryset, label):
        return None
    rows = FacetCount.objects.filter(record_type=label, facet__in=("", param))
    found = dict(rows.filter(value__in=("", value)).values_list("facet", "count"))
    return found.get(param, 0) if "" in found else None


def counts_of(facets, queryset):
    """{facet param: facet.counts(queryset)} for those of `facets` its type keeps, from the kept
    values of the records of `queryset`, whose keys have been read (its `search_keys`: a
    search's candidates, or a filtered set read by its keys): one query for every facet."""
    keys, label = getattr(queryset, "search_keys", None), queryset.model._meta.label_lower
    facets = own(facets, label)
    if keys is None or not facets:
        return {}
    subquery, table = key_set(keys, queryset.db), RecordValues._meta.db_table
    if connections[queryset.db].vendor == "postgresql":
        values = 'jsonb_array_elements_text(r."values") AS v(value)'
    else:
        values = 'json_each(r."values") AS v'
    # With the type's marker row, as the pair "": whether its counts are kept at all.
    sql = (
        f"SELECT v.value, COUNT(*) FROM {table} r, {values} WHERE r.record_type = %s "
        f"AND r.record_id IN ({subquery.sql}) GROUP BY v.value UNION ALL "
        f"SELECT '', 0 FROM {FacetCount._meta.db_table} WHERE record_type = %s "
        "AND facet = '' AND value = ''"
    )
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, [label, *subquery.params, label])
        rows = cursor.fetchall()
    if ("", 0) not in rows:  # not kept (yet, or stale())
        return {}
    return labelled(facets, [(*split(pair), count) for pair, count in rows if pair])


def split(pair):
    """("facet", "value") of a "facet=value"."""
    facet, _, value = pair.partition("=")
    return facet, value


def labelled(facets, rows):
    """{facet param: [(value, label, count)]} as facet.counts() gives them, in its order, from
    (facet param, value, count) rows."""
    found = defaultdict(dict)
    for param, value, count in rows:
        found[param][value] = count
    counted = {}
    for facet in facets:
        counts = found[facet.param]
        labels = facet.known_values(list(counts)) if counts else {}
        counted[facet.param] = facet.ordered(
            [(value, labels[value], n) for value, n in counts.items() if value in labels]
        )
    return counted


def whole(queryset, label):
    """Whether `queryset` holds exactly the published records of type `label`."""
    if searched(queryset):
        return False
    try:
        return keys_sql(queryset) == keys_sql(record_type(label).published())
    except EmptyResultSet:
        return False


def keys_sql(queryset):
    return str(queryset.order_by().values("pk").query)


def values_of(label, queryset):
    """{key: {"facet=value", ...}} of the records of `queryset` (of type `label`)."""
    found = defaultdict(set)
    for facet in counted_facets(label):
        for pk, value in facet.record_values(queryset):
            found[pk].add(f"{facet.param}={value}")
    return found


def recount_all(labels=None):
    """Read every published record's values and count them afresh; mark the counts kept."""
    for label in kept_types():
        if labels is not None and label not in labels:
            continue
        with transaction.atomic():
            FacetCount.objects.get_or_create(record_type=label, **MARK, defaults={"count": 0})
            locked(label)
            FacetCount.objects.filter(record_type=label).exclude(**MARK).delete()
            RecordValues.objects.filter(record_type=label).delete()
            values = values_of(label, record_type(label).published())
            RecordValues.objects.bulk_create(
                [  # in the order of their keys, in which lists read them
                    RecordValues(record_type=label, record_id=pk, values=sorted(v))
                    for pk, v in sorted(values.items())
                ],
                batch_size=2000,
            )
            counts = Counter(pair for found in values.values() for pair in found)
            rows = []
            for pair, count in counts.items():
                facet, value = split(pair)
                rows.append(FacetCount(record_type=label, facet=facet, value=value, count=count))
            FacetCount.objects.bulk_create(rows)


def stale(labels):
    """The kept counts of `labels` no longer say what the records give: lists count afresh."""
    FacetCount.objects.filter(record_type__in=labels, **MARK).delete()


def is_kept(label, using="default"):
    return FacetCount.objects.using(using).filter(record_type=label, **MARK).exists()


def locked(label):
    """Whether type `label` keeps its counts; if so they are locked until the transaction ends,
    so that two writers count one after the other, each seeing what the other wrote."""
    return bool(list(FacetCount.objects.select_for_update().filter(record_type=label, **MARK)))


def touched():
    if not hasattr(_touched, "records"):
        _touched.records = defaultdict(set)
    return _touched.records


def refresh_touched():
    """Read again the values of the records the writes so far touched, and count again each
    value that moved."""
    found, _touched.records = touched(), defaultdict(set)
    for label, keys in found.items():
        refresh(label, keys - {None})


def refresh(label, keys):
    if not keys:
        return
    with transaction.atomic():
        if not locked(label):
            return
        now = values_of(label, record_type(label).published().filter(pk__in=key_set(list(keys))))
        rows = RecordValues.objects.filter(record_type=label, record_id__in=key_set(list(keys)))
        before = dict(rows.values_list("record_id", "values"))
        changed = [key for key in keys if now.get(key, set()) != set(before.get(key, ()))]
        moved = set().union(*(now.get(key, set()) ^ set(before.get(key, ())) for key in changed))
        recount(label, moved)
        rows.filter(record_id__in=changed).delete()
        RecordValues.objects.bulk_create(
            RecordValues(record_type=label, record_id=key, values=sorted(now[key]))
            for key in changed
            if now.get(key)
        )


def recount(label, pairs):
    """Count each "facet=value" of `pairs` again, exactly."""
    facets = {facet.param: facet for facet in counted_facets(label)}
    published = record_type(label).published()
    for param, value in sorted(map(split, pairs)):
        count = facets[param].apply(published, [value]).count()
        rows = FacetCount.objects.filter(record_type=label, facet=param, value=value)
        if not count:
            rows.delete()
        elif not rows.update(count=count):
            FacetCount.objects.create(record_type=label, facet=param, value=value, count=count)


def record_changed(record):
    """For a write that no signal reports: `record`'s values may have moved."""
    touched()[record._meta.label_lower].add(record.pk)
    refresh_touched()


@cache
def roles(model):
    """How writes of `model` move kept counts: {"record": type}, {"links": [(type, facet)]}
    for a facet's link table, {"references": types} for what facet values stand for."""
    label, found = model._meta.label_lower, {}
    for kept in kept_types():
        if record_type(kept).model is model:
            found["record"] = label
        for facet in counted_facets(kept):
            if facet.through is model:
                found.setdefault("links", []).append((kept, facet))
            if model in referenced(record_type(kept).model, facet):
                found.setdefault("references", set()).add(kept)
    return found


def referenced(model, facet):
    """The models whose records a facet's values stand for, or lead to them."""
    found = {facet.related} if facet.related is not None else set()
    for name in facet.path.split("__") if facet.path else ():
        model = model._meta.get_field(name).related_model
        found.add(model)
    return found


def record_of(instance):
    """(type, key) of the record that keeps counts which `instance` is a row of (a tag link, an
    assessment), else None."""
    declared = record_type(instance._meta.label_lower)
    if declared is None or not declared.parent:
        return None
    field = instance._meta.get_field(declared.parent)
    label = field.related_model._meta.label_lower
    return (label, getattr(instance, field.attname)) if label in kept_types() else None


def touch(instance, found, before=False):
    """Mark the records whose values a write of `instance` may move (`before`: as they were)."""
    if "record" in found and getattr(instance, "_counts_moved", True):
        touched()[found["record"]].add(instance.pk)
    for label, facet in found.get("links", ()):
        row = instance
        if before:
            row = facet.through._base_manager.filter(pk=instance.pk).first()
        touched()[label].add(row and getattr(row, f"{facet.owner}_id"))
    part = record_of(instance)
    if part is not None:
        if before:
            row = type(instance)._base_manager.filter(pk=instance.pk).first()
            part = row and record_of(row)
        if part is not None:
            touched()[part[0]].add(part[1])


def counted_before(instance):
    """What the record as stored counts by (None if it is not stored yet)."""
    model = type(instance)
    return model._base_manager.filter(pk=instance.pk).values(*counted_fields(model)).first()


def signature(instance):
    """What a record a facet value stands for counts by: its links and its unique keys."""
    model = type(instance)
    names = counted_fields(model) + [f.attname for f in model._meta.concrete_fields if f.unique]
    return {name: getattr(instance, name) for name in names}


def before_write(sender, instance, raw=False, **kwargs):
    found = roles(sender)
    deleting = kwargs["signal"] is pre_delete
    if "record" in found and not deleting:
        # Its values move only with its links, choices and status (and its rows', below).
        instance._counts_moved = (
            raw or instance.pk is None or counted_before(instance) != counted(instance)
        )
    if raw or instance.pk is None:
        return
    if found or record_of(instance):
        # A row moved to another record leaves the one it was in; a delete (of a record and
        # its rows at once, of a tag and its links) is counted once, after the last row goes.
        touch(instance, found, before=not deleting)
    if "references" in found and not deleting:
        row = sender._base_manager.filter(pk=instance.pk).first()
        instance._counts_afresh = row is not None and signature(row) != signature(instance)


def after_write(sender, instance, raw=False, **kwargs):
    found = roles(sender)
    if raw:
        if found or record_of(instance):
            stale({found.get("record"), *found.get("references", ())} - {None} or kept_types())
        return
    deleted = kwargs["signal"] is post_delete
    if not deleted and (found or record_of(instance)):
        touch(instance, found)
    elif deleted and "record" in found:  # its rows went first, and counted it as it then was
        touched()[found["record"]].add(instance.pk)
    refresh_touched()
    if "references" in found and (deleted or getattr(instance, "_counts_afresh", False)):
        recount_all({label for label in found["references"] if is_kept(label)})


def links_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Links added to or removed from a record through its many-to-many field, from either end
    (`.add()`, `.remove()`, `.set()`, `.clear()`)."""
    for label, facet in roles(sender).get("links", ()):
        if not reverse:
            touched()[label].add(instance.pk)
        elif pk_set:
            touched()[label].update(pk_set)
        elif action == "pre_clear":
            rows = sender._base_manager.filter(**{facet.target: instance.pk})
            touched()[label].update(rows.values_list(f"{facet.owner}_id", flat=True))
    if action.startswith("post_"):
        refresh_touched()


pre_save.connect(before_write, dispatch_uid="atlas_counts_before_save")
pre_delete.connect(before_write, dispatch_uid="atlas_counts_before_delete")
post_save.connect(after_write, dispatch_uid="atlas_counts_after_save")
post_delete.connect(after_write, dispatch_uid="atlas_counts_after_delete")
m2m_changed.connect(links_changed, dispatch_uid="atlas_counts_links")
