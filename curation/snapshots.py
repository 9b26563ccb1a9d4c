"""A record's curated state as plain values: read from the database, from a history version, or
applied back to the record.

A snapshot is a flat dict from a part's key ("title", "countries", "tags", "movements", ...) to a
JSON value: field values, the keys of linked records, tag names, and the rows of inline children.
It is what a change awaiting review stores, what the stale-form check compares, and what a revert
writes back. Links and tags are values: applying a snapshot sets which tags and links a record
has; it never renames a tag or rewrites another record.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.forms.models import _get_foreign_key
from taggit.managers import TaggableManager

# Fields curators do not edit (bookkeeping) or that only a publisher sets.
NOT_CURATED = {"created_at", "updated_at", "status"}


def plain(value):
    """`value` as JSON would give it back (dates as text, decimals as strings)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


class FieldPart:
    """A field of the record itself."""

    def __init__(self, field):
        self.field = field
        self.key = field.name
        self.label = str(field.verbose_name)

    def read(self, record):
        return plain(self.field.value_from_object(record))

    def from_version(self, version, revision_versions):
        return plain(version.field_dict.get(self.field.attname))

    def set(self, record, value):
        setattr(record, self.field.attname, self.field.to_python(value))

    def display(self, value):
        field = self.field
        if value in (None, ""):
            return ""
        if field.is_relation:
            found = field.related_model._base_manager.filter(pk=value).first()
            return str(found) if found else str(value)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, dict | list):  # a JSON field
            return json.dumps(value, ensure_ascii=False) if value else ""
        return str(value)


class ManyPart:
    """A many-to-many field of the record: the keys of the records it links to."""

    def __init__(self, field):
        self.field = field
        self.key = field.name
        self.label = str(field.verbose_name)
        self.model = field.related_model

    def read(self, record):
        return sorted(plain(list(getattr(record, self.key).values_list("pk", flat=True))))

    def from_version(self, version, revision_versions):
        return sorted(plain(version.field_dict.get(self.key) or []))

    def apply(self, record, value):
        keys = self.model._base_manager.filter(pk__in=value).values_list("pk", flat=True)
        getattr(record, self.key).set(list(keys))

    def display(self, value):
        names = self.model._base_manager.in_bulk(value or [])
        return ", ".join(sorted(str(names.get(pk, pk)) for pk in value))


class TagPart:
    """The record's tags, by name."""

    def __init__(self, field):
        self.field = field
        self.key = field.name
        self.label = str(field.verbose_name).lower()  # taggit's is "Tags"; ours are lower case
        self.through = field.through

    def read(self, record):
        return sorted(getattr(record, self.key).names())

    def from_version(self, version, revision_versions):
        tag_model = self.through._meta.get_field("tag").related_model
        tag_ids = [
            v.field_dict["tag_id"]
            for v in revision_versions
            if v._model is self.through and v.field_dict.get("content_object_id") == _pk(version)
        ]
        names = {tag.pk: tag.name for tag in tag_model._base_manager.filter(pk__in=tag_ids)}
        # A tag deleted since keeps the name it had then.
        for v in revision_versions:
            if v._model is tag_model and v.field_dict["id"] in tag_ids:
                names.setdefault(v.field_dict["id"], v.field_dict["name"])
        return sorted(names[pk] for pk in tag_ids if pk in names)

    def apply(self, record, value):
        getattr(record, self.key).set(list(value))

    def display(self, value):
        return ", ".join(value or [])


class LinkPart:
    """Links kept in another model's many-to-many table, edited inline on this record's page
    (a practice's movements): [key of the record at the other end, key of the link row]. A link
    row is written back under its own key where that is free, so the inline form's row keys
    stay the same each time a state is applied (PostgreSQL never hands out a key twice)."""

    def __init__(self, parent, through, fk):
        self.through = through
        self.fk = fk
        self.other = next(f for f in through._meta.concrete_fields if f.is_relation and f is not fk)
        self.model = self.other.related_model
        owner = next(f for f in self.model._meta.many_to_many if f.remote_field.through is through)
        self.key = owner.remote_field.get_accessor_name()
        self.label = str(self.model._meta.verbose_name_plural)

    def read(self, record):
        links = self.through._base_manager.filter(**{self.fk.name: record})
        return sorted(plain([list(pair) for pair in links.values_list(self.other.attname, "pk")]))

    def from_version(self, version, revision_versions):
        record_pk = _pk(version)
        return sorted(
            plain(
                [
                    [v.field_dict[self.other.attname], v.field_dict["id"]]
                    for v in revision_versions
                    if v._model is self.through and v.field_dict.get(self.fk.attname) == record_pk
                ]
            )
        )

    def apply(self, record, value):
        wanted = dict(value)
        existing = self.through._base_manager.filter(**{self.fk.name: record})
        existing.exclude(**{f"{self.other.attname}__in": wanted}).delete()
        have = set(existing.values_list(self.other.attname, flat=True))
        found = self.model._base_manager.filter(pk__in=set(wanted) - have)
        for other_pk in found.values_list("pk", flat=True):
            key = wanted[other_pk]
            free = key is not None and not self.through._base_manager.filter(pk=key).exists()
            self.through._base_manager.create(
                **{"pk": key if free else None, self.fk.name: record, self.other.attname: other_pk}
            )

    def display(self, value):
        keys = [other_pk for other_pk, _link in value or []]
        names = self.model._base_manager.in_bulk(keys)
        return ", ".join(sorted(str(names.get(pk, pk)) for pk in keys))


