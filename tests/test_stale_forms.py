"""No lost update: a save from a form built on an older state of the record is refused, says
what changed meanwhile and keeps the user's input; two adds with one slug are a form error."""

import pytest
from django.db import IntegrityError

from core.models import Status
from curation.models import PendingChange
from practices.admin import PracticeAdmin, PracticeForm
from practices.models import Practice
from tests.factories import make_practice
from tests.test_admin import admin_url, errors_in, form_data, member_of


def test_the_second_of_two_curators_is_told_what_changed_and_keeps_their_input(client, publisher):
    practice = make_practice(title="Women lead", summary="First summary.", scope="global")
    other = member_of("Publisher", "second-publisher")
    url = admin_url(Practice, "change", practice.pk)
    client.force_login(publisher)
    first_form = client.get(url)
    client.force_login(other)
    second_form = client.get(url)

    client.force_login(publisher)
    assert client.post(url, form_data(first_form, title="Women lead in Kenya")).status_code == 302
    client.force_login(other)
    refused = client.post(url, form_data(second_form, summary="Second summary."))
    assert refused.status_code == 200
    messages = " ".join(errors_in(refused))
    assert "Someone else saved this record after you opened it" in messages
    assert "title: “Women lead” → “Women lead in Kenya”" in messages
    html = refused.content.decode()
    assert "Second summary." in html  # the user's input is kept on the form
    practice.refresh_from_db()
    assert (practice.title, practice.summary) == ("Women lead in Kenya", "First summary.")

    # Saving the re-shown form is deliberate: it goes through.
    assert client.post(url, form_data(refused)).status_code == 302
    practice.refresh_from_db()
    assert practice.summary == "Second summary."


def test_a_form_without_its_state_or_with_a_forged_one_is_refused(client, publisher):
    practice = make_practice(title="Women lead", scope="global")
    url = admin_url(Practice, "change", practice.pk)
    client.force_login(publisher)
    data = form_data(client.get(url), title="Forged")
    for state in ([], ["not-a-signed-state"], [data["state"][0] + "x"]):
        response = client.post(url, {**data, "state": state})
        assert response.status_code == 200
        assert "out of date" in " ".join(errors_in(response))
    practice.refresh_from_db()
    assert practice.title == "Women lead"


def test_two_editors_proposing_changes_do_not_overwrite_each_other(client, editor):
    practice = make_practice(title="Women lead", scope="global")
    second = member_of("Editor", "second-editor")
    url = admin_url(Practice, "change", practice.pk)
    client.force_login(editor)
    first_form = client.get(url)
    client.force_login(second)
    second_form = client.get(url)
    client.force_login(editor)
    assert client.post(url, form_data(first_form, title="Proposal one")).status_code == 302
    client.force_login(second)
    refused = client.post(url, form_data(second_form, summary="Proposal two"))
    assert refused.status_code == 200
    assert "Proposal one" in " ".join(errors_in(refused))
    assert PendingChange.objects.get().changes() == {"title": "Proposal one"}


def test_a_tag_with_quotes_or_commas_survives_an_unchanged_save(client, publisher):
    practice = make_practice(scope="global", tags=['say "no" to violence', "land, water"])
    client.force_login(publisher)
    url = admin_url(Practice, "change", practice.pk)
    assert client.post(url, form_data(client.get(url))).status_code == 302
    assert set(practice.tags.names()) == {'say "no" to violence', "land, water"}


def test_two_adds_with_the_same_slug_give_a_form_error_not_a_failure(
    client, publisher, monkeypatch
):
    client.force_login(publisher)
    url = admin_url(Practice, "add")
    data = form_data(client.get(url), title="Same", slug="same", scope="global")
    # Another curator's practice with that slug is committed after this form's check ran.
    make_practice(title="Other", slug="same", status=Status.DRAFT)
    validate_unique = PracticeForm.validate_unique
    checks = []

    def check_before_the_other_commit(form):
        checks.append(form)
        if len(checks) > 1:
            validate_unique(form)

    monkeypatch.setattr(PracticeForm, "validate_unique", check_before_the_other_commit)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Practice with this Slug already exists." in errors_in(response)
    assert list(Practice.objects.filter(slug="same").values_list("title", flat=True)) == ["Other"]


def test_the_integrity_error_of_a_race_is_not_hidden_when_it_has_another_cause(
    client, publisher, monkeypatch
):
    client.force_login(publisher)
    url = admin_url(Practice, "add")
    data = form_data(client.get(url), title="Fine", slug="fine", scope="global")

    def always_fails(self, request, obj, form, change):
        raise IntegrityError("broken")

    monkeypatch.setattr(PracticeAdmin, "save_model", always_fails)
    with pytest.raises(IntegrityError):
        client.post(url, data)
