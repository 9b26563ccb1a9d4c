"""How a record of the seed content (fixtures/) is named: its natural key, read from the
fixture's fields, and found in the database by it.

Shared by load_content and the migration that maps existing databases' seed records, so both
take a model class (a migration's historical one will do) and read only its fields.
"""

import json
from pathlib import Path

from django.conf import settings

from core.records import fixture_files

TAGGED = [("content_object", "content_object__slug"), ("tag", "tag__name")]
# (fixture field, lookup) pairs that make a record's natural key, in natural_key() order; a
# model not listed is named by its slug.
NATURAL_KEYS = {
    "taggit.tag": [("name", "name")],
    "movements.figure": [("movement", "movement__slug"), ("measure", "measure")],
    "evidence.assessment": [("practice", "practice__slug"), ("outcome", "outcome__slug")],
    "practices.partner": [
        ("practice", "practice__slug"),
        ("organisation", "organisation__slug"),
        ("role", "role"),
    ],
    "practices.practicelink": [("practice", "practice__slug"), ("url", "url")],
    "practices.taggedpractice": TAGGED,
    "movements.taggedmovement": TAGGED,
    "guidance.taggedprinciple": TAGGED,
}
BY_SLUG = [("slug", "slug")]


def fixture_key(label, fields):
    """The natural key of a fixture record, e.g. ("women-lead", "land") for a tagging."""
    key = []
    for name, _lookup in NATURAL_KEYS.get(label, BY_SLUG):
        value = fields[name]
        key.extend(value if isinstance(value, list) else [value])
    return tuple(key)


def find_by_key(model, fields):
    """The record of `model` the fixture record `fields` names, or None: by natural key, else
    by any other unique field the fixture gives (a renamed tag keeps its slug)."""
    label = model._meta.label_lower
    lookups = [name for _field, name in NATURAL_KEYS.get(label, BY_SLUG)]
    manager = model._base_manager
    found = manager.filter(**dict(zip(lookups, fixture_key(label, fields), strict=True))).first()
    if found is not None:
        return found
    for field in model._meta.concrete_fields:
        value = fields.get(field.name)
        if field.unique and not field.primary_key and value not in (None, "", []):
            found = manager.filter(**{field.name: value}).first()
            if found is not None:
                return found
    return None


def fixture_records():
    """Every record of the seed content, in load order."""
    for name in fixture_files():
        path = Path(settings.BASE_DIR) / "fixtures" / name
        yield from json.loads(path.read_text(encoding="utf-8"))
