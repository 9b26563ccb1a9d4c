"""PostgreSQL only: GIN indexes on the search vectors and trigram indexes on titles and terms."""

from django.db import migrations

FORWARD = [
    "CREATE INDEX IF NOT EXISTS principle_search_vector ON guidance_principle "
    "USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS finding_search_vector ON guidance_finding "
    "USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS definition_search_vector ON guidance_definition "
    "USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS principle_title_trgm ON guidance_principle "
    "USING gin (title gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS definition_term_trgm ON guidance_definition "
    "USING gin (term gin_trgm_ops)",
]
REVERSE = [
    "DROP INDEX IF EXISTS definition_term_trgm",
    "DROP INDEX IF EXISTS principle_title_trgm",
    "DROP INDEX IF EXISTS definition_search_vector",
    "DROP INDEX IF EXISTS finding_search_vector",
    "DROP INDEX IF EXISTS principle_search_vector",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("guidance", "0003_search_document"),
        ("practices", "0005_search_indexes"),  # creates the pg_trgm extension
    ]

    operations = [migrations.RunPython(run(FORWARD), run(REVERSE), elidable=False)]
