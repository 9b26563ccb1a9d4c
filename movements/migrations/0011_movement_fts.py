"""On SQLite, the movements' FTS5 index (movements_movement_fts) and the triggers that keep it in
step, filled from the existing rows; nothing on PostgreSQL, which has the search vector."""

from django.db import migrations

from search.sqlite import fts_operation


class Migration(migrations.Migration):
    dependencies = [("movements", "0010_search_vector_inline")]

    operations = [
        fts_operation("movements_movement", ["name", "acronym", "search_names", "description"])
    ]
