"""PostgreSQL only: drop the trigram index on the search words. The spelling fallback reads the
words of a similar length starting with one of the typed word's first two letters, a filter on
UPPER(word) that the index cannot answer, and trigram similarity would miss corrections it must
make ("Ugnada" shares too few trigrams with "Uganda"), so the index was never used."""

from django.db import migrations

INDEX = "searchword_word_trgm"


def run(statement):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("search", "0002_drop_search_lexemes")]

    operations = [
        migrations.RunPython(
            run(f"DROP INDEX IF EXISTS {INDEX}"),
            run(
                f"CREATE INDEX IF NOT EXISTS {INDEX} ON practices_searchword "
                "USING gin (word gin_trgm_ops)"
            ),
            elidable=False,
        )
    ]
