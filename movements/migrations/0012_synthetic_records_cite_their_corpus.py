"""Synthetic movements are known by the source document they cite, as practices are since
practices/0015: those already in a database are attached to it before `is_synthetic` goes (in
the next migration, as practices/0016 does)."""

from django.db import migrations

CORPUS = {
    "slug": "synthetic-benchmark-corpus",
    "title": "Synthetic benchmark corpus",
    "short_title": "Synthetic corpus",
    "description": "Made-up records for benchmarks (manage.py seed_synthetic); not real content.",
}


def cite_corpus(apps, schema_editor):
    Movement = apps.get_model("movements", "Movement")
    SourceDocument = apps.get_model("practices", "SourceDocument")
    using = schema_editor.connection.alias
    movements = Movement.objects.using(using).filter(is_synthetic=True)
    if not movements.exists():
        return
    corpus, _created = SourceDocument.objects.using(using).get_or_create(
        slug=CORPUS["slug"], defaults=CORPUS
    )
    movements.update(source=corpus, locator="")


def mark_synthetic(apps, schema_editor):
    Movement = apps.get_model("movements", "Movement")
    using = schema_editor.connection.alias
    Movement.objects.using(using).filter(source__slug=CORPUS["slug"]).update(is_synthetic=True)


class Migration(migrations.Migration):
    dependencies = [
        ("movements", "0011_movement_fts"),
        ("practices", "0015_synthetic_records_cite_their_corpus"),
    ]

    operations = [
        migrations.RunPython(cite_corpus, mark_synthetic),
    ]
