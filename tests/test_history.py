"""History: every change recorded with who, when, why and what; revert and recovery through the
admin; the public change log."""

import re

from django.contrib.contenttypes.models import ContentType
from django.template import Context, Template
from reversion.models import Version

from core.models import Status
from movements.models import Figure, Movement
from practices.models import Country, Practice
from tests.factories import make_organisation, make_practice
from tests.test_admin import (
    admin_url,
    errors_in,
    form_data,
    inline_prefix,
    make_movement,
    make_principle,
    save_in_admin,
)


def add_practice(client, **fields):
    """Add a practice through the admin as the logged-in user; returns it."""
    url = admin_url(Practice, "add")
    data = form_data(client.get(url), **{"scope": "global", **fields})
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    return Practice.objects.get(slug=fields["slug"])


def history_rows(client, record):
    response = client.get(admin_url(type(record), "history", record.pk))
    assert response.status_code == 200
    return response, response.context["history_rows"]


def test_a_change_records_who_when_why_and_which_fields(client, editor):
    client.force_login(editor)
    practice = add_practice(client, title="Women lead", slug="women-lead", tags=[], new_tags="land")
    save_in_admin(
        client,
        practice,
        title="Women lead in emergencies",
        tags=[],
        new_tags="land, water",
        change_reason="Title as in the source",
    )
    latest = Version.objects.get_for_object(practice).order_by("-pk").first()
    assert latest.revision.user == editor
    assert latest.revision.comment == "Title as in the source"
    assert latest.field_dict["title"] == "Women lead in emergencies"

    response, rows = history_rows(client, practice)
    assert len(rows) == 2
    changed = {change["field"]: change for change in rows[0]["changes"]}
    assert set(changed) == {"title", "tags"}
    assert (changed["title"]["old"], changed["title"]["new"]) == (
        "Women lead",
        "Women lead in emergencies",
    )
    assert (changed["tags"]["old"], changed["tags"]["new"]) == ("land", "land, water")
    html = response.content.decode()
    assert "Title as in the source" in html
    assert "editor" in html
    assert "<del>Women lead</del>" in html
    assert "Revert to this version" in html


def test_adding_records_a_first_version_with_every_field_given(client, editor):
    client.force_login(editor)
    practice = add_practice(client, title="Women lead", slug="women-lead", countries=["KE"])
    _response, [row] = history_rows(client, practice)
    assert row["revision"].comment == "Added."
    fields = {change["field"] for change in row["changes"]}
    assert {"title", "slug", "countries", "status"} <= fields


def test_a_long_text_change_is_shown_as_a_word_diff(client, editor):
    client.force_login(editor)
    body = " ".join(f"word{n}" for n in range(60))
    practice = add_practice(client, title="Long", slug="long", body=body)
    save_in_admin(client, practice, body=body.replace("word30", "changed30"))
    response, rows = history_rows(client, practice)
    diff = str(next(c["diff"] for c in rows[0]["changes"] if c["field"] == "body"))
    assert "<del>word30</del> <ins>changed30</ins>" in diff
    assert "word0 " not in diff  # far from the change: left out


def test_revert_through_the_admin_restores_old_fields_tags_and_links(client, publisher):
    client.force_login(publisher)
    practice = add_practice(
        client, title="Original", slug="original", tags=[], new_tags="land, water", countries=["KE"]
    )
    movement = make_movement()
    url = admin_url(Practice, "change", practice.pk)
    page = client.get(url)
    links = inline_prefix(page, Movement.practices.through)
    save_in_admin(
        client,
        practice,
        title="Mistaken",
        tags=[],
        new_tags="fire",
        countries=["UG"],
        **{f"{links}-TOTAL_FORMS": "1", f"{links}-0-movement": str(movement.pk)},
    )
    assert list(practice.movements.all()) == [movement]

    _response, rows = history_rows(client, practice)
    first_version = rows[-1]
    revert_page = client.get(first_version["revert_url"])
    assert revert_page.status_code == 200
    assert "Original" in revert_page.content.decode()
    # Looking at an old version changes nothing.
    practice.refresh_from_db()
    assert practice.title == "Mistaken"

    data = form_data(revert_page, change_reason="The edit was a mistake")
    response = client.post(first_version["revert_url"], data)
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.title == "Original"
    assert set(practice.tags.names()) == {"land", "water"}
    assert list(practice.countries.values_list("code", flat=True)) == ["KE"]
    assert not practice.movements.exists()
    latest = Version.objects.get_for_object(practice).order_by("-pk").first()
    assert latest.revision.comment.startswith("Reverted to previous version")
    assert latest.revision.comment.endswith(": The edit was a mistake")
    assert latest.revision.user == publisher


