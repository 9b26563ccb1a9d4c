"""Every curated record has history from its first state: the seed content, synthetic records
and databases from before (by migration) get a first version, so the first change is revertible."""

import importlib
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
import reversion
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from reversion.models import Revision, Version

from bench.corpus import SOURCE
from curation.models import SeedRecord
from guidance.models import Principle
from movements.models import Movement
from practices.models import Organisation, Practice
from tests.test_admin import admin_url, form_data

SEED_MODELS = [Practice, Movement, Principle, Organisation]
COLUMNS = ("content_type", "object_id", "format", "serialized_data", "object_repr")


def seed_titles():
    records = json.loads((Path(settings.BASE_DIR) / "fixtures" / "practices.json").read_text())
    return {
        r["fields"]["slug"]: r["fields"]["title"]
        for r in records
        if r["model"] == "practices.practice"
    }


def versions_of(record):
    return Version.objects.get_for_object(record).order_by("pk")


def as_reversion_writes(record):
    """The versions reversion writes for `record` now, as rows (and nothing saved)."""
    with reversion.create_revision():
        reversion.add_to_revision(record)
    revision = Revision.objects.order_by("pk").last()
    rows = sorted(revision.version_set.values_list(*COLUMNS))
    revision.delete()
    return rows


def first_version_rows(record):
    return sorted(versions_of(record).first().revision.version_set.values_list(*COLUMNS))


@pytest.mark.parametrize("model", SEED_MODELS, ids=lambda m: m.__name__)
def test_every_seed_record_has_a_first_version(content, model):
    for record in model.objects.all():
        assert versions_of(record).count() == 1, record
        assert first_version_rows(record) == as_reversion_writes(record), record


def test_the_first_version_holds_the_seed_state_with_tags_and_links(content):
    practice = Practice.objects.get(slug="souqona")
    version = versions_of(practice).get()
    assert version.field_dict["title"] == seed_titles()["souqona"]
    assert version.revision.comment == "Loaded from the seed content"
    kept = {v.content_type.model for v in version.revision.version_set.all()}
    assert {"practice", "taggedpractice", "tag"} <= kept


def test_the_first_change_of_a_seed_practice_can_be_reverted(content, admin_client):
    practice = Practice.objects.get(slug="souqona")
    seed_title = practice.title
    url = admin_url(Practice, "change", practice.pk)
    response = admin_client.post(
        url, form_data(admin_client.get(url), title="Renamed", change_reason="Typo")
    )
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.title == "Renamed"

    first = versions_of(practice).first()
    assert first.field_dict["title"] == seed_title
    history = admin_client.get(admin_url(Practice, "history", practice.pk)).content.decode()
    assert "Revert to this version" in history

    revert_url = admin_url(Practice, "revision", practice.pk, first.pk)
    response = admin_client.post(revert_url, form_data(admin_client.get(revert_url)))
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.title == seed_title
    assert admin_client.get(practice.get_absolute_url()).content.decode().count(seed_title)


def test_synthetic_records_get_the_first_versions_reversion_would_write(content):
    call_command("seed_synthetic", practices=20, movements=5, verbosity=0)
    practices = Practice.objects.filter(source__slug=SOURCE["slug"])
    movements = Movement.objects.filter(source__slug=SOURCE["slug"])
    assert practices.count() == 20 and movements.count() == 5
    for record in [*practices, *movements]:
        assert first_version_rows(record) == as_reversion_writes(record), record

    call_command("seed_synthetic", clear=True, verbosity=0)
    assert not Version.objects.filter(revision__comment="Synthetic record").exists()


# What a data migration reads of its schema editor; SQLite's cannot open in a test's transaction.
MIGRATING = SimpleNamespace(connection=connection)


def migration(name):
    return importlib.import_module(f"curation.migrations.{name}")


def test_the_migration_gives_records_without_history_a_first_version(content):
    expected = {
        record: as_reversion_writes(record)
        for model in SEED_MODELS
        for record in model.objects.all()
    }
    Revision.objects.all().delete()

    migration("0004_initial_versions").write_first_versions(apps, MIGRATING)

    for record, rows in expected.items():
        assert versions_of(record).count() == 1, record
        assert first_version_rows(record) == rows, record


def test_the_migration_maps_the_seed_records_of_a_database_loaded_before(content):
    mapped = set(SeedRecord.objects.values_list("content_type", "key", "object_id"))
    SeedRecord.objects.all().delete()

    migration("0003_map_seed_records").map_seed_records(apps, MIGRATING)

    assert set(SeedRecord.objects.values_list("content_type", "key", "object_id")) == mapped
    assert len(mapped) == 310
