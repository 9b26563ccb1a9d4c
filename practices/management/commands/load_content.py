"""Load the knowledge base's seed content from fixtures/, adding only what is missing."""

from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand
from django.db import transaction

# Each file may refer only to records in itself or in files before it.
FIXTURE_FILES = ["sources.json", "practices.json", "movements.json", "guidance.json"]


def load_fixture_file(path):
    """Save the records of one fixture file that are not in the database yet.

    Records are matched by natural key; a record that exists is left exactly as curators left
    it, so loading again changes nothing. Saves go through Model.save() so timestamps, history
    and search indexing behave as for any other new record. Returns (added, kept).
    """
    added = kept = 0
    with path.open(encoding="utf-8") as handle:
        for item in serializers.deserialize("json", handle, ignorenonexistent=False):
            if item.object.pk is not None:
                kept += 1
                continue
            item.object.save()
            for field_name, values in (item.m2m_data or {}).items():
                getattr(item.object, field_name).set(values)
            added += 1
    return added, kept


class Command(BaseCommand):
    help = "Load the seed content in fixtures/ into the database; records already there are kept."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be added; change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        folder = Path(settings.BASE_DIR) / "fixtures"
        with transaction.atomic():
            total_added = 0
            for name in FIXTURE_FILES:
                added, kept = load_fixture_file(folder / name)
                total_added += added
                self.stdout.write(f"{name}: {added} added, {kept} already present")
            if dry_run:
                transaction.set_rollback(True)
                self.stdout.write(self.style.WARNING("Dry run: nothing was saved."))
                return
        self.stdout.write(self.style.SUCCESS(f"Content loaded: {total_added} records added."))
