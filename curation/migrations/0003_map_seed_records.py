"""Remember which record each seed record (fixtures/) became in a database loaded before seed
records were tracked, so that load_content keeps recognising it once a curator renames it."""

import json

from django.db import migrations

from curation.seeds import find_by_key, fixture_key, fixture_records


def map_seed_records(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    SeedRecord = apps.get_model("curation", "SeedRecord")
    using = schema_editor.connection.alias
    mapped = []
    for record in fixture_records():
        try:
            model = apps.get_model(record["model"])
        except LookupError:  # a type added after this migration: none of its records exist yet
            continue
        if not model._base_manager.using(using).exists():
            continue
        found = find_by_key(model, record["fields"])
        if found is not None:
            key = fixture_key(model._meta.label_lower, record["fields"])
            content_type = ContentType.objects.db_manager(using).get_for_model(model)
            mapped.append(
                SeedRecord(
                    content_type=content_type,
                    key=json.dumps(list(key), ensure_ascii=False),
                    object_id=str(found.pk),
                )
            )
    SeedRecord.objects.using(using).bulk_create(mapped, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("curation", "0002_seed_records_and_tombstones"),
        ("practices", "0012_search_vector_inline"),
        ("movements", "0010_search_vector_inline"),
        ("guidance", "0007_search_lexemes"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(map_seed_records, migrations.RunPython.noop)]
