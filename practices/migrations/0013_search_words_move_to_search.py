"""SearchWord and SearchLexeme now belong to the search app (search 0001): state only, the
tables stay. After the other apps' migrations that filled them through this app's models."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0012_search_vector_inline"),
        ("search", "0001_words"),
        ("movements", "0009_search_lexemes"),
        ("guidance", "0007_search_lexemes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="SearchLexeme"),
                migrations.DeleteModel(name="SearchWord"),
            ]
        ),
    ]
