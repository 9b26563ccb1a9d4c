"""The search lexemes and words (practices.SearchLexeme, practices.SearchWord), with a trigram
index on the words on PostgreSQL, filled from the practices; the movements and guidance apps add
theirs in their own migrations."""

import re

from django.db import migrations, models

WORD = re.compile(r"[^\W_]+")


def fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS searchword_word_trgm ON practices_searchword "
            "USING gin (word gin_trgm_ops)"
        )
        schema_editor.execute(
            "INSERT INTO practices_searchlexeme (lexeme) "
            "SELECT DISTINCT unnest(tsvector_to_array(search_vector)) FROM practices_practice "
            "ON CONFLICT DO NOTHING"
        )
    practices = apps.get_model("practices", "Practice").objects.filter(status="published")
    words = set()
    for names in practices.values_list("search_names", flat=True).iterator():
        words.update(word for word in WORD.findall(names) if len(word) >= 3)
    Word = apps.get_model("practices", "SearchWord")
    Word.objects.bulk_create([Word(word=w) for w in words], ignore_conflicts=True, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("practices", "0010_ordering_ends_with_key")]

    operations = [
        migrations.CreateModel(
            name="SearchLexeme",
            fields=[
                (
                    "lexeme",
                    models.TextField(primary_key=True, serialize=False, verbose_name="lexeme"),
                ),
            ],
            options={"verbose_name": "search lexeme", "verbose_name_plural": "search lexemes"},
        ),
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("word", models.TextField(primary_key=True, serialize=False, verbose_name="word")),
            ],
            options={"verbose_name": "search word", "verbose_name_plural": "search words"},
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
    ]
