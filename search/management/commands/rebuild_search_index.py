"""Rebuild search documents, index and SearchWord: after bulk loads, glossary edits, restores."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from core.cache import content_changed
from search.documents import SPECS, Glossary, ensure_indexes, rebuild_vocabulary, refresh_records


class Command(BaseCommand):
    help = "Rebuild the search documents and index of practices, movements and guidance."

    def handle(self, *args, **options):
        glossary = Glossary.load()
        with transaction.atomic():
            ensure_indexes(rebuild=True)  # First: SQLite's triggers need the index whole.
            for label in sorted(SPECS):
                model = apps.get_model(label)
                pks = model._base_manager.order_by().values_list("pk", flat=True)
                count = refresh_records(model, pks, glossary=glossary)
                self.stdout.write(f"{label}: {count} rebuilt")
            rebuild_vocabulary()  # Afresh from the rebuilt documents: unused words go.
        content_changed()  # Cached search pages and counts were computed on the old index.
        self.stdout.write(self.style.SUCCESS("Search index rebuilt."))
