"""First versions for records written in bulk (seed content, imports, synthetic records,
databases from before history was kept), so that History shows the state they started in and
their first change can be reverted.

The rows are those django-reversion writes (see reversion.revisions._add_to_revision): one
revision per record, holding a version of the record and of each record kept with it.
"""

import json
from collections import defaultdict

from django.apps import apps as global_apps
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.python import Serializer as PythonSerializer
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.fields.related_descriptors import (
    ForwardManyToOneDescriptor,
    ReverseManyToOneDescriptor,
)
from django.utils import timezone
from django.utils.encoding import force_str
from reversion.revisions import _get_options, get_registered_models, is_registered

# What a version of each record keeps with it, as the content apps register it with reversion
# (their follow=): (model, its field that points at the record). A tagging keeps its tag too.
KEPT_WITH = {
    "practices.practice": [
        ("practices.taggedpractice", "content_object"),
        ("movements.movement_practices", "practice"),
        ("guidance.principle_practices", "practice"),
    ],
    "movements.movement": [
        ("movements.taggedmovement", "content_object"),
        ("movements.figure", "movement"),
        ("guidance.principle_movements", "movement"),
    ],
    "guidance.principle": [("guidance.taggedprinciple", "content_object")],
}
# The records that get a revision of their own, in an order that keeps links valid.
ROOTS = [
    "practices.organisation",
    "practices.theme",
    "practices.approach",
    "practices.practice",
    "movements.movement",
    "guidance.principle",
]


def followed_models():
    """Registered models whose records are kept in other records' versions (taggings and
    figures with their record, tags with their taggings), so get no revision of their own."""
    followed = set()
    for model in get_registered_models():
        for name in _get_options(model).follow:
            descriptor = getattr(model, name, None)
            if isinstance(descriptor, ReverseManyToOneDescriptor):
                followed.add(descriptor.rel.related_model)
            elif isinstance(descriptor, ForwardManyToOneDescriptor):
                followed.add(descriptor.field.related_model)
    return followed


def history_roots(records):
    """Of `records`, those that get a revision of their own."""
    followed = followed_models()
    return [r for r in records if is_registered(type(r)) and type(r) not in followed]


def write_initial_versions(
    groups, *, comment, date_created=None, using=DEFAULT_DB_ALIAS, apps=None
):
    """Save one revision for each group of saved records, [record, *records kept with it], in
    two bulk inserts; the models may be a migration's (then pass its `apps`). The versions are
    those reversion would write for the records as they are in the database: with any
    many-to-many values in `_prefetched_objects_cache`, serializing them reads nothing.
    Returns the number of versions."""
    apps = apps or global_apps
    Revision = apps.get_model("reversion", "Revision")
    Version = apps.get_model("reversion", "Version")
    ContentType = apps.get_model("contenttypes", "ContentType")
    when = date_created or timezone.now()
    revisions = Revision.objects.using(using).bulk_create(
        [Revision(comment=comment, date_created=when) for _group in groups], batch_size=2000
    )
    content_types = {}
    rows = []
    data = serialized_data(record for group in groups for record in group)
    for revision, group in zip(revisions, groups, strict=True):
        for record in group:
            model = global_apps.get_model(record._meta.label)  # a migration's model's options
            options = _get_options(model)
            if model not in content_types:
                content_types[model] = ContentType.objects.db_manager(using).get_for_model(model)
            rows.append(
                (
                    revision.pk,
                    content_types[model].pk,
                    force_str(getattr(record, options.object_id_field)),
                    using,
                    options.format,
                    data[id(record)],
                    force_str(as_registered(record, model)),
                )
            )
    # Plain rows, not Version instances through bulk_create: half the time at this count.
    meta = Version._meta
    names = ["revision", "content_type", "object_id", "db", "format", "serialized_data"]
    columns = [meta.get_field(name).column for name in [*names, "object_repr"]]
    quote = connections[using].ops.quote_name
    with connections[using].cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(map(quote, columns))}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})",
            rows,
        )
    return len(rows)


class PrefetchedLinksSerializer(PythonSerializer):
    """Django's serializer, but many-to-many values found in the prefetch cache cost no
    queryset: Django's builds one for every record and value even then, which is most of the
    time for records in bulk."""

    def handle_m2m_field(self, obj, field):
        prefetched = getattr(obj, "_prefetched_objects_cache", {})
        if self.use_natural_foreign_keys or field.name not in prefetched:
            return super().handle_m2m_field(obj, field)
        if field.remote_field.through._meta.auto_created:
            self._current[field.name] = [
                self._value_from_field(value, value._meta.pk) for value in prefetched[field.name]
            ]


def serialized_data(records):
    """{id(record): what reversion stores for it (see _add_to_revision)}, serializing each
    model's records in one pass rather than one serializer a record."""
    by_model = defaultdict(list)
    for record in records:
        by_model[type(record)].append(record)
    data = {}
    for model, some in by_model.items():
        options = _get_options(global_apps.get_model(model._meta.label))
        if options.format != "json":
            for record in some:
                data[id(record)] = serializers.serialize(
                    options.format,
                    (record,),
                    fields=options.fields,
                    use_natural_foreign_keys=options.use_natural_foreign_keys,
                )
            continue
        dumps = PrefetchedLinksSerializer().serialize(
            some, fields=options.fields, use_natural_foreign_keys=options.use_natural_foreign_keys
        )
        for record, dump in zip(some, dumps, strict=True):
            # As Django's JSON serializer writes a list of one record.
            data[id(record)] = f"[{json.dumps(dump, cls=DjangoJSONEncoder, ensure_ascii=False)}]"
    return data


def as_registered(record, model):
    """`record` as an instance of `model`, whose __str__ a migration's model lacks."""
    if type(record) is model:
        return record
    loaded = record.__dict__
    fields = model._meta.concrete_fields
    return model(**{f.attname: loaded[f.attname] for f in fields if f.attname in loaded})


def version_groups(model, pks, *, apps=None):
    """[record, *records kept with it] for the records of `model` (a migration's will do) with
    these primary keys, read in a few queries, as write_initial_versions takes them."""
    apps = apps or global_apps
    options = _get_options(global_apps.get_model(model._meta.label))
    # Serialized are the links with a table of Django's own; not tags, which are followed.
    m2m = [
        f.name
        for f in model._meta.many_to_many
        if f.name in options.fields and f.remote_field.through._meta.auto_created
    ]
    unversioned = [
        f.name
        for f in model._meta.concrete_fields
        if f.name not in options.fields and not f.primary_key
    ]
    records = model._base_manager.filter(pk__in=pks).defer(*unversioned).prefetch_related(*m2m)
    groups = {record.pk: [record] for record in records.order_by("pk")}
    for label, owner in KEPT_WITH.get(model._meta.label_lower, []):
        related = apps.get_model(label)
        rows = related._base_manager.filter(**{f"{owner}__in": pks}).order_by("pk")
        tagging = any(field.name == "tag" for field in related._meta.concrete_fields)
        for row in rows.select_related("tag") if tagging else rows:
            group = groups[getattr(row, f"{owner}_id")]
            setattr(row, owner, group[0])  # so that its __str__ reads nothing
            group += [row, row.tag] if tagging else [row]
    return list(groups.values())
