"""The whole knowledge base as one JSON file, and back: what export_kb and import_kb run.

Records are written with natural keys (slugs, tag names, country codes), never database ids, so a
file loads into any database; importing updates the records it names and adds the others.
"""

import datetime
import json
import re

import reversion
from django.apps import apps
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.core.management.base import BaseCommand
from django.core.serializers.base import DeserializationError, M2MDeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, transaction
from django.db.models.signals import post_save

from core.counts import recount_all
from core.records import record_type, record_types
from curation.takedowns import Takedowns, without_references_to
from practices.models import DERIVED_FIELDS


# In load order: each model refers only to models above it.
def exported_labels():
    """The record types of the knowledge-base file, in load order."""
    return [declared.label for declared in record_types(exported=True)]


class ExactJSONEncoder(DjangoJSONEncoder):
    """Writes datetimes with all their microseconds (DjangoJSONEncoder keeps milliseconds), so
    an exported, imported and re-exported file is byte-identical."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat(timespec="microseconds")
        return super().default(o)


class KnowledgeBaseError(Exception):
    """A file that cannot be imported; the message names the record and the field."""


def exported_fields(model):
    return [
        field.name
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if not field.primary_key and field.name not in DERIVED_FIELDS
    ]


def export_records():
    """Every record of the knowledge base as serializable dicts, in load order."""
    records = []
    for declared in record_types(exported=True):
        model = declared.model
        queryset = model._base_manager.order_by(*declared.export_order)
        m2m_names = {field.name for field in model._meta.many_to_many}
        for record in serializers.serialize(
            "python",
            queryset,
            fields=exported_fields(model),
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
        ):
            for name in m2m_names & record["fields"].keys():
                record["fields"][name] = sorted(record["fields"][name])
            records.append(record)
    return records


def export_json():
    return json.dumps(export_records(), indent=2, ensure_ascii=False, cls=ExactJSONEncoder) + "\n"


def describe(position, record):
    """How an error message names a record: its place in the file, model and natural key."""
    fields = record.get("fields") if isinstance(record, dict) else None
    fields = fields if isinstance(fields, dict) else {}
    key = fields.get("slug") or fields.get("name") or fields.get("content_object") or ""
    if isinstance(key, list):
        key = "/".join(str(part) for part in key)
    model = record.get("model", "?") if isinstance(record, dict) else "?"
    return f"record {position} ({model}{f' {key!r}' if key else ''})"


def import_json(text, *, dry_run=False, comment="Imported", restore_deleted=False, skipped=None):
    """Load an export into the database in one transaction; returns {model label: count}.

    Existing records (found by natural key) are overwritten; tags and figures of an imported
    record become exactly those in the file. Nothing is saved if any record is invalid, and
    nothing at all with dry_run. Raises KnowledgeBaseError naming the record and the field.

    Takedowns stay down: a record a curator deleted (it left a tombstone) is not re-created,
    with what belongs to it, and a record taken down keeps its status, unless restore_deleted.
    What was left out or kept is appended to the list `skipped`, one sentence a record.
    """
    try:
        records = json.loads(text)
    except ValueError as error:
        raise KnowledgeBaseError(f"The file is not valid JSON: {error}") from error
    if not isinstance(records, list):
        raise KnowledgeBaseError("The file must hold a list of records, as export_kb writes.")
    counts = {}
    skipped = [] if skipped is None else skipped
    with transaction.atomic():
        takedowns = TakedownCheck(restore_deleted, skipped)
        saved = [
            outcome
            for position, record in enumerate(records, 1)
            if (outcome := import_record(position, record, takedowns)) is not None
        ]
        for label, _obj in saved:
            counts[label] = counts.get(label, 0) + 1
        takedowns.lift()
        remove_children_not_in_file(saved)
        refresh_derived_fields(saved)
        recount_all()  # raw saves leave the lists' kept facet counts stale
        record_history(saved, comment)
        if dry_run:
            transaction.set_rollback(True)
    return counts


class TakedownCheck:
    """What an import does with records curators took down (see import_json)."""

    def __init__(self, restore_deleted, skipped):
        self.takedowns = Takedowns()
        self.restore_deleted = restore_deleted
        self.skipped = skipped
        self.gone = set()  # (model, natural key) of records not re-created
        self.lifted = []  # the tombstones of records restored

    def fields(self, model, fields):
        """The record's fields without links to records not re-created; None if it belongs to
        one of them."""
        return without_references_to(model, fields, self.gone) if self.gone else fields

    def tombstone(self, obj, exists):
        if not self.takedowns or not hasattr(obj, "natural_key"):
            return None
        if exists:
            return self.takedowns.of_record(obj)
        return self.takedowns.of_key(type(obj), obj.natural_key())

    def admit(self, name, obj, exists):
        """False if `obj` is not to be saved at all; may set back its status."""
        tombstone = self.tombstone(obj, exists)
        if tombstone is None:
            return True
        if self.restore_deleted:
            self.lifted.append(tombstone)
            return True
        if not exists:
            self.gone.add((type(obj), tuple(obj.natural_key())))
            self.skipped.append(
                f"{name}: not re-created, {tombstone.get_kind_display().lower()} on "
                f"{tombstone.taken_down_at:%Y-%m-%d} ({tombstone.reason or 'no reason given'})."
            )
            return False
        current = type(obj)._base_manager.filter(pk=obj.pk).values("status").first()
        if current and getattr(obj, "status", None) != current["status"]:
            self.skipped.append(
                f"{name}: taken down, so it stays {current['status']}, "
                f"not {obj.status} as in the file."
            )
            obj.status = current["status"]
        return True

    def lift(self):
        """Forget the takedowns of the records restored."""
        for tombstone in self.lifted:
            tombstone.delete()


def import_record(position, record, takedowns):
    """Save one record of the file; returns (label, record), or None if it is left out."""
    name = describe(position, record)
    if not isinstance(record, dict) or not isinstance(record.get("fields"), dict):
        raise KnowledgeBaseError(f"{name}: not a record with a model and fields.")
    label = str(record.get("model", "")).lower()
    if label not in exported_labels():
        raise KnowledgeBaseError(f"{name}: unknown model {record.get('model')!r}.")
    fields = takedowns.fields(apps.get_model(label), record["fields"])
    if fields is None:
        return None  # it belongs to a record not re-created
    try:
        (item,) = serializers.deserialize(
            "python",
            [{**record, "fields": fields}],
            ignorenonexistent=False,
            handle_forward_references=False,
        )
    except FieldDoesNotExist as error:
        raise KnowledgeBaseError(f"{name}: {error}") from error
    except DeserializationError as error:
        message = deserialization_message(error, record["fields"])
        raise KnowledgeBaseError(f"{name}, {message}") from error
    obj = item.object
    exists = obj.pk is not None and type(obj)._base_manager.filter(pk=obj.pk).exists()
    if exists:
        obj._state.adding = False  # found by natural key: an update, not a duplicate
    if not takedowns.admit(name, obj, exists):
        return None
    for field_name, values in (item.m2m_data or {}).items():
        related = type(item.object)._meta.get_field(field_name).related_model
        found = set(related._base_manager.filter(pk__in=values).values_list("pk", flat=True))
        unknown = [value for value in values if value not in found]
        if unknown:
            raise KnowledgeBaseError(
                f"{name}, field {field_name!r}: no {related._meta.verbose_name} "
                f"{', '.join(map(str, unknown))}."
            )
    try:
        item.object.full_clean()
    except ValidationError as error:
        problems = "; ".join(
            f"field {field!r}: {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
        raise KnowledgeBaseError(f"{name}, {problems}".rstrip(".")) from error
    try:
        item.save()
    except DatabaseError as error:
        raise KnowledgeBaseError(f"{name}: the database refused it ({error}).") from error
    return label, item.object


def deserialization_message(error, fields):
    """Django's reason, naming the field whose value the serializer reports."""
    cause = error.__cause__ or error.__context__
    if isinstance(cause, M2MDeserializationError):
        value, cause = cause.pk, cause.original_exc
        field = next((name for name, given in fields.items() if value in as_list(given)), None)
    else:
        reported = re.search(r"field_value was '(.*)'$", str(error), re.DOTALL)
        value = reported.group(1) if reported else None
        field = next((name for name, given in fields.items() if str(given) == value), None)
    where = f"field {field!r}: " if field else ""
    if isinstance(cause, ObjectDoesNotExist):
        return f"{where}refers to a record that does not exist: {value}"
    if isinstance(cause, ValidationError):
        return where + " ".join(cause.messages)
    return where + str(cause or error)


