"""One registry of record types (core.records): every content model is declared, and the places
that list record types read it."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command

from atlas.management.knowledge_base import exported_labels
from core.records import EDITED, record_types

CONTENT_APPS = ["practices", "movements", "guidance", "evidence"]


def concrete_models(app_label):
    return [
        model
        for model in apps.get_app_config(app_label).get_models()
        if not model._meta.auto_created
    ]


@pytest.mark.parametrize("app_label", CONTENT_APPS)
def test_every_concrete_content_model_is_declared(app_label):
    declared = {record_type.label for record_type in record_types()}
    missing = [m._meta.label_lower for m in concrete_models(app_label)]
    missing = [label for label in missing if label not in declared]
    assert not missing, f"Declare these record types in {app_label}/records.py: {missing}"


def test_the_knowledge_base_file_holds_every_curated_type():
    curated = {rt.label for rt in record_types() if rt.exported}
    assert set(exported_labels()) == curated
    assert "practices.practice" in curated and "guidance.resource" in curated


@pytest.mark.django_db
def test_roles_follow_the_declarations():
    call_command("setup_roles", stdout=None)
    editor = Group.objects.get(name="Editor")
    granted = {
        f"{p.content_type.app_label}.{p.codename}" for p in editor.permissions.select_related()
    }
    for record_type in record_types(curation=EDITED):
        app_label, kind = record_type.label.split(".")
        assert f"{app_label}.change_{kind}" in granted
    # The search index is derived from the records: no role sees or changes it in the admin.
    assert not [name for name in granted if name.startswith("search.")]


@pytest.mark.django_db
def test_sitemap_has_a_section_per_declared_type(client):
    index = client.get("/sitemap.xml").content.decode()
    for record_type in record_types():
        if record_type.sitemap:
            assert f"sitemap-{record_type.sitemap}.xml" in index
