"""Takedowns that stay down: the tombstone a deleted or withdrawn record leaves, and what the
commands that write records in bulk (load_content, import_kb) read from it."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.utils import timezone

from .models import SeedRecord, Tombstone, key_text


@transaction.atomic
def record_takedown(record, *, user, reason="", withdrawn=False):
    """Leave a tombstone for `record`: call it just before deleting it (it must still be in the
    database) or once it is withdrawn. A later takedown of the same record replaces the earlier
    one. Returns the Tombstone."""
    content_type = ContentType.objects.get_for_model(record)
    object_id = str(record.pk)
    seed_key = (
        SeedRecord.objects.filter(content_type=content_type, object_id=object_id)
        .values_list("key", flat=True)
        .first()
    )
    tombstone, _created = Tombstone.objects.update_or_create(
        content_type=content_type,
        object_id=object_id,
        defaults={
            "natural_key": key_text(record.natural_key()),
            "seed_key": seed_key or "",
            "object_repr": str(record)[:300],
            "kind": Tombstone.Kind.WITHDRAWN if withdrawn else Tombstone.Kind.DELETED,
            "reason": reason,
            "taken_down_by": user if user is not None and user.is_authenticated else None,
            "taken_down_at": timezone.now(),
        },
    )
    return tombstone


def lift_takedown(record):
    """Forget the takedown of `record`, which a publisher has published or restored again."""
    Tombstone.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=str(record.pk)
    ).delete()


class Takedowns:
    """Every tombstone, read once, for a command that checks many records against them."""

    def __init__(self):
        self.by_key = {}
        self.by_record = {}
        for tombstone in Tombstone.objects.all():
            for key in {tombstone.natural_key, tombstone.seed_key} - {""}:
                self.by_key[tombstone.content_type_id, key] = tombstone
            self.by_record[tombstone.content_type_id, tombstone.object_id] = tombstone

    def __bool__(self):
        return bool(self.by_record)

    def of_key(self, model, natural_key):
        """The tombstone left by a record of `model` that was named `natural_key`, or None."""
        content_type = ContentType.objects.get_for_model(model)
        return self.by_key.get((content_type.pk, key_text(natural_key)))

    def of_record(self, record):
        content_type = ContentType.objects.get_for_model(record)
        return self.by_record.get((content_type.pk, str(record.pk)))


def without_references_to(model, fields, gone):
    """`fields` of a serialized `model` record (natural keys for links) without its links to
    records that are `gone` ({(model, natural key as a tuple)}); None if it belongs to one of
    them, through a foreign key. Values it cannot read are left for the deserializer to report."""
    kept = dict(fields)
    for name, value in fields.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not field.is_relation or value is None:
            continue
        related = field.related_model
        if field.many_to_many and isinstance(value, list):
            kept[name] = [v for v in value if not is_gone(related, v, gone)]
        elif not field.many_to_many and is_gone(related, value, gone):
            return None
    return kept


def is_gone(model, value, gone):
    try:
        return (model, as_key(value)) in gone
    except TypeError:  # not a key at all
        return False


def as_key(value):
    """A serialized reference as a hashable natural key: (slug,) for ["slug"], (pk,) for pk."""
    return tuple(value) if isinstance(value, list) else (value,)
