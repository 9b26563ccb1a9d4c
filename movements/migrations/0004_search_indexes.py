"""PostgreSQL only: a GIN index on the search vector and a trigram index on the name."""

from django.db import migrations

FORWARD = [
    "CREATE INDEX IF NOT EXISTS movement_search_vector ON movements_movement "
    "USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS movement_name_trgm ON movements_movement "
    "USING gin (name gin_trgm_ops)",
]
REVERSE = [
    "DROP INDEX IF EXISTS movement_name_trgm",
    "DROP INDEX IF EXISTS movement_search_vector",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("movements", "0003_search_document"),
        ("practices", "0005_search_indexes"),  # creates the pg_trgm extension
    ]

    operations = [migrations.RunPython(run(FORWARD), run(REVERSE), elidable=False)]
