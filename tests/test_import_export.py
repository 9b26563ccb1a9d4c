"""export_kb and import_kb: the round trip gives back the same data, and a broken file changes
nothing."""

import datetime
import json

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import translation

from atlas.management.knowledge_base import exported_labels
from core.models import Status
from movements.models import Movement
from practices.models import Country, Organisation, Practice
from practices.narrative import Partner, PracticeLink


def export(path):
    call_command("export_kb", str(path), verbosity=0)
    return path.read_bytes()


def counts():
    return {label: apps.get_model(label)._base_manager.count() for label in exported_labels()}


def wipe_content():
    for label in reversed(exported_labels()):
        apps.get_model(label)._base_manager.all().delete()


@pytest.fixture
def linked_content(content):
    """The seed content with links the fixtures may not have: a movement's practices and an
    organisation's country."""
    practices = list(Practice.objects.order_by("slug")[:2])
    Movement.objects.order_by("slug").first().practices.add(*practices)
    practices[0].status = Status.DRAFT
    practices[0].save()
    # Under a millisecond: an encoder that keeps milliseconds only would write ".000".
    Practice.objects.filter(pk=practices[1].pk).update(
        updated_at=datetime.datetime(2025, 1, 2, 3, 4, 5, 456, tzinfo=datetime.UTC)
    )
    organisation = Organisation.objects.order_by("slug").first()
    organisation.country = Country.objects.get(code="KE")
    organisation.save()
    # A practice's partners and links, and fields that make it complete.
    Partner.objects.create(practice=practices[1], organisation=organisation, role="funder")
    PracticeLink.objects.create(practice=practices[1], title="Report", url="https://x.org/r")
    Practice.objects.get(pk=practices[1].pk).save()


def test_export_wipe_import_gives_back_exactly_the_same_data(linked_content, tmp_path):
    before = counts()
    regions = regions_of_practices()
    completeness = dict(Practice.objects.values_list("slug", "completeness"))
    first = export(tmp_path / "first.json")
    wipe_content()
    assert not Practice.objects.exists()

    call_command("import_kb", str(tmp_path / "first.json"), verbosity=0)
    assert counts() == before
    assert export(tmp_path / "second.json") == first
    assert regions_of_practices() == regions  # derived from countries, so not in the file
    # Computed from the fields, so not in the file either.
    assert dict(Practice.objects.values_list("slug", "completeness")) == completeness


def regions_of_practices():
    return {
        practice.slug: {region.code for region in practice.regions.all()}
        for practice in Practice.objects.prefetch_related("regions")
    }


def test_the_export_names_records_by_natural_key_and_keeps_statuses_and_links(
    linked_content, tmp_path
):
    records = json.loads(export(tmp_path / "kb.json"))
    assert all(set(record) == {"model", "fields"} for record in records)  # no database ids
    assert {record["model"] for record in records} == set(exported_labels())
    practices = {
        r["fields"]["slug"]: r["fields"] for r in records if r["model"] == "practices.practice"
    }
    assert {fields["status"] for fields in practices.values()} == {"draft", "published"}
    assert any("KE" in fields["countries"] for fields in practices.values())
    movement = next(r["fields"] for r in records if r["model"] == "movements.movement")
    assert all(isinstance(key, list) and isinstance(key[0], str) for key in movement["practices"])
    tag_link = next(r["fields"] for r in records if r["model"] == "practices.taggedpractice")
    assert tag_link["content_object"][0] in practices


def test_import_updates_existing_records_and_their_tags(content, tmp_path):
    export(tmp_path / "kb.json")
    practice = Practice.objects.order_by("slug").first()
    tags = set(practice.tags.names())
    practice.title = "Changed since"
    practice.save()
    practice.tags.add("added-since")

    call_command("import_kb", str(tmp_path / "kb.json"), verbosity=0)
    practice.refresh_from_db()
    assert practice.title != "Changed since"
    assert set(practice.tags.names()) == tags


def test_a_dry_run_changes_nothing(content, tmp_path):
    path = tmp_path / "kb.json"
    before = export(path)
    records = json.loads(before)
    for record in records:
        if record["model"] == "practices.practice":
            record["fields"]["title"] = "Dry run title"
    path.write_text(json.dumps(records))
    call_command("import_kb", str(path), "--dry-run", verbosity=0)
    assert not Practice.objects.filter(title="Dry run title").exists()
    assert export(tmp_path / "after.json") == before


def first_index(records, model):
    return next(i for i, record in enumerate(records) if record["model"] == model)


def break_missing_title(records):
    i = first_index(records, "practices.practice")
    del records[i]["fields"]["title"]
    return i, ["practices.practice", records[i]["fields"]["slug"], "'title'"]


def break_country_code(records):
    i = first_index(records, "practices.practice")
    records[i]["fields"]["countries"] = ["KE", "XX"]
    return i, ["practices.practice", records[i]["fields"]["slug"], "'countries'", "XX"]


def break_organisation_country(records):
    i = first_index(records, "practices.organisation")
    records[i]["fields"]["country"] = "QQ"
    return i, ["practices.organisation", records[i]["fields"]["slug"], "'country'", "QQ"]


def break_model(records):
    i = first_index(records, "movements.movement")
    records[i]["model"] = "movements.campaign"
    return i, ["movements.campaign", "unknown model"]


def break_reference(records):
    i = first_index(records, "practices.practice")
    records[i]["fields"]["approach"] = ["no-such-approach"]
    return i, ["practices.practice", records[i]["fields"]["slug"], "'approach'", "does not exist"]


def break_linked_organisation(records):
    i = first_index(records, "practices.practice")
    records[i]["fields"]["organisations"] = [["no-such-organisation"]]
    return i, ["'organisations'", "does not exist", "no-such-organisation"]


def break_future_year(records):
    i = first_index(records, "movements.movement")
    records[i]["fields"]["founded_year"] = 2099
    return i, ["movements.movement", "'founded_year'", "cannot be in the future"]


@pytest.mark.parametrize(
    "breakage",
    [
        break_missing_title,
        break_country_code,
        break_organisation_country,
        break_model,
        break_reference,
        break_linked_organisation,
        break_future_year,
    ],
)
def test_a_broken_record_stops_the_import_naming_it_and_changes_nothing(
    content, tmp_path, breakage
):
    path = tmp_path / "kb.json"
    before = export(path)
    records = json.loads(before)
    # An earlier record that would change, to prove the import is all or nothing.
    records[0]["fields"]["title"] = "Saved before the broken record"
    index, expected = breakage(records)
    path.write_text(json.dumps(records))

    # Validation messages are translated: read them in English whatever an earlier test left on.
    with translation.override("en"), pytest.raises(CommandError) as error:
        call_command("import_kb", str(path), verbosity=0)
    message = str(error.value)
    assert f"record {index + 1} (" in message
    for part in expected:
        assert part in message
    assert "Nothing was imported." in message
    assert export(tmp_path / "after.json") == before


def test_malformed_json_stops_the_import(content, tmp_path):
    path = tmp_path / "kb.json"
    before = export(path)
    path.write_text(before.decode()[:-20])
    with pytest.raises(CommandError, match="not valid JSON: .*line"):
        call_command("import_kb", str(path), verbosity=0)
    assert export(tmp_path / "after.json") == before


def test_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_kb", str(tmp_path / "missing.json"), verbosity=0)
