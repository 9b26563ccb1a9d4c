"""The lexemes PostgreSQL searches once looked prefixes up in: to_tsquery's own prefix matching
replaced them."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0001_words'),
    ]

    operations = [
        migrations.DeleteModel(
            name='SearchLexeme',
        ),
    ]
