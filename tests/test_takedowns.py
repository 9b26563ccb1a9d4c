"""Takedowns stay down: a record a curator deleted or withdrew is not brought back by loading
the seed content again (load_content, `make setup`) or by importing a file (import_kb), and a
seed record a curator renamed is still recognised."""

import json
import os
import shutil
import sqlite3
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from taggit.models import Tag

from core.models import Status
from curation.models import SeedRecord, Tombstone
from curation.takedowns import record_takedown
from movements.models import Movement
from practices.models import Practice
from tests.factories import make_practice
from tests.test_admin import admin_url, member_of

NEPAL = "strengthening-leadership-and-capacities-of-a-rural-womens-network-in-nepal"


def load_content():
    out = StringIO()
    call_command("load_content", stdout=out)
    return out.getvalue()


def take_down(record, user, reason="Consent withdrawn", withdrawn=False):
    """What the admin does when a publisher deletes or withdraws a record."""
    if withdrawn:
        record.status = Status.WITHDRAWN
        record.save()
    record_takedown(record, user=user, reason=reason, withdrawn=withdrawn)
    if not withdrawn:
        record.delete()


def page_status(client, record_slug):
    return client.get(f"/practices/{record_slug}/").status_code


# --- load_content --------------------------------------------------------------------------------


def test_a_deleted_seed_record_stays_deleted(content, publisher, client):
    take_down(Practice.objects.get(slug=NEPAL), publisher)
    practices = Practice.objects.count()

    out = load_content()

    assert "0 records added" in out
    assert "taken down by curators and not added again" in out
    assert Practice.objects.count() == practices
    assert page_status(client, NEPAL) == 404
    # The movement and principles the fixtures link it to are still there, without it.
    assert not Movement.objects.get(slug="mam").practices.filter(slug=NEPAL).exists()


def test_a_seed_record_deleted_without_a_tombstone_is_not_added_again_either(content, client):
    Practice.objects.get(slug="souqona").delete()
    assert "0 records added" in load_content()
    assert page_status(client, "souqona") == 404


def test_a_withdrawn_seed_record_stays_withdrawn(content, publisher, client):
    take_down(Practice.objects.get(slug="souqona"), publisher, withdrawn=True)
    load_content()
    assert Practice.objects.get(slug="souqona").status == Status.WITHDRAWN
    assert page_status(client, "souqona") == 404


def test_a_renamed_seed_record_gets_no_duplicate(content, client):
    practices, movements = Practice.objects.count(), Movement.objects.count()
    Practice.objects.filter(slug="souqona").update(slug="souqona-jordan")
    Movement.objects.filter(slug="mam").update(slug="mahila-adhika-manch")

    assert "0 records added" in load_content()

    assert (Practice.objects.count(), Movement.objects.count()) == (practices, movements)
    assert page_status(client, "souqona") == 404
    assert page_status(client, "souqona-jordan") == 200
    assert Movement.objects.get(slug="mahila-adhika-manch").figures.count() == 2


def test_a_renamed_seed_tag_is_no_error_and_no_duplicate(content):
    tags = Tag.objects.count()
    Tag.objects.filter(name="women's leadership").update(name="Women’s leadership")

    assert "0 records added" in load_content()

    assert Tag.objects.count() == tags
    assert not Tag.objects.filter(name="women's leadership").exists()
    assert Practice.objects.filter(tags__name="Women’s leadership").exists()


def test_a_seed_tag_a_curator_removed_stays_removed(content):
    practice = Practice.objects.get(slug=NEPAL)
    removed = practice.tags.names()[0]
    practice.tags.remove(removed)
    load_content()
    assert removed not in practice.tags.names()


def test_fixture_links_to_a_renamed_record_go_to_it(content):
    """A seed record new to this database (here: a tagging forgotten with its seed record) that
    links to a record a curator renamed is added to that record, under its new name."""
    practice = Practice.objects.get(slug=NEPAL)
    name = practice.tags.names()[0]
    practice.tags.remove(name)
    SeedRecord.objects.filter(key__contains=name, content_type__model="taggedpractice").filter(
        key__contains=NEPAL
    ).delete()
    Practice.objects.filter(pk=practice.pk).update(slug="nepal-rural-womens-network")

    assert "1 records added" in load_content()

    assert name in Practice.objects.get(slug="nepal-rural-womens-network").tags.names()
    assert not Practice.objects.filter(slug=NEPAL).exists()


# --- the tombstone in the admin ------------------------------------------------------------------


def test_takedowns_are_listed_read_only_and_only_publishers_may_lift_one(
    content, publisher, client
):
    take_down(Practice.objects.get(slug=NEPAL), publisher, reason="Legal takedown")
    tombstone = Tombstone.objects.get()
    editor = member_of("Editor")

    client.force_login(editor)
    listing = client.get(admin_url(Tombstone, "changelist")).content.decode()
    assert "Strengthening leadership" in listing and "Deleted" in listing
    page = client.get(admin_url(Tombstone, "change", tombstone.pk)).content.decode()
    assert "Legal takedown" in page and "publisher" in page
    assert 'name="_save"' not in page
    assert (
        client.post(admin_url(Tombstone, "delete", tombstone.pk), {"post": "yes"}).status_code
        == 403
    )
    assert client.get(admin_url(Tombstone, "add")).status_code == 403

    client.force_login(publisher)
    assert (
        client.post(admin_url(Tombstone, "delete", tombstone.pk), {"post": "yes"}).status_code
        == 302
    )
    assert not Tombstone.objects.exists()


