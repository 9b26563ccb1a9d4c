"""The history page's field-level changes: each version of a record against the one before it."""

import difflib
import json

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

# Fields whose changes the history page does not list: bookkeeping, not curation.
HISTORY_HIDDEN_FIELDS = {"id", "created_at", "updated_at"}


def version_history(record, related):
    """The versions of `record`, newest first, each with its revision and field-level changes
    against the version before it."""
    versions = list(
        Version.objects.get_for_object(record)
        .select_related("revision__user")
        .order_by("revision__date_created", "pk")
    )
    snapshots = _snapshots(record, versions, related)
    rows = []
    previous = {}
    for version in versions:
        snapshot = snapshots[version.pk]
        changes = [
            _change(label, previous.get(label, ""), value)
            for label, value in snapshot.items()
            if value != previous.get(label, "")
        ]
        rows.append({"version": version, "revision": version.revision, "changes": changes})
        previous = snapshot
    return rows[::-1]


def _snapshots(record, versions, related):
    """{version pk: {field label: display value}} for the versions of one record."""
    model = type(record)
    fields = [
        field
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if field.serialize and field.name not in HISTORY_HIDDEN_FIELDS
    ]
    field_dicts = {version.pk: version.field_dict for version in versions}
    names = {}
    for field in fields:
        if field.is_relation:
            ids = set()
            for values in field_dicts.values():
                value = values.get(field.attname)
                ids.update((value or []) if field.many_to_many else [value] if value else [])
            names[field.name] = field.related_model._base_manager.in_bulk(ids)

    def display(field, value):
        if field.many_to_many:
            return ", ".join(sorted(str(names[field.name].get(pk, pk)) for pk in value or []))
        if field.is_relation:
            return str(names[field.name].get(value, value)) if value else ""
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return str(_("yes") if value else _("no"))
        if isinstance(value, dict | list):  # a JSON field
            return json.dumps(value, ensure_ascii=False) if value else ""
        return "" if value is None else str(value)

    snapshots = {
        version.pk: {
            str(field.verbose_name): display(field, field_dicts[version.pk].get(field.attname))
            for field in fields
            if field.attname in field_dicts[version.pk]
        }
        for version in versions
    }
    revision_ids = {version.revision_id for version in versions}
    for label, link_model, own_field, other_field in related:
        links = Version.objects.get_for_model(link_model).filter(revision_id__in=revision_ids)
        by_revision = {}
        for link in links:
            values = link.field_dict
            if values.get(f"{own_field}_id") != record.pk:
                continue
            key = values.get(f"{other_field}_id") if other_field else link.object_repr
            by_revision.setdefault(link.revision_id, []).append(key)
        if other_field:
            other_model = link_model._meta.get_field(other_field).related_model
            ids = {key for keys in by_revision.values() for key in keys}
            other_names = other_model._base_manager.in_bulk(ids)
            by_revision = {
                revision_id: [str(other_names.get(key, key)) for key in keys]
                for revision_id, keys in by_revision.items()
            }
        for version in versions:
            snapshots[version.pk][str(label)] = ", ".join(
                sorted(by_revision.get(version.revision_id, []))
            )
    return snapshots


def _change(label, old, new):
    """One changed field: long texts as a word diff, short values as "old → new"."""
    if len(old) + len(new) > 120:
        return {"field": label, "diff": _word_diff(old, new)}
    return {"field": label, "old": old, "new": new}


def _word_diff(old, new, context=8):
    """HTML marking removed words with <del> and added ones with <ins>, keeping a few words of
    unchanged text around each change."""
    old_words, new_words = old.split(), new.split()
    opcodes = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False).get_opcodes()
    parts = []
    for position, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = old_words[i1:i2]
            if position == 0 and len(words) > context:
                words = ["…", *words[-context:]]
            elif position == len(opcodes) - 1 and len(words) > context:
                words = [*words[:context], "…"]
            elif len(words) > 2 * context:
                words = [*words[:context], "…", *words[-context:]]
            parts.append(escape(" ".join(words)))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", " ".join(old_words[i1:i2])))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", " ".join(new_words[j1:j2])))
    return mark_safe(" ".join(str(part) for part in parts))