class RowsPart:
    """Records that belong to this one, edited inline on its page (a movement's figures)."""

    def __init__(self, parent, model, fk):
        self.model = model
        self.fk = fk
        self.key = fk.remote_field.get_accessor_name()
        self.label = str(model._meta.verbose_name_plural)
        self.fields = [
            f
            for f in model._meta.concrete_fields
            if f.editable and f is not fk and f.name not in NOT_CURATED
        ]

    def row(self, values):
        return {f.attname: plain(values.get(f.attname)) for f in self.fields}

    def read(self, record):
        rows = self.model._base_manager.filter(**{self.fk.name: record}).order_by("pk")
        return [{"id": row.pk, **self.row(row.__dict__)} for row in rows]

    def from_version(self, version, revision_versions):
        record_pk = _pk(version)
        found = [
            v.field_dict
            for v in revision_versions
            if v._model is self.model and v.field_dict.get(self.fk.attname) == record_pk
        ]
        return [{"id": values["id"], **self.row(values)} for values in sorted(found, key=_id)]

    def apply(self, record, value):
        existing = self.model._base_manager.filter(**{self.fk.name: record}).in_bulk()
        kept = set()
        for values in value:
            row = existing.get(values.get("id"))
            if row is None:
                # Under its own key where that is free, as LinkPart does, for the same reason.
                free = not self.model._base_manager.filter(pk=values.get("id")).exists()
                row = self.model(**{"pk": values.get("id") if free else None, self.fk.name: record})
            for field in self.fields:
                setattr(row, field.attname, field.to_python(values.get(field.attname)))
            row.save()
            kept.add(row.pk)
        self.model._base_manager.filter(pk__in=set(existing) - kept).delete()

    def display(self, value):
        return "; ".join(
            ", ".join(
                f"{field.verbose_name}: {FieldPart(field).display(row.get(field.attname))}"
                for field in self.fields
                if row.get(field.attname) not in (None, "")
            )
            for row in value or []
        )


def _id(values):
    return values["id"]


def _pk(version):
    return version.field_dict.get(version._model._meta.pk.attname)


def record_parts(model, inlines=()):
    """The parts of `model` that curators edit: its editable fields and many-to-many fields,
    its tags, and what the admin's `inlines` (inline classes) edit on its page."""
    parts = []
    for field in model._meta.concrete_fields:
        if field.editable and not field.primary_key and field.name not in NOT_CURATED:
            parts.append(FieldPart(field))
    for field in model._meta.many_to_many:
        if isinstance(field, TaggableManager):
            parts.append(TagPart(field))
        elif field.editable:
            parts.append(ManyPart(field))
    for inline in inlines:
        fk = _get_foreign_key(model, inline.model, fk_name=inline.fk_name)
        if inline.model._meta.auto_created:
            parts.append(LinkPart(model, inline.model, fk))
        else:
            parts.append(RowsPart(model, inline.model, fk))
    return parts


def snapshot(record, parts):
    return {part.key: part.read(record) for part in parts}


def version_snapshot(version, parts):
    """The snapshot a history version holds, with the links and children of its revision."""
    revision_versions = list(version.revision.version_set.all())
    return {part.key: part.from_version(version, revision_versions) for part in parts}


def apply(record, values, parts):
    """Write `values` (a snapshot or part of one) to `record` and save it with its links."""
    for part in parts:
        if part.key in values and isinstance(part, FieldPart):
            part.set(record, values[part.key])
    record.save()
    for part in parts:
        if part.key in values and not isinstance(part, FieldPart):
            part.apply(record, values[part.key])


def differences(old, new, parts):
    """[(label, old text, new text)] for each part whose value differs between two snapshots."""
    return [
        (part.label, part.display(old.get(part.key)), part.display(new.get(part.key)))
        for part in parts
        if part.key in new and old.get(part.key) != new.get(part.key)
    ]