# --- import_kb -----------------------------------------------------------------------------------


def import_kb(path, **options):
    out = StringIO()
    call_command("import_kb", str(path), stdout=out, **options)
    return out.getvalue()


def test_import_does_not_re_create_a_deleted_record_unless_told_to(
    content, publisher, client, tmp_path
):
    export = tmp_path / "kb.json"
    call_command("export_kb", str(export), verbosity=0)
    take_down(Practice.objects.get(slug=NEPAL), publisher, reason="Consent withdrawn")

    out = import_kb(export)

    assert "Taken down:" in out and NEPAL in out and "Consent withdrawn" in out
    assert not Practice.objects.filter(slug=NEPAL).exists()
    assert page_status(client, NEPAL) == 404
    assert Movement.objects.filter(slug="mam").exists()  # which the file links to it

    out = import_kb(export, restore_deleted=True)

    assert "Taken down:" not in out
    practice = Practice.objects.get(slug=NEPAL)
    assert practice.status == Status.PUBLISHED and practice.tags.exists()
    assert Movement.objects.get(slug="mam").practices.filter(slug=NEPAL).exists()
    assert page_status(client, NEPAL) == 200
    assert not Tombstone.objects.exists()


def test_import_does_not_publish_a_withdrawn_record_again(content, publisher, client, tmp_path):
    export = tmp_path / "kb.json"
    call_command("export_kb", str(export), verbosity=0)
    take_down(Practice.objects.get(slug="souqona"), publisher, withdrawn=True)

    out = import_kb(export)

    assert "souqona" in out and "stays withdrawn" in out
    assert Practice.objects.get(slug="souqona").status == Status.WITHDRAWN
    assert page_status(client, "souqona") == 404


def test_import_does_not_re_create_a_deleted_record_a_curator_made(db, publisher, tmp_path):
    make_practice(slug="a-curators-own", title="A curator's own", status=Status.PUBLISHED)
    export = tmp_path / "kb.json"
    call_command("export_kb", str(export), verbosity=0)
    take_down(Practice.objects.get(slug="a-curators-own"), publisher)

    out = import_kb(export)

    assert "a-curators-own" in out
    assert not Practice.objects.exists()
    assert json.loads(Tombstone.objects.get().natural_key) == ["a-curators-own"]


# --- make setup, as a curator runs it ------------------------------------------------------------

TAKE_DOWN = """
from curation.takedowns import record_takedown
from practices.models import Practice
practice = Practice.objects.get(slug="souqona")
record_takedown(practice, user=None, reason="Consent withdrawn")
practice.delete()
"""


@pytest.mark.skipif(not shutil.which("make"), reason="needs make")
def test_make_setup_keeps_a_deleted_seed_record_deleted(tmp_path):
    """`make setup` for real, twice, on a fresh SQLite database (about 15 s)."""
    base = Path(settings.BASE_DIR)
    database = tmp_path / "atlas.sqlite3"
    env = {name: value for name, value in os.environ.items() if name != "DJANGO_SETTINGS_MODULE"}
    env["DATABASE_URL"] = f"sqlite:///{database}"

    def run(*command):
        result = subprocess.run(
            command, cwd=base, env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    # -o: take .venv as installed (CI's is), never reinstall it from here.
    make_setup = ["make", "--no-print-directory", "setup", "-o", ".venv/.installed"]
    run(*make_setup)
    run(str(base / ".venv" / "bin" / "python"), "manage.py", "shell", "-v", "0", "-c", TAKE_DOWN)
    out = run(*make_setup)

    assert "Content loaded: 0 records added." in out
    with sqlite3.connect(database) as db:
        slugs = {slug for (slug,) in db.execute("SELECT slug FROM practices_practice")}
        reasons = list(db.execute("SELECT reason FROM curation_tombstone"))
    assert "souqona" not in slugs and len(slugs) == 15
    assert reasons == [("Consent withdrawn",)]


def test_the_admin_leaves_a_tombstone_on_delete_and_on_withdrawal(client, db):
    from core.models import Status
    from curation.models import Tombstone
    from practices.models import Practice
    from tests.factories import make_practice
    from tests.test_admin import admin_url, form_data, member_of

    publisher = member_of("Publisher")
    deleted = make_practice(title="Consent withdrawn", scope="global")
    withdrawn = make_practice(title="Legal request", scope="global")
    client.force_login(publisher)
    client.post(
        admin_url(Practice, "delete", deleted.pk), {"post": "yes", "change_reason": "Consent"}
    )
    url = admin_url(Practice, "change", withdrawn.pk)
    assert client.post(url, form_data(client.get(url), status="withdrawn")).status_code == 302
    stones = {t.object_repr: t for t in Tombstone.objects.all()}
    assert stones["Consent withdrawn"].kind == Tombstone.Kind.DELETED
    assert stones["Consent withdrawn"].reason == "Consent"
    assert stones["Consent withdrawn"].taken_down_by == publisher
    assert stones["Legal request"].kind == Tombstone.Kind.WITHDRAWN
    # Published again by a publisher: no longer down.
    assert client.post(url, form_data(client.get(url), status="published")).status_code == 302
    assert not Tombstone.objects.filter(object_repr="Legal request").exists()
    assert Practice.objects.get(pk=withdrawn.pk).status == Status.PUBLISHED
