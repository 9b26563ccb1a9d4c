"""On SQLite, the practices' FTS5 index (practices_practice_fts) and the triggers that keep it in
step, filled from the existing rows; nothing on PostgreSQL, which has the search vector."""

from django.db import migrations

from search.sqlite import fts_operation


class Migration(migrations.Migration):
    dependencies = [("practices", "0013_search_words_move_to_search")]

    operations = [fts_operation("practices_practice", ["title", "search_names", "summary", "body"])]
