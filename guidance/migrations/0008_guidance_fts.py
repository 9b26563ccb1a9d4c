"""On SQLite, FTS5 indexes for principles, findings and definitions and the triggers that keep
them in step, filled from the existing rows; nothing on PostgreSQL, which has search vectors."""

from django.db import migrations

from search.sqlite import fts_operation


class Migration(migrations.Migration):
    dependencies = [("guidance", "0007_search_lexemes")]

    operations = [
        fts_operation(
            "guidance_principle",
            ["title", "short_title", "search_names", "explanation", "short_text"],
        ),
        fts_operation("guidance_finding", ["search_names", "text"]),
        fts_operation("guidance_definition", ["term", "search_names", "text", "attribution"]),
    ]
