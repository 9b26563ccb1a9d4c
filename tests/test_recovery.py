"""Revert and recovery act on one record of the admin's own model, within the user's permissions:
forged version ids change nothing, a bulk delete's records come back one at a time, an editor's
recovery is a draft and an editor's revert of a live record waits for review."""

import reversion
from django.contrib.contenttypes.models import ContentType
from reversion.models import Version
from taggit.models import Tag

from core.models import Status
from curation.models import PendingChange
from movements.models import Movement
from practices.models import Approach, Practice
from tests.factories import make_approach, make_practice
from tests.test_admin import admin_url, form_data, make_movement, save_in_admin


def with_first_version(record):
    """`record` with its first state in history, as records the admin adds have."""
    with reversion.create_revision():
        reversion.add_to_revision(record)
    return record


def delete(client, *records, reason=""):
    model = type(records[0])
    client.post(
        admin_url(model, "changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [r.pk for r in records],
            "post": "yes",
            "change_reason": reason,
        },
    )
    assert not model.objects.filter(pk__in=[r.pk for r in records]).exists()


def deleted_version(model, pk):
    return Version.objects.get_deleted(model).get(object_id=str(pk))


def database_state():
    """Every practice, movement and approach as it is, to show a forged request changed nothing."""
    return (
        sorted(Practice.objects.values_list("pk", "title", "status")),
        sorted(Movement.objects.values_list("pk", "name", "status")),
        sorted(Approach.objects.values_list("pk", "name")),
    )


def test_a_forged_recover_of_another_record_or_model_changes_nothing(
    client, editor, publisher, admin_user
):
    live = make_practice(title="Live practice", scope="global")
    approach = make_approach(name="Approach as it is")
    client.force_login(publisher)
    save_in_admin(client, live, title="Live practice, retitled")
    client.force_login(admin_user)
    save_in_admin(client, approach, name="Approach renamed")  # publishers may only view approaches
    client.force_login(publisher)
    movement = make_movement(status=Status.PUBLISHED)
    save_in_admin(client, movement, name="Movement renamed")
    gone = make_movement(name="Taken down", slug="taken-down", status=Status.PUBLISHED)
    save_in_admin(client, gone, acronym="TD")
    delete(client, gone, reason="Legal request")
    before = database_state()

    client.force_login(editor)
    other_versions = [
        *Version.objects.get_for_object(live),  # a practice that is not deleted
        *Version.objects.get_for_model(Approach),
        *Version.objects.get_for_model(Movement),  # of another model, deleted one included
    ]
    assert other_versions
    for version in other_versions:
        url = admin_url(Practice, "recover", version.pk)
        assert client.get(url).status_code == 404
        assert client.post(url, {"title": "Forged", "slug": "forged"}).status_code == 404
    assert database_state() == before
    assert not Movement.objects.filter(slug="taken-down").exists()


def test_a_forged_revert_with_another_records_version_changes_nothing(client, editor, publisher):
    first = make_practice(title="First", scope="global", status=Status.DRAFT)
    second = make_practice(title="Second", scope="global", status=Status.DRAFT)
    client.force_login(publisher)
    save_in_admin(client, second, title="Second, retitled")
    before = database_state()
    client.force_login(editor)
    for version in Version.objects.get_for_object(second):
        url = admin_url(Practice, "revision", first.pk, version.pk)
        assert client.get(url).status_code == 404
        assert client.post(url, {"title": "Forged"}).status_code == 404
    assert database_state() == before


def test_an_editor_cannot_revert_what_they_may_only_view(client, editor, admin_user):
    approach = make_approach(name="Original approach")
    client.force_login(admin_user)
    save_in_admin(client, approach, name="Second name")
    version = Version.objects.get_for_object(approach).order_by("pk").first()
    client.force_login(editor)
    url = admin_url(Approach, "revision", approach.pk, version.pk)
    assert client.post(url, form_data(client.get(url))).status_code == 403
    approach.refresh_from_db()
    assert approach.name == "Second name"


def test_recovering_one_record_of_a_bulk_delete_brings_back_that_one_as_a_draft(
    client, editor, publisher
):
    takedown = make_practice(title="Consent withdrawn", scope="global")
    duplicate = make_practice(title="Deleted by mistake", scope="global")
    client.force_login(publisher)
    delete(client, takedown, duplicate, reason="Legal takedown and a duplicate")

    client.force_login(editor)
    version = deleted_version(Practice, duplicate.pk)
    url = admin_url(Practice, "recover", version.pk)
    page = client.get(url)
    assert page.status_code == 200
    assert not Practice.objects.filter(pk=duplicate.pk).exists()  # looking restores nothing
    assert client.post(url, form_data(page)).status_code == 302

    recovered = Practice.objects.get(pk=duplicate.pk)
    assert (recovered.title, recovered.status) == ("Deleted by mistake", Status.DRAFT)
    assert not Practice.objects.filter(pk=takedown.pk).exists()
    # Each record of the bulk delete was kept in a revision of its own.
    assert deleted_version(Practice, takedown.pk).revision_id != version.revision_id


def test_an_editors_revert_of_a_published_practice_waits_for_review(client, editor, publisher):
    practice = with_first_version(make_practice(title="Original title", scope="global"))
    client.force_login(publisher)
    save_in_admin(client, practice, title="Current title")
    client.force_login(editor)
    first = Version.objects.get_for_object(practice).order_by("pk").first()
    url = admin_url(Practice, "revision", practice.pk, first.pk)
    assert client.post(url, form_data(client.get(url))).status_code == 302
    practice.refresh_from_db()
    assert (practice.title, practice.status) == ("Current title", Status.PUBLISHED)
    change = PendingChange.objects.get(
        content_type=ContentType.objects.get_for_model(Practice), object_id=str(practice.pk)
    )
    assert change.changes() == {"title": "Original title"}


def test_reverting_restores_which_tags_a_record_has_without_renaming_any(client, publisher):
    practice = with_first_version(make_practice(title="Tagged", scope="global", tags=["land"]))
    others = [make_practice(scope="global", tags=["land"]) for _ in range(3)]
    client.force_login(publisher)
    save_in_admin(client, practice, tags=[], new_tags="water")
    land = Tag.objects.get(name="land")
    save_in_admin(client, land, name="land rights")  # the tag others use is renamed since

    first = Version.objects.get_for_object(practice).order_by("pk").first()
    url = admin_url(Practice, "revision", practice.pk, first.pk)
    assert client.post(url, form_data(client.get(url))).status_code == 302
    land.refresh_from_db()
    assert land.name == "land rights"
    assert set(Practice.objects.get(pk=practice.pk).tags.names()) == {"land rights"}
    for other in others:
        assert set(other.tags.names()) == {"land rights"}


def test_reverting_a_movement_leaves_other_records_of_its_revisions_alone(client, publisher):
    movement = with_first_version(make_movement(status=Status.PUBLISHED))
    practice = make_practice(title="Linked", scope="global")
    client.force_login(publisher)
    save_in_admin(client, movement, practices=[str(practice.pk)], name="Movement, renamed")
    save_in_admin(client, practice, title="Linked, retitled")
    first = Version.objects.get_for_object(movement).order_by("pk").first()
    url = admin_url(Movement, "revision", movement.pk, first.pk)
    assert client.post(url, form_data(client.get(url))).status_code == 302
    movement.refresh_from_db()
    practice.refresh_from_db()
    assert movement.name == "Women's Land Network"
    assert practice.title == "Linked, retitled"
