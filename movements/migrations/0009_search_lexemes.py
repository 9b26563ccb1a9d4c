"""Add the movements' lexemes (on PostgreSQL) and the words of published movements' names and
acronyms to practices.SearchLexeme and practices.SearchWord."""

import re

from django.db import migrations

WORD = re.compile(r"[^\W_]+")


def fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "INSERT INTO practices_searchlexeme (lexeme) "
            "SELECT DISTINCT unnest(tsvector_to_array(search_vector)) FROM movements_movement "
            "ON CONFLICT DO NOTHING"
        )
    movements = apps.get_model("movements", "Movement").objects.filter(status="published")
    words = set()
    for name, acronym in movements.values_list("name", "acronym").iterator():
        words.update(word for word in WORD.findall(f"{name} {acronym}") if len(word) >= 3)
    Word = apps.get_model("practices", "SearchWord")
    Word.objects.bulk_create([Word(word=w) for w in words], ignore_conflicts=True, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("movements", "0008_ordering_ends_with_key"),
        ("practices", "0011_search_lexemes"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=False)]
