from django.db import migrations


def add_content_types(apps, schema_editor):
    """History keeps principle-practice and principle-movement link rows, so their tables need
    content types; Django makes none for auto-created link tables, and one made on demand may be
    rolled back."""
    content_types = apps.get_model("contenttypes", "ContentType").objects
    for model in ["principle_practices", "principle_movements"]:
        content_types.get_or_create(app_label="guidance", model=model)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("guidance", "0005_publish_permission"),
    ]

    operations = [migrations.RunPython(add_content_types, migrations.RunPython.noop)]
