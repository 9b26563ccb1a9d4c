"""Add the guidance records' lexemes (on PostgreSQL) and the words of published principles'
titles and of definitions' terms (all public) to practices.SearchLexeme and practices.SearchWord."""

import re

from django.db import migrations

WORD = re.compile(r"[^\W_]+")
TABLES = ["guidance_principle", "guidance_finding", "guidance_definition"]


def fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(
                "INSERT INTO practices_searchlexeme (lexeme) "
                f"SELECT DISTINCT unnest(tsvector_to_array(search_vector)) FROM {table} "
                "ON CONFLICT DO NOTHING"
            )
    names = [
        *apps.get_model("guidance", "Principle")
        .objects.filter(status="published")
        .values_list("title", flat=True),
        *apps.get_model("guidance", "Definition").objects.values_list("term", flat=True),
    ]
    words = {word for name in names for word in WORD.findall(name) if len(word) >= 3}
    Word = apps.get_model("practices", "SearchWord")
    Word.objects.bulk_create([Word(word=w) for w in words], ignore_conflicts=True, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("guidance", "0006_history_content_types"),
        ("practices", "0011_search_lexemes"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=False)]
