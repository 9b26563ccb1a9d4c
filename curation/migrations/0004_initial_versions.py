"""Give every curated record that has no history yet a first version (with its tags, figures and
links), so History shows the state it started in and its first change can be reverted."""

from django.db import migrations

from curation.history import ROOTS, version_groups, write_initial_versions

BATCH = 1000


def write_first_versions(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Version = apps.get_model("reversion", "Version")
    using = schema_editor.connection.alias
    for label in ROOTS:
        model = apps.get_model(label)
        pks = list(model._base_manager.using(using).order_by("pk").values_list("pk", flat=True))
        if not pks:
            continue
        content_type = ContentType.objects.db_manager(using).get_for_model(model)
        versioned = set(
            Version.objects.using(using)
            .filter(content_type=content_type)
            .values_list("object_id", flat=True)
        )
        missing = [pk for pk in pks if str(pk) not in versioned]
        for first in range(0, len(missing), BATCH):
            groups = version_groups(model, missing[first : first + BATCH], apps=apps)
            write_initial_versions(groups, comment="Initial state", using=using, apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("curation", "0003_map_seed_records"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    operations = [migrations.RunPython(write_first_versions, migrations.RunPython.noop)]