def test_revert_restores_a_movements_figures(client, publisher):
    client.force_login(publisher)
    movement = make_movement()
    url = admin_url(Movement, "change", movement.pk)
    prefix = client.get(url).context["inline_admin_formsets"][0].formset.prefix
    figure = {f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-0-measure": "members"}
    save_in_admin(client, movement, **figure, **{f"{prefix}-0-value": "200000"})
    save_in_admin(client, movement, **{f"{prefix}-0-value": "300"})
    assert Figure.objects.get().value == 300

    _response, rows = history_rows(client, movement)
    revert_url = rows[1]["revert_url"]
    assert client.post(revert_url, form_data(client.get(revert_url))).status_code == 302
    assert Figure.objects.get().value == 200000


def test_a_deleted_practice_is_recovered_with_its_tags_countries_and_links(client, publisher):
    kenya, uganda = Country.objects.filter(code__in=["KE", "UG"])
    care = make_organisation(name="CARE")
    practice = make_practice(
        title="Gone", countries=[kenya, uganda], organisations=[care], tags=["land", "water"]
    )
    movement = make_movement()
    movement.practices.add(practice)
    principle = make_principle()
    principle.practices.add(practice)
    pk = practice.pk

    client.force_login(publisher)
    response = client.post(
        admin_url(Practice, "delete", pk), {"post": "yes", "change_reason": "Duplicate entry"}
    )
    assert response.status_code == 302
    assert not Practice.objects.filter(pk=pk).exists()
    assert not movement.practices.exists()

    recover_list = client.get(admin_url(Practice, "recoverlist"))
    html = recover_list.content.decode()
    assert "Gone" in html and "Deleted: Duplicate entry" in html and "publisher" in html
    [deleted] = recover_list.context["deleted"]
    recover_url = admin_url(Practice, "recover", deleted.pk)
    page = client.get(recover_url)
    assert page.status_code == 200
    assert not Practice.objects.filter(pk=pk).exists()  # looking restores nothing

    response = client.post(recover_url, form_data(page, change_reason="Not a duplicate"))
    assert response.status_code == 302, errors_in(response)
    practice = Practice.objects.get(pk=pk)
    assert practice.title == "Gone"
    assert set(practice.tags.names()) == {"land", "water"}
    assert set(practice.countries.values_list("code", flat=True)) == {"KE", "UG"}
    assert list(practice.organisations.all()) == [care]
    assert list(practice.movements.all()) == [movement]
    assert list(practice.principles.all()) == [principle]
    assert set(practice.regions.values_list("name", flat=True)) >= {"Eastern Africa", "Africa"}


def test_deleting_records_who_deleted_it(client, publisher):
    practice = make_practice()
    client.force_login(publisher)
    client.post(
        admin_url(Practice, "changelist"),
        {"action": "delete_selected", "_selected_action": [practice.pk], "post": "yes"},
    )
    last = Version.objects.get_for_object_reference(Practice, practice.pk).get()
    assert (last.revision.comment, last.revision.user) == ("Deleted", publisher)


def test_an_editor_reverting_or_recovering_does_not_publish(client, editor, publisher):
    client.force_login(publisher)
    practice = add_practice(client, title="Was published", slug="was", status="published")
    save_in_admin(client, practice, status="draft")

    client.force_login(editor)
    _response, rows = history_rows(client, practice)
    published_version = rows[-1]["revert_url"]
    client.post(published_version, form_data(client.get(published_version)))
    practice.refresh_from_db()
    assert practice.status == Status.DRAFT

    client.force_login(publisher)
    save_in_admin(client, practice, status="published")
    client.post(admin_url(Practice, "delete", practice.pk), {"post": "yes"})
    client.force_login(editor)
    [deleted] = client.get(admin_url(Practice, "recoverlist")).context["deleted"]
    recover_url = admin_url(Practice, "recover", deleted.pk)
    assert client.post(recover_url, form_data(client.get(recover_url))).status_code == 302
    assert Practice.objects.get(pk=practice.pk).status == Status.DRAFT


def test_each_record_of_a_bulk_action_gets_its_own_revision(client, publisher):
    practices = [make_practice(status=Status.DRAFT), make_practice(status=Status.DRAFT)]
    client.force_login(publisher)
    client.post(
        admin_url(Practice, "changelist"),
        {"action": "publish", "_selected_action": [p.pk for p in practices]},
    )
    revisions = {Version.objects.get_for_object(p).get().revision for p in practices}
    assert len(revisions) == 2
    assert {(r.comment, r.user) for r in revisions} == {("Published", publisher)}


def test_organisations_themes_and_approaches_keep_history_too(client, publisher, admin_user):
    client.force_login(admin_user)
    organisation = make_organisation(name="Care")
    save_in_admin(client, organisation, name="CARE International", change_reason="Full name")
    [version] = Version.objects.get_for_object(organisation)
    assert (version.field_dict["name"], version.revision.comment) == (
        "CARE International",
        "Full name",
    )


# The public change log.

CHANGE_LOG = Template("{% load history %}{% change_log record %}")


def change_log_entries(record):
    html = CHANGE_LOG.render(Context({"record": record}))
    return re.findall(r"<li><time[^>]*>[^<]+</time>: ([^<]+)</li>", html)


def test_the_change_log_lists_published_changes_with_their_reasons(client, publisher):
    client.force_login(publisher)
    practice = add_practice(client, title="Draft", slug="draft", change_reason="First draft")
    save_in_admin(client, practice, status="published", change_reason="Checked against the source")
    save_in_admin(client, practice, summary="Clearer.", change_reason="Summary rewritten")
    save_in_admin(client, practice, status="withdrawn", change_reason="Programme ended")
    assert change_log_entries(practice) == ["Summary rewritten", "Checked against the source"]


def test_the_change_log_is_empty_without_published_changes(db):
    practice = make_practice(status=Status.DRAFT)
    assert CHANGE_LOG.render(Context({"record": practice})).strip() == ""


def test_the_change_log_takes_one_query(client, publisher, django_assert_num_queries):
    client.force_login(publisher)
    practice = add_practice(client, title="Often changed", slug="often", status="published")
    for n in range(5):
        save_in_admin(client, practice, summary=f"Version {n}", change_reason=f"Edit {n}")
    ContentType.objects.clear_cache()
    with django_assert_num_queries(1):
        entries = change_log_entries(practice)
    assert entries == [f"Edit {n}" for n in reversed(range(5))] + ["Added."]


def test_movements_and_principles_have_a_change_log_too(client, publisher):
    client.force_login(publisher)
    for record in [make_movement(), make_principle()]:
        save_in_admin(client, record, status="published", change_reason="Reviewed")
        assert change_log_entries(record) == ["Reviewed"]
        assert client.get(admin_url(type(record), "history", record.pk)).status_code == 200


def test_record_pages_show_their_public_change_log(client, publisher):
    client.force_login(publisher)
    practice = add_practice(client, title="Shown", slug="shown", change_reason="First draft")
    save_in_admin(client, practice, status="published", change_reason="Checked against the source")
    client.logout()
    html = client.get(practice.get_absolute_url()).content.decode()
    assert "Change log" in html
    assert "Checked against the source" in html
    assert "First draft" not in html  # made while still a draft
