from django.db import migrations


def add_content_types(apps, schema_editor):
    """History keeps movement-practice link rows, so their table needs a content type; Django
    makes none for auto-created link tables, and one made on demand may be rolled back."""
    apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="movements", model="movement_practices"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("movements", "0005_publish_permission"),
    ]

    operations = [migrations.RunPython(add_content_types, migrations.RunPython.noop)]
