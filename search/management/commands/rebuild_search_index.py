"""Rebuild search documents, index and SearchWord: after bulk loads, glossary edits, restores."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from core.cache import content_changed
from search import sqlite
from search.documents import SPECS, Glossary, rebuild_vocabulary, refresh_records


class Command(BaseCommand):
    help = "Rebuild the search documents and index of practices, movements and guidance."

    def handle(self, *args, **options):
        glossary = Glossary.load()
        with transaction.atomic():
            for label, spec in sorted(SPECS.items()):
                records = apps.get_model(label)._base_manager.all()
                # The index first: SQLite's triggers update it, which needs it whole.
                sqlite.index(records.model, spec, records.db)
                pks = records.order_by().values_list("pk", flat=True)
                count = refresh_records(records.model, pks, glossary=glossary)
                self.stdout.write(f"{label}: {count} rebuilt")
            rebuild_vocabulary()  # Afresh from the rebuilt documents: unused words go.
        content_changed()  # Cached search pages and counts were computed on the old index.
        self.stdout.write(self.style.SUCCESS("Search index rebuilt."))
