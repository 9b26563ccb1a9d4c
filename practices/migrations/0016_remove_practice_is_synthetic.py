"""The synthetic practices cite the synthetic corpus now (0015): the column goes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("practices", "0015_synthetic_records_cite_their_corpus")]

    operations = [migrations.RemoveField(model_name="practice", name="is_synthetic")]
