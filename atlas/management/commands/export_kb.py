"""Write the whole knowledge base to one JSON file that import_kb can load anywhere."""

from pathlib import Path

from atlas.management.knowledge_base import FileCommand, export_json


class Command(FileCommand):
    help = (
        "Write every record of the knowledge base (sources, organisations, themes, approaches, "
        "practices, movements and figures, the guidance note, tags, links and statuses) to FILE "
        "as JSON with natural keys. Use - for standard output."
    )
    file_help = "Where to write the JSON; - for standard output."

    def handle(self, *args, file, **options):
        text = export_json()
        if file == "-":
            self.stdout.write(text, ending="")
            return
        Path(file).write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Knowledge base written to {file}."))
