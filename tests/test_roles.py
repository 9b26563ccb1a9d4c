"""The Editor and Publisher roles: what each can and cannot do in the admin, and drafts."""

from django.contrib.auth.models import Group
from django.core.management import call_command

from core.models import Status
from guidance.models import Principle
from movements.models import Movement
from practices.models import Country, Practice
from tests.factories import make_practice
from tests.test_admin import admin_url, form_data, make_movement, make_principle


def kenyan_practice(**fields):
    return make_practice(countries=[Country.objects.get(code="KE")], **fields)


def test_setup_roles_creates_both_groups_and_can_run_again(db):
    call_command("setup_roles", verbosity=0)
    first = {group.name: set(group.permissions.all()) for group in Group.objects.all()}
    call_command("setup_roles", verbosity=0)
    again = {group.name: set(group.permissions.all()) for group in Group.objects.all()}
    assert set(first) == {"Editor", "Publisher"}
    assert first == again
    assert first["Editor"] < first["Publisher"]


def test_setup_roles_restores_permissions_removed_by_hand(db):
    call_command("setup_roles", verbosity=0)
    editor = Group.objects.get(name="Editor")
    editor.permissions.clear()
    call_command("setup_roles", verbosity=0)
    assert editor.permissions.filter(codename="change_practice").exists()


def test_editor_permissions(editor):
    granted = {
        "practices.add_practice",
        "practices.change_practice",
        "practices.change_organisation",
        "movements.change_movement",
        "movements.add_figure",
        "guidance.change_principle",
        "taggit.add_tag",
        "practices.view_theme",
    }
    refused = {
        "practices.delete_practice",
        "practices.publish_practice",
        "movements.publish_movement",
        "guidance.publish_principle",
        "movements.delete_movement",
        "auth.add_user",
        "auth.change_user",
        "auth.change_group",
    }
    assert all(editor.has_perm(permission) for permission in granted)
    assert not any(editor.has_perm(permission) for permission in refused)


def test_publisher_has_the_editors_permissions_and_publishes_and_deletes(publisher):
    editor = Group.objects.get(name="Editor")
    for permission in editor.permissions.select_related("content_type"):
        assert publisher.has_perm(f"{permission.content_type.app_label}.{permission.codename}")
    for permission in [
        "practices.publish_practice",
        "movements.publish_movement",
        "guidance.publish_principle",
        "practices.delete_practice",
        "movements.delete_figure",
    ]:
        assert publisher.has_perm(permission)
    assert not publisher.has_perm("auth.change_user")


def test_editor_adds_a_practice_which_stays_a_draft(client, editor):
    client.force_login(editor)
    url = admin_url(Practice, "add")
    page = client.get(url)
    assert 'name="status"' not in page.content.decode()
    data = form_data(
        page, title="Women lead", slug="women-lead", scope="global", status="published"
    )
    assert client.post(url, data).status_code == 302
    practice = Practice.objects.get(slug="women-lead")
    assert practice.status == Status.DRAFT


def test_editor_changes_a_practice_but_not_its_status(client, editor):
    draft = kenyan_practice(status=Status.DRAFT)
    client.force_login(editor)
    url = admin_url(Practice, "change", draft.pk)
    response = client.post(url, form_data(client.get(url), title="Retitled", status="published"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.status) == ("Retitled", Status.DRAFT)


def test_editor_cannot_delete(client, editor):
    practice = kenyan_practice()
    client.force_login(editor)
    assert client.get(admin_url(Practice, "delete", practice.pk)).status_code == 403
    assert (
        client.post(admin_url(Practice, "delete", practice.pk), {"post": "yes"}).status_code == 403
    )
    change_page = client.get(admin_url(Practice, "change", practice.pk)).content.decode()
    assert "deletelink" not in change_page
    client.post(
        admin_url(Practice, "changelist"),
        {"action": "delete_selected", "_selected_action": [practice.pk], "post": "yes"},
    )
    assert Practice.objects.filter(pk=practice.pk).exists()


def test_editor_is_not_offered_and_cannot_run_publish(client, editor):
    draft = kenyan_practice(status=Status.DRAFT)
    client.force_login(editor)
    changelist = client.get(admin_url(Practice, "changelist"))
    actions = [name for name, _label in changelist.context["action_form"].fields["action"].choices]
    assert "add_tag" in actions
    assert not {"publish", "unpublish", "delete_selected"} & set(actions)
    client.post(
        admin_url(Practice, "changelist"), {"action": "publish", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_editor_cannot_publish_movements_or_principles_either(client, editor):
    client.force_login(editor)
    for record in [make_movement(), make_principle()]:
        url = admin_url(type(record), "change", record.pk)
        assert 'name="status"' not in client.get(url).content.decode()
        client.post(
            admin_url(type(record), "changelist"),
            {"action": "publish", "_selected_action": [record.pk]},
        )
    assert not Movement.objects.published().exists()
    assert not Principle.objects.published().exists()


def test_editor_cannot_manage_users(client, editor):
    client.force_login(editor)
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403


def test_publisher_publishes_unpublishes_and_withdraws_in_the_form(client, publisher):
    draft = kenyan_practice(status=Status.DRAFT)
    client.force_login(publisher)
    url = admin_url(Practice, "change", draft.pk)
    for status in [Status.PUBLISHED, Status.DRAFT, Status.WITHDRAWN]:
        assert client.post(url, form_data(client.get(url), status=status)).status_code == 302
        draft.refresh_from_db()
        assert draft.status == status


def test_publisher_publishes_with_the_bulk_action(client, publisher):
    draft = kenyan_practice(status=Status.DRAFT)
    client.force_login(publisher)
    client.post(
        admin_url(Practice, "changelist"), {"action": "publish", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED


def test_publisher_deletes(client, publisher):
    practice = kenyan_practice()
    client.force_login(publisher)
    page = client.get(admin_url(Practice, "delete", practice.pk))
    assert page.status_code == 200
    assert 'name="change_reason"' in page.content.decode()
    response = client.post(admin_url(Practice, "delete", practice.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Practice.objects.filter(pk=practice.pk).exists()


def test_publisher_deletes_in_bulk(client, publisher):
    practices = [kenyan_practice(), kenyan_practice()]
    client.force_login(publisher)
    client.post(
        admin_url(Practice, "changelist"),
        {"action": "delete_selected", "_selected_action": [p.pk for p in practices], "post": "yes"},
    )
    assert not Practice.objects.exists()


def test_a_draft_is_a_404_for_visitors_and_a_preview_for_editors(client, editor):
    draft = kenyan_practice(status=Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(editor)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert draft.title in response.content.decode()
