"""On PostgreSQL, keep each movement's search vector in its row rather than in the TOAST table,
as practices/0012 does for practices: a movement with a long description had its vector moved
out, and a phrase search reads every vector it cannot rule out by the index (16 ms for 10,000
movements with TOAST reads). SQLite has no vectors: nothing to do there."""

from django.db import migrations


def storage(value):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            table = "movements_movement"
            schema_editor.execute(f"ALTER TABLE {table} ALTER search_vector SET STORAGE {value}")
            # A new value (concatenation makes one) is stored as the column now says.
            schema_editor.execute(f"UPDATE {table} SET search_vector = search_vector || ''")

    return apply


class Migration(migrations.Migration):
    dependencies = [("movements", "0009_search_lexemes")]

    operations = [migrations.RunPython(storage("MAIN"), storage("EXTENDED"), elidable=False)]
