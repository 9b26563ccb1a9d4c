"""Write the whole knowledge base to one JSON file that import_kb can load anywhere."""

from pathlib import Path

from django.core.management.base import BaseCommand

from atlas.management.knowledge_base import export_json


class Command(BaseCommand):
    help = (
        "Write every record of the knowledge base (sources, organisations, themes, approaches, "
        "practices, movements and figures, the guidance note, tags, links and statuses) to FILE "
        "as JSON with natural keys. Use - for standard output."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the JSON; - for standard output.")

    def handle(self, *args, file, **options):
        text = export_json()
        if file == "-":
            self.stdout.write(text, ending="")
            return
        Path(file).write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Knowledge base written to {file}."))
