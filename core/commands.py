"""The base of the management commands that change data: all of it in one transaction, which
--dry-run rolls back once the command has reported what it did."""

from django.core.management.base import BaseCommand
from django.db import transaction


class DryRunCommand(BaseCommand):
    """`change()` makes and reports the changes; `saved(outcome)`, given what `change()` returned,
    follows once they are saved. With --dry-run nothing is saved and `saved()` is not called."""

    dry_run_help = "Report what would change; change nothing."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help=self.dry_run_help)

    def handle(self, *args, dry_run=False, **options):
        with transaction.atomic():
            outcome = self.change(**options)
            if dry_run:
                transaction.set_rollback(True)
                self.stdout.write(self.style.WARNING("Dry run: nothing was saved."))
                return
        self.saved(outcome)

    def change(self, **options):
        raise NotImplementedError

    def saved(self, outcome):
        pass
