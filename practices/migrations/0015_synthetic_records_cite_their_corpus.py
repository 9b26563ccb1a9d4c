"""Synthetic practices (and organisations) are known by the source document they cite, not by an
`is_synthetic` column: the benchmark's tools live in the bench app, which production does not
install. Those already in a database are attached to that document before the column goes, so
`seed_synthetic --clear` (bench/purge.py) still finds them. The column goes in the next
migration: on PostgreSQL, a table with updates whose foreign-key checks are still pending in the
transaction cannot be altered."""

from django.db import migrations

# The document bench/corpus.py creates and cites; its slug is what the purge selects by.
CORPUS = {
    "slug": "synthetic-benchmark-corpus",
    "title": "Synthetic benchmark corpus",
    "short_title": "Synthetic corpus",
    "description": "Made-up records for benchmarks (manage.py seed_synthetic); not real content.",
}
ORGANISATION_PREFIX = "synthetic-"


def cite_corpus(apps, schema_editor):
    Practice = apps.get_model("practices", "Practice")
    Organisation = apps.get_model("practices", "Organisation")
    SourceDocument = apps.get_model("practices", "SourceDocument")
    using = schema_editor.connection.alias
    practices = Practice.objects.using(using).filter(is_synthetic=True)
    organisations = Organisation.objects.using(using).filter(
        slug__startswith=ORGANISATION_PREFIX, source__isnull=True
    )
    if not practices.exists() and not organisations.exists():
        return
    corpus, _created = SourceDocument.objects.using(using).get_or_create(
        slug=CORPUS["slug"], defaults=CORPUS
    )
    practices.update(source=corpus, locator="")
    organisations.update(source=corpus)


def mark_synthetic(apps, schema_editor):
    Practice = apps.get_model("practices", "Practice")
    using = schema_editor.connection.alias
    Practice.objects.using(using).filter(source__slug=CORPUS["slug"]).update(is_synthetic=True)


class Migration(migrations.Migration):
    dependencies = [("practices", "0014_practice_fts")]

    operations = [
        migrations.RunPython(cite_corpus, mark_synthetic),
    ]
