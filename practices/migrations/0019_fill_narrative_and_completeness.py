"""Give existing databases what a fresh load gives: the seed practices' new fields from
fixtures/ (load_content never changes a record it has loaded, and these fields were empty, so no
curator's work is overwritten), and every practice's completeness."""

import json
from pathlib import Path

from django.conf import settings
from django.db import migrations

NEW_FIELDS = (
    "context",
    "activities",
    "results",
    "evidence_basis",
    "lessons",
    "adaptation",
    "start_year",
    "end_year",
    "field_locators",
)


def seed_values():
    """{slug: {field: value}} of the fixture practices that fill any of the new fields."""
    path = Path(settings.BASE_DIR) / "fixtures" / "practices.json"
    if not path.exists():
        return {}
    found = {}
    for record in json.loads(path.read_text(encoding="utf-8")):
        if record["model"] != "practices.practice":
            continue
        values = {name: record["fields"][name] for name in NEW_FIELDS if name in record["fields"]}
        if values:
            found[record["fields"]["slug"]] = values
    return found


def fill(apps, schema_editor):
    from practices.narrative import completeness_of

    Practice = apps.get_model("practices", "Practice")
    for slug, values in seed_values().items():
        Practice.objects.filter(slug=slug).update(**values)
    # Before this migration no practice could be complete (the narrative fields were new), so a
    # practice is partial if it describes itself at all, else a stub: two updates at any size.
    Practice.objects.exclude(summary="", body="").update(completeness="partial")
    for practice in Practice.objects.filter(slug__in=list(seed_values())):
        Practice.objects.filter(pk=practice.pk).update(completeness=completeness_of(practice))


class Migration(migrations.Migration):
    dependencies = [("practices", "0018_practice_narrative")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
