"""Load the knowledge base's seed content from fixtures/, adding only what is missing.

A fixture record is known by the natural key it has in the file (a slug, a tag name, a slug and
tag name for a tagging). The first load remembers which record each one became (SeedRecord), so
a curator may rename it, and a record a curator deleted (or that left a tombstone) is never
re-created. Links in the fixtures to a renamed record go to it under its new name.
"""

import json
from collections import defaultdict
from pathlib import Path

import reversion
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers

from core.commands import DryRunCommand
from core.counts import recount_all
from core.records import fixture_files
from curation.history import history_roots
from curation.models import SeedRecord, key_text
from curation.seeds import find_by_key, fixture_key
from curation.takedowns import Takedowns, as_key, without_references_to

ADDED, KEPT, GONE = "added", "kept", "gone"


class SeedLoader:
    """Adds the fixture records that are missing, remembering which record each one became."""

    def __init__(self):
        self.seeds = {}  # (model, key) -> primary key (a string) of the record it became
        by_model = defaultdict(dict)
        for seed in SeedRecord.objects.select_related("content_type"):
            model = seed.content_type.model_class()
            if model is not None:
                key = tuple(json.loads(seed.key))
                self.seeds[model, key] = by_model[model][key] = seed.object_id
        # Seed records curators deleted, and records left out because one they belong to was.
        self.gone = set()
        for model, keys in by_model.items():
            present = set(
                map(
                    str,
                    model._base_manager.filter(pk__in=keys.values()).values_list("pk", flat=True),
                )
            )
            self.gone.update((model, key) for key, pk in keys.items() if pk not in present)
        self.takedowns = Takedowns()
        self.current_keys = {}
        self.added = []

    def load(self, record):
        """Add one fixture record if it is missing; returns ADDED, KEPT or GONE."""
        model = apps.get_model(record["model"])
        key = fixture_key(model._meta.label_lower, record["fields"])
        if (model, key) in self.gone:
            return GONE
        if (model, key) in self.seeds:
            return KEPT
        fields = without_references_to(
            model, self.current_names(model, record["fields"]), self.gone
        )
        existing = None if fields is None else find_by_key(model, fields)
        if existing is None and (fields is None or self.takedowns.of_key(model, key)):
            self.gone.add((model, key))
            return GONE
        outcome = KEPT
        if existing is None:
            (item,) = serializers.deserialize(
                "python", [{"model": record["model"], "fields": fields}], ignorenonexistent=False
            )
            item.object.save()
            for field_name, values in (item.m2m_data or {}).items():
                getattr(item.object, field_name).set(values)
            existing, outcome = item.object, ADDED
            self.added.append(existing)
        SeedRecord.objects.create(
            content_type=ContentType.objects.get_for_model(model),
            key=key_text(key),
            object_id=str(existing.pk),
        )
        self.seeds[model, key] = str(existing.pk)
        return outcome

    def current_names(self, model, fields):
        """`fields` with each link to a seed record naming that record as it is named now."""
        named = dict(fields)
        for name, value in fields.items():
            field = model._meta.get_field(name)
            if not field.is_relation or value is None:
                continue
            if field.many_to_many:
                named[name] = [self.current_name(field.related_model, v) for v in value]
            else:
                named[name] = self.current_name(field.related_model, value)
        return named

    def current_name(self, model, value):
        pk = self.seeds.get((model, as_key(value)))
        if pk is None or (model, as_key(value)) in self.gone:
            return value
        if (model, pk) not in self.current_keys:
            self.current_keys[model, pk] = list(model._base_manager.get(pk=pk).natural_key())
        return self.current_keys[model, pk]

    def record_history(self, comment):
        """A first version of each added record, with its tags, figures and links."""
        for record in history_roots(self.added):
            # As the database gives it back (PostgreSQL's jsonb orders a JSON field's keys),
            # so that the version equals what a later save of the unchanged record writes.
            record.refresh_from_db()
            with reversion.create_revision():
                reversion.set_comment(comment)
                reversion.add_to_revision(record)


def load_fixture_file(path, loader):
    """Save the records of one fixture file that are not in the database yet.

    A record that exists is left exactly as curators left it, so loading again changes
    nothing. Saves go through Model.save() so timestamps and search indexing behave as for any
    other new record. Returns {ADDED: n, KEPT: n, GONE: n}.
    """
    outcomes = {ADDED: 0, KEPT: 0, GONE: 0}
    with path.open(encoding="utf-8") as handle:
        for record in json.load(handle):
            outcomes[loader.load(record)] += 1
    return outcomes


class Command(DryRunCommand):
    help = (
        "Load the seed content in fixtures/ into the database; records already there are kept, "
        "and records curators deleted are not added again."
    )

    dry_run_help = "Report what would be added; change nothing."

    def change(self, **options):
        folder = Path(settings.BASE_DIR) / "fixtures"
        loader = SeedLoader()
        total_added = 0
        for name in fixture_files():
            outcomes = load_fixture_file(folder / name, loader)
            total_added += outcomes[ADDED]
            line = f"{name}: {outcomes[ADDED]} added, {outcomes[KEPT]} already present"
            if outcomes[GONE]:
                line += f", {outcomes[GONE]} taken down by curators and not added again"
            self.stdout.write(line)
        loader.record_history("Loaded from the seed content")
        recount_all()  # the lists' facet counts, kept from now on as records change
        return total_added

    def saved(self, total_added):
        self.stdout.write(self.style.SUCCESS(f"Content loaded: {total_added} records added."))

        # A running server keeps pages under the content version shared between processes:
        # replace it, so that what this command wrote shows on the server's next request.
        if total_added:
            from core.cache import new_version

            new_version()
