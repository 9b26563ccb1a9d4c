"""Changes awaiting review: an editor's edit to a published record stays off the site, with every
part of it (fields, tags, links), until a publisher approves it; sent back, the editor sees why."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from taggit.models import Tag

from core.models import Status
from curation.models import PendingChange
from guidance.models import Principle
from movements.models import Movement
from practices.models import Country, Organisation, Practice
from tests.factories import make_organisation, make_practice
from tests.test_admin import (
    admin_url,
    inline_prefix,
    make_movement,
    make_principle,
    save_in_admin,
)


@pytest.fixture
def live_practice(db):
    kenya = Country.objects.get(code="KE")
    return make_practice(
        title="Savings groups in Kenya",
        slug="savings-groups",
        summary="Women save together.",
        countries=[kenya],
        tags=["savings"],
    )


def review_url(change):
    return reverse("admin:curation_pendingchange_change", args=[change.pk])


def review(client, change, button, comment=""):
    page = client.get(review_url(change))
    assert page.status_code == 200
    data = {"token": page.context["form"]["token"].initial, "comment": comment, button: "1"}
    return client.post(review_url(change), data)


def public_texts(client, practice_slug):
    """What visitors see of the practice: its page, a search, the CSV export and the feed."""
    page = client.get(reverse("practices:practice-detail", args=[practice_slug])).content.decode()
    search = client.get(reverse("atlas:search"), {"q": "cooperatives"}).content.decode()
    export_response = client.get(reverse("practices:practice-list"), {"format": "csv"})
    export = b"".join(export_response.streaming_content).decode()
    feed = client.get(reverse("practices:practice-feed")).content.decode()
    return page, search, export, feed


def test_an_editors_change_to_a_published_practice_waits_for_a_publisher(
    client, editor, publisher, live_practice
):
    movement = make_movement(status=Status.PUBLISHED)
    client.force_login(editor)
    url = admin_url(Practice, "change", live_practice.pk)
    links = inline_prefix(client.get(url), Movement.practices.through)
    save_in_admin(
        client,
        live_practice,
        title="Savings cooperatives in Kenya",
        summary="Women run cooperatives.",
        tags=[],
        new_tags="savings, cooperatives",
        countries=["KE", "UG"],
        change_reason="Title as in the source",
        **{f"{links}-TOTAL_FORMS": "1", f"{links}-0-movement": str(movement.pk)},
    )

    # Nothing public changed: the record, its page, search, export and feed.
    live_practice.refresh_from_db()
    assert live_practice.title == "Savings groups in Kenya"
    assert set(live_practice.tags.names()) == {"savings"}
    assert list(live_practice.countries.values_list("code", flat=True)) == ["KE"]
    assert not live_practice.movements.exists()
    client.logout()
    page, search, export, feed = public_texts(client, "savings-groups")
    assert "Savings groups in Kenya" in page and "cooperatives" not in page.lower()
    assert "Savings cooperatives" not in search
    assert "Savings groups in Kenya" in export and "Savings cooperatives" not in export
    assert "Savings cooperatives" not in feed

    # The editor reopening the record sees their change, and that it awaits review.
    client.force_login(editor)
    form_page = client.get(url)
    html = form_page.content.decode()
    assert 'value="Savings cooperatives in Kenya"' in html
    assert "not the published version" in html
    assert form_page.context["adminform"].form.initial["summary"] == "Women run cooperatives."

    # The publisher's queue lists it with the reason and a diff of every part.
    client.force_login(publisher)
    queue = client.get(reverse("admin:curation_pendingchange_changelist")).content.decode()
    assert "Savings groups in Kenya" in queue and "Title as in the source" in queue
    change = PendingChange.objects.get()
    assert change.proposed_by == editor
    review_page = client.get(review_url(change))
    diff = {label: (old, new) for label, old, new in review_page.context["diff"]}
    assert diff["title"] == ("Savings groups in Kenya", "Savings cooperatives in Kenya")
    assert diff["tags"] == ("savings", "cooperatives, savings")
    assert diff["countries"] == ("Kenya", "Kenya, Uganda")
    assert diff["movements"] == ("", movement.name)
    assert "body" not in diff
    # The publisher's own form shows the published version, with a link to the review.
    publisher_form = client.get(url).content.decode()
    assert 'value="Savings groups in Kenya"' in publisher_form
    assert review_url(change) in publisher_form

    assert review(client, change, "_approve").status_code == 302
    live_practice.refresh_from_db()
    assert live_practice.title == "Savings cooperatives in Kenya"
    assert set(live_practice.tags.names()) == {"savings", "cooperatives"}
    assert set(live_practice.countries.values_list("code", flat=True)) == {"KE", "UG"}
    assert list(live_practice.movements.all()) == [movement]
    assert not PendingChange.objects.exists()
    client.logout()
    page, search, export, feed = public_texts(client, "savings-groups")
    assert "Savings cooperatives in Kenya" in page
    assert "Title as in the source" in page  # the reason, in the public change log
    assert "Savings cooperatives in Kenya" in search
    assert "Savings cooperatives in Kenya" in export
    assert "Savings cooperatives in Kenya" in feed


def test_a_change_sent_back_shows_the_publishers_comment_to_the_editor(
    client, editor, publisher, live_practice
):
    client.force_login(editor)
    save_in_admin(client, live_practice, summary="Unsourced claim.")
    change = PendingChange.objects.get()
    client.force_login(publisher)
    # A comment is needed to send a change back.
    refused = review(client, change, "_send_back")
    assert refused.status_code == 200
    assert "Say why" in refused.content.decode()
    assert review(client, change, "_send_back", comment="Which page says so?").status_code == 302
    change.refresh_from_db()
    assert (change.state, change.reviewed_by) == (PendingChange.State.RETURNED, publisher)

    client.force_login(editor)
    html = client.get(admin_url(Practice, "change", live_practice.pk)).content.decode()
    assert "Which page says so?" in html and "Sent back by publisher" in html
    live_practice.refresh_from_db()
    assert live_practice.summary == "Women save together."
    # Editing again puts it back in the queue, without the old comment.
    save_in_admin(client, live_practice, summary="Women save together, as page 4 says.")
    change.refresh_from_db()
    assert (change.state, change.review_comment) == (PendingChange.State.AWAITING, "")


def test_an_editor_cannot_approve_or_send_back(client, editor, live_practice):
    client.force_login(editor)
    save_in_admin(client, live_practice, title="Retitled by an editor")
    change = PendingChange.objects.get()
    page = client.get(review_url(change))
    assert page.status_code == 200 and "Approve" not in page.content.decode()
    token = page.context["form"]["token"].initial
    forged = client.post(review_url(change), {"token": token, "_approve": "1"})
    assert forged.status_code == 403
    live_practice.refresh_from_db()
    assert live_practice.title == "Savings groups in Kenya"
    assert PendingChange.objects.filter(pk=change.pk).exists()


def test_a_reviewer_approves_only_the_change_they_saw(client, editor, publisher, live_practice):
    client.force_login(editor)
    save_in_admin(client, live_practice, title="First proposal")
    change = PendingChange.objects.get()
    client.force_login(publisher)
    token = client.get(review_url(change)).context["form"]["token"].initial
    client.force_login(editor)
    save_in_admin(client, live_practice, title="Second proposal")
    client.force_login(publisher)
    response = client.post(review_url(change), {"token": token, "_approve": "1"})
    assert response.status_code == 200
    assert "edited after you opened it" in response.content.decode()
    live_practice.refresh_from_db()
    assert live_practice.title == "Savings groups in Kenya"


def test_a_publishers_own_edit_goes_live_and_keeps_the_pending_change(
    client, editor, publisher, live_practice
):
    client.force_login(editor)
    save_in_admin(client, live_practice, summary="Editor's summary.")
    client.force_login(publisher)
    save_in_admin(client, live_practice, title="Publisher's title")
    live_practice.refresh_from_db()
    assert live_practice.title == "Publisher's title"
    change = PendingChange.objects.get()
    # Approving applies what the editor changed, on top of the publisher's edit.
    assert review(client, change, "_approve").status_code == 302
    live_practice.refresh_from_db()
    assert (live_practice.title, live_practice.summary) == (
        "Publisher's title",
        "Editor's summary.",
    )


def test_an_edit_back_to_the_published_state_drops_the_pending_change(
    client, editor, live_practice
):
    client.force_login(editor)
    save_in_admin(client, live_practice, title="Temporary")
    assert PendingChange.objects.exists()
    save_in_admin(client, live_practice, title="Savings groups in Kenya")
    assert not PendingChange.objects.exists()


def test_an_editor_changes_a_draft_at_once(client, editor):
    draft = make_practice(status=Status.DRAFT, scope="global")
    client.force_login(editor)
    save_in_admin(client, draft, title="Draft retitled")
    draft.refresh_from_db()
    assert draft.title == "Draft retitled"
    assert not PendingChange.objects.exists()


def test_movements_principles_organisations_and_tags_wait_for_review_too(client, editor, publisher):
    movement = make_movement(status=Status.PUBLISHED)
    principle = make_principle(status=Status.PUBLISHED)
    organisation = make_organisation(name="GROOTS Kenya")
    tag = Tag.objects.create(name="land", slug="land")
    make_practice(organisations=[organisation], tags=["land"], scope="global")
    client.force_login(editor)
    save_in_admin(client, movement, name="Renamed movement")
    save_in_admin(client, principle, title="Renamed principle")
    save_in_admin(client, organisation, name="Renamed organisation")
    save_in_admin(client, tag, name="renamed tag")

    assert Movement.objects.get(pk=movement.pk).name == "Women's Land Network"
    assert Principle.objects.get(pk=principle.pk).title == "Follow their lead"
    assert Organisation.objects.get(pk=organisation.pk).name == "GROOTS Kenya"
    assert Tag.objects.get(pk=tag.pk).name == "land"
    assert PendingChange.objects.count() == 4

    client.force_login(publisher)
    for change in PendingChange.objects.all():
        assert review(client, change, "_approve").status_code == 302
    assert Movement.objects.get(pk=movement.pk).name == "Renamed movement"
    assert Principle.objects.get(pk=principle.pk).title == "Renamed principle"
    assert Organisation.objects.get(pk=organisation.pk).name == "Renamed organisation"
    assert Tag.objects.get(pk=tag.pk).name == "renamed tag"


def test_the_queue_is_only_seen_by_staff(client, editor, live_practice):
    client.force_login(editor)
    save_in_admin(client, live_practice, title="Proposed")
    change = PendingChange.objects.get()
    client.logout()
    assert client.get(review_url(change)).status_code == 302  # to the login page
    nobody = get_user_model().objects.create_user("nobody", password="pw", is_staff=True)
    client.force_login(nobody)
    assert client.get(review_url(change)).status_code == 404
    assert client.post(review_url(change), {"_approve": "1"}).status_code == 404


def test_an_editor_edits_again_a_pending_change_that_adds_links_and_figures(
    client, editor, publisher, live_practice
):
    movement = make_movement(status=Status.PUBLISHED)
    client.force_login(editor)
    url = admin_url(Practice, "change", live_practice.pk)
    links = inline_prefix(client.get(url), Movement.practices.through)
    save_in_admin(
        client, live_practice, **{f"{links}-TOTAL_FORMS": "1", f"{links}-0-movement": movement.pk}
    )
    # Reopened, the form shows the proposed link, and saving it again keeps it.
    save_in_admin(client, live_practice, title="Second edit")
    movement_url = admin_url(Movement, "change", movement.pk)
    figures = client.get(movement_url).context["inline_admin_formsets"][0].formset.prefix
    figure = {f"{figures}-TOTAL_FORMS": "1", f"{figures}-0-measure": "members"}
    save_in_admin(client, movement, **figure, **{f"{figures}-0-value": "300"})
    save_in_admin(client, movement, **{f"{figures}-0-value": "400"})
    assert not movement.figures.exists()

    client.force_login(publisher)
    for change in PendingChange.objects.all():
        assert review(client, change, "_approve").status_code == 302
    assert list(live_practice.movements.all()) == [movement]
    assert Practice.objects.get(pk=live_practice.pk).title == "Second edit"
    assert list(movement.figures.values_list("measure", "value")) == [("members", 400)]


def test_an_editors_bulk_tag_on_published_records_waits_for_review(
    client, editor, publisher, live_practice
):
    draft = make_practice(status=Status.DRAFT, scope="global")
    client.force_login(editor)
    save_in_admin(client, live_practice, summary="Pending summary.")
    response = client.post(
        admin_url(Practice, "changelist"),
        {
            "action": "add_tag",
            "_selected_action": [live_practice.pk, draft.pk],
            "tag": "water",
            "apply": "1",
        },
        follow=True,
    )
    assert "1 of them is published: the tag awaits a publisher" in response.content.decode()
    assert set(draft.tags.names()) == {"water"}
    assert set(live_practice.tags.names()) == {"savings"}
    change = PendingChange.objects.get()
    assert change.changes() == {"summary": "Pending summary.", "tags": ["savings", "water"]}
    client.force_login(publisher)
    assert review(client, change, "_approve").status_code == 302
    assert set(live_practice.tags.names()) == {"savings", "water"}


def test_deleting_a_record_drops_its_change_awaiting_review(
    client, editor, publisher, live_practice
):
    client.force_login(editor)
    save_in_admin(client, live_practice, title="Proposed")
    client.force_login(publisher)
    client.post(admin_url(Practice, "delete", live_practice.pk), {"post": "yes"})
    assert not PendingChange.objects.exists()
