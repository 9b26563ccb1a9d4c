"""PostgreSQL only: the pg_trgm extension, a GIN index on the search vector and a trigram index
on the title. SQLite searches without them, so there the migration does nothing."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS practice_search_vector ON practices_practice "
    "USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS practice_title_trgm ON practices_practice "
    "USING gin (title gin_trgm_ops)",
]
# The extension stays on reverse: other apps' trigram indexes may still need it.
REVERSE = [
    "DROP INDEX IF EXISTS practice_title_trgm",
    "DROP INDEX IF EXISTS practice_search_vector",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("practices", "0004_search_document")]

    operations = [migrations.RunPython(run(FORWARD), run(REVERSE), elidable=False)]
