"""Fill the database with synthetic practices and movements, for benchmarks at scale.

Records are reproducible from --seed and written in batches, all in one transaction
(bench/corpus.py draws them, bench/bulk.py writes them); `--clear` removes exactly them
(bench/purge.py). Run it with DJANGO_SETTINGS_MODULE=bench.settings: production does not
install this app.
"""

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import ProtectedError, RestrictedError

from bench.bulk import Pipeline
from bench.corpus import ORGANISATIONS, SOURCE, SYNTHETIC_PREFIX, TAGS, Corpus, read_existing
from bench.purge import purge_synthetic, synthetic_exist, synthetic_records
from core.counts import recount_all
from movements.models import Movement
from practices.models import Practice
from search.documents import rebuild_vocabulary


class Command(BaseCommand):
    help = (
        "Create reproducible synthetic practices and movements (with organisations, tags, "
        "links and evidence assessments) in bulk for benchmarks, or remove them with --clear."
    )

    def add_arguments(self, parser):
        parser.add_argument("--practices", type=int, help="Practices to create (default 1000).")
        parser.add_argument("--movements", type=int, help="Movements to create (default 100).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--clear",
            action="store_true",
            help="Remove the synthetic records first; alone, only remove them.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be done; change nothing."
        )

    def handle(self, *args, practices=None, movements=None, seed=1, clear=False, **options):
        dry_run = options["dry_run"]
        create = not clear or practices is not None or movements is not None
        n_practices = 1000 if practices is None else practices
        n_movements = 100 if movements is None else movements
        if n_practices < 0 or n_movements < 0:
            raise CommandError("Counts cannot be negative.")
        if clear:
            self.clear(dry_run)
        if not create:
            return
        if not clear and synthetic_exist():
            raise CommandError("Synthetic records exist already: add --clear to replace them.")
        if dry_run:
            self.stdout.write(
                f"Would create {n_practices} practices and {n_movements} movements with seed "
                f"{seed}, {ORGANISATIONS} organisations and {TAGS} tags (slugs "
                f"'{SYNTHETIC_PREFIX}…'), citing the source document '{SOURCE['slug']}', with "
                "their countries, regions, tags, organisations, links to movements and "
                "principles, their search documents, and outcomes, studies and evidence "
                "assessments."
            )
            self.stdout.write(self.style.WARNING("Dry run: nothing was changed."))
            return
        self.create(n_practices, n_movements, seed)

    def create(self, n_practices, n_movements, seed):
        started = time.monotonic()
        existing = read_existing()
        with Pipeline(self.stdout.write, gin=(Practice, Movement)) as pipeline:
            Corpus(random.Random(seed), existing, pipeline).seed(n_practices, n_movements)
        with transaction.atomic():
            rebuild_vocabulary()
        self.stdout.write(f"  Search vocabulary rebuilt at {time.monotonic() - started:.1f} s")
        recount_all()  # the bulk rows passed no signal: the lists' kept counts, afresh
        self.stdout.write(f"  Facet counts kept at {time.monotonic() - started:.1f} s")
        # Fresh statistics for the planner: without them it takes the tables for as small as
        # before the load and picks plans (nested loops) that run for minutes. Inside a
        # transaction (tests) ANALYZE sees the transaction's own rows.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"  Statistics refreshed at {time.monotonic() - started:.1f} s")
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {n_practices} synthetic practices and {n_movements} movements in "
                f"{time.monotonic() - started:.1f} s."
            )
        )

    def clear(self, dry_run):
        if dry_run:
            for model, queryset in synthetic_records().items():
                self.stdout.write(f"Would remove {queryset.count()} {model._meta.label} records.")
            return
        try:
            counts = purge_synthetic()
        except (ProtectedError, RestrictedError) as error:
            raise CommandError(
                f"Records that are not synthetic point at synthetic ones ({error.args[0]}); "
                "nothing was removed."
            ) from error
        removed = ", ".join(f"{n} {label}" for label, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Removed {removed or 'nothing'}."))