def as_list(value):
    return value if isinstance(value, list) else []


def saved_pks(saved, label):
    return [obj.pk for saved_label, obj in saved if saved_label == label]


def remove_children_not_in_file(saved):
    for declared in record_types(exported=True):
        if not declared.parent:
            continue
        label, parent_field, model = declared.label, declared.parent, declared.model
        parent_label = model._meta.get_field(parent_field).related_model._meta.label_lower
        model._base_manager.filter(
            **{f"{parent_field}__in": saved_pks(saved, parent_label)}
        ).exclude(pk__in=saved_pks(saved, label)).delete()


def refresh_derived_fields(saved):
    """Raw saves keep the file's timestamps but skip the receivers that keep derived data
    (regions, search documents) up to date; notify them now, as an ordinary save would."""
    for _label, obj in saved:
        post_save.send(type(obj), instance=obj, created=False, raw=False, using=obj._state.db)


def record_history(saved, comment):
    """One version per imported record (with its tags, figures and links), each in its own
    revision so that reverting one record never touches the others."""
    for label, obj in saved:
        if (
            record_type(label).parent
            or label == "taggit.tag"
            or not reversion.is_registered(type(obj))
        ):
            continue
        obj.refresh_from_db()  # As the database gives it back (jsonb orders JSON keys).
        with reversion.create_revision():
            reversion.set_comment(comment)
            reversion.add_to_revision(obj)


class FileCommand(BaseCommand):
    """export_kb or import_kb: a command on one knowledge-base file, its argument `file`."""

    file_help = "A JSON file written by export_kb."

    def add_arguments(self, parser):
        parser.add_argument("file", help=self.file_help)
