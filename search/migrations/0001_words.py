"""SearchWord and SearchLexeme move here from the practices app: state only, as their tables
keep their names (practices_searchword, practices_searchlexeme)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = [("practices", "0012_search_vector_inline")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SearchLexeme",
                    fields=[
                        (
                            "lexeme",
                            models.TextField(
                                primary_key=True, serialize=False, verbose_name="lexeme"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "search lexeme",
                        "verbose_name_plural": "search lexemes",
                        "db_table": "practices_searchlexeme",
                    },
                ),
                migrations.CreateModel(
                    name="SearchWord",
                    fields=[
                        (
                            "word",
                            models.TextField(primary_key=True, serialize=False, verbose_name="word"),
                        ),
                    ],
                    options={
                        "verbose_name": "search word",
                        "verbose_name_plural": "search words",
                        "db_table": "practices_searchword",
                    },
                ),
            ]
        ),
    ]
