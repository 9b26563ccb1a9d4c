"""Rebuild search documents, index and SearchWord: after bulk loads, glossary edits, restores."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from core.cache import content_changed
from search import sqlite
from search.documents import SPECS, Glossary, rebuild_vocabulary, refresh_records


class Command(BaseCommand):
    help = "Rebuild the search documents and index of practices, movements and guidance."

    def add_arguments(self, parser):
        add = parser.add_argument
        add("--model", action="append", choices=sorted(SPECS), help="Only this model (repeatable).")
        add("--batch-size", type=int, default=1000, help="Records per batch (default 1000).")
        add("--dry-run", action="store_true", help="Count what would be rebuilt; change nothing.")

    def handle(self, *args, model=None, batch_size=1000, dry_run=False, **options):
        glossary = Glossary.load()
        with transaction.atomic():
            for label in model or sorted(SPECS):
                searched = apps.get_model(label)
                records = searched._base_manager.all()
                if dry_run:
                    self.stdout.write(f"{label}: {records.count()} to rebuild")
                    continue
                # The index first: SQLite's triggers update it, which needs it whole.
                sqlite.index(searched, SPECS[label], records.db)
                pks = records.order_by().values_list("pk", flat=True)
                count = refresh_records(searched, pks, batch_size=batch_size, glossary=glossary)
                self.stdout.write(f"{label}: {count} rebuilt")
            if not (model or dry_run):
                rebuild_vocabulary()  # Afresh from the rebuilt documents: unused words go.
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was changed."))
        else:
            content_changed()  # Cached search pages and counts were computed on the old index.
            self.stdout.write(self.style.SUCCESS("Search index rebuilt."))
