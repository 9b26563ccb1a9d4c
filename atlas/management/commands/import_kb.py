"""Load a file written by export_kb, overwriting the records it names; all or nothing."""

from pathlib import Path

from django.core.management.base import CommandError

from atlas.management.knowledge_base import FileCommand, KnowledgeBaseError, import_json


class Command(FileCommand):
    help = (
        "Load a knowledge-base export into this database in one transaction. Records are matched "
        "by natural key: existing ones are overwritten, others added. A broken record stops the "
        "import with a message naming it, and nothing is changed."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count the records; save nothing."
        )
        parser.add_argument(
            "--restore-deleted",
            action="store_true",
            help=(
                "Re-create records curators deleted and restore the status of records they "
                "withdrew, as the file has them; without it they stay down and are listed."
            ),
        )

    def handle(self, *args, file, dry_run=False, restore_deleted=False, **options):
        path = Path(file)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        skipped = []
        try:
            counts = import_json(
                text,
                dry_run=dry_run,
                comment=f"Imported from {path.name}",
                restore_deleted=restore_deleted,
                skipped=skipped,
            )
        except KnowledgeBaseError as error:
            message = str(error).rstrip(".")
            raise CommandError(f"{file}: {message}. Nothing was imported.") from error
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count}")
        for line in skipped:
            self.stdout.write(self.style.WARNING(f"Taken down: {line}"))
        if skipped:
            self.stdout.write("Run again with --restore-deleted to bring these back.")
        total = sum(counts.values())
        if dry_run:
            self.stdout.write(self.style.WARNING(f"Dry run: {total} records checked, none saved."))
        else:
            self.stdout.write(self.style.SUCCESS(f"{total} records imported."))

        # A running server keeps pages under the content version shared between processes:
        # replace it, so that what this command wrote shows on the server's next request.
        if total and not dry_run:
            from core.cache import new_version

            new_version()
