"""The synthetic movements cite the synthetic corpus now (0012): the column goes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("movements", "0012_synthetic_records_cite_their_corpus")]

    operations = [migrations.RemoveField(model_name="movement", name="is_synthetic")]
