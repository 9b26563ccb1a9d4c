from django.db import migrations


def load_countries(apps, schema_editor):
    from core.places import sync_countries

    sync_countries(apps.get_model("practices", "Region"), apps.get_model("practices", "Country"))


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_initial")]

    operations = [migrations.RunPython(load_countries, migrations.RunPython.noop)]
