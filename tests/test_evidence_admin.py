"""Assessments in the admin: any curator proposes a rating, it stays provisional until a second
reviewer with the publish permission confirms it, and no forged form gets round that."""

import pytest
from django.contrib.auth.models import Group

from curation.models import PendingChange
from evidence.models import Assessment, Outcome, Study
from evidence.rubric import Direction, Level
from tests.factories import admin_url, make_practice, member_of
from tests.test_admin import errors_in, form_data
from tests.test_evidence_models import make_assessment, make_outcome, make_study


@pytest.fixture
def second_publisher(db):
    return member_of("Publisher", "second-publisher")


def proposal(practice, outcome, study, **fields):
    return {
        "practice": practice.pk,
        "outcome": outcome.pk,
        "level": Level.PRACTICE_BASED,
        "direction": Direction.POSITIVE,
        "studies": [study.pk],
        "findings": "The organisation reports that members grew in confidence.",
        "change_reason": "From its own report",
        **fields,
    }


def public_page(client, practice):
    """The practice's page as a visitor sees it."""
    client.logout()
    return client.get(practice.get_absolute_url()).content.decode()


def confirm(client, *assessments):
    return client.post(
        admin_url(Assessment, "changelist"),
        {"action": "confirm", "_selected_action": [a.pk for a in assessments]},
        follow=True,
    )


def test_an_editor_proposes_an_assessment_which_stays_provisional(client, editor):
    practice, outcome, study = make_practice(), make_outcome(), make_study()
    client.force_login(editor)
    response = client.post(admin_url(Assessment, "add"), proposal(practice, outcome, study))
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert (assessment.reviewer, assessment.confirmed_by, assessment.confirmed_at) == (
        editor,
        None,
        None,
    )
    assert list(assessment.studies.all()) == [study]
    assert "Outcomes and evidence" not in public_page(client, practice)


def test_an_editor_cannot_confirm_even_with_a_forged_form(client, editor, publisher):
    practice, outcome, study = make_practice(), make_outcome(), make_study()
    client.force_login(editor)
    forged = proposal(
        practice,
        outcome,
        study,
        reviewer=publisher.pk,
        confirmed_by=publisher.pk,
        confirmed_at="2026-01-01 10:00:00",
        rubric_version="9",
    )
    assert client.post(admin_url(Assessment, "add"), forged).status_code == 302
    assessment = Assessment.objects.get()
    assert (assessment.reviewer, assessment.confirmed_by) == (editor, None)
    assert assessment.rubric_version == "1"

    # The confirm action is not offered to an editor, and posting it anyway does nothing.
    changelist = client.get(admin_url(Assessment, "changelist"))
    action_form = changelist.context["action_form"]  # None: no action at all for an editor
    assert action_form is None or "confirm" not in dict(action_form.fields["action"].choices)
    confirm(client, assessment)
    # Nor does a change form posted with the confirmation fields.
    url = admin_url(Assessment, "change", assessment.pk)
    client.post(url, form_data(client.get(url), confirmed_by=editor.pk, confirmed_at="2026-01-01"))
    assessment.refresh_from_db()
    assert assessment.confirmed_at is None and assessment.confirmed_by is None
    assert not Assessment.objects.confirmed().exists()


def test_the_reviewer_cannot_confirm_their_own_assessment(client, publisher):
    assessment = make_assessment(reviewer=publisher, studies=[make_study()])
    client.force_login(publisher)
    response = confirm(client, assessment)
    assert "A second reviewer must confirm an assessment" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.confirmed_at is None


def test_a_second_reviewer_confirms_and_the_public_sees_it(client, editor, second_publisher):
    study = make_study()
    assessment = make_assessment(reviewer=editor, studies=[study])
    client.force_login(second_publisher)
    response = confirm(client, assessment)
    assert "1 assessment confirmed" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.confirmed_by == second_publisher and assessment.confirmed_at
    page = public_page(client, assessment.practice)
    assert assessment.outcome.name in page and study.title in page


def test_a_change_to_a_confirmed_assessment_takes_it_off_the_site_until_confirmed_again(
    client, editor, second_publisher
):
    assessment = make_assessment(reviewer=second_publisher, studies=[make_study()])
    assessment.confirm(member_of("Publisher"))
    assessment.save()
    client.force_login(editor)
    url = admin_url(Assessment, "change", assessment.pk)
    response = client.post(url, form_data(client.get(url), direction=Direction.MIXED))
    assert response.status_code == 302, errors_in(response)
    assessment.refresh_from_db()
    assert (assessment.direction, assessment.reviewer) == (Direction.MIXED, editor)
    assert assessment.confirmed_at is None
    assert not PendingChange.objects.exists()  # confirming it again is the review
    assert assessment.outcome.name not in public_page(client, assessment.practice)


def test_a_rating_higher_than_its_studies_support_is_refused(client, editor):
    practice, outcome, own = make_practice(), make_outcome(), make_study()
    client.force_login(editor)
    for level in (Level.INDEPENDENTLY_EVALUATED, Level.RIGOROUSLY_TESTED):
        response = client.post(
            admin_url(Assessment, "add"), proposal(practice, outcome, own, level=level)
        )
        assert response.status_code == 200
        assert any("needs at least one study" in str(error) for error in errors_in(response))
    response = client.post(
        admin_url(Assessment, "add"), proposal(practice, outcome, own, studies=[])
    )
    assert any("at least one study" in str(error) for error in errors_in(response))
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"level": "proven"},
        {"direction": "sideways"},
        {"level": Level.NOT_ASSESSED},  # with a direction
        {"practice": "999999"},
        {"outcome": "not-a-key"},
        {"studies": ["-1"]},
    ],
)
def test_bad_input_gives_the_form_again_and_writes_nothing(client, editor, bad):
    practice, outcome, study = make_practice(), make_outcome(), make_study()
    client.force_login(editor)
    data = {**proposal(practice, outcome, study), **bad}
    response = client.post(admin_url(Assessment, "add"), data)
    assert response.status_code == 200 and errors_in(response)
    assert not Assessment.objects.exists()


def test_editors_add_outcomes_and_studies_and_only_publishers_delete(client, editor, publisher):
    client.force_login(editor)
    response = client.post(
        admin_url(Outcome, "add"), {"name": "Women's voice", "slug": "womens-voice"}
    )
    assert response.status_code == 302
    response = client.post(
        admin_url(Study, "add"),
        {"title": "An evaluation", "slug": "an-evaluation", "authors": "X", "kind": "independent"},
    )
    assert response.status_code == 302
    assessment = make_assessment(outcome=Outcome.objects.get(), studies=[Study.objects.get()])
    assert (
        client.post(admin_url(Assessment, "delete", assessment.pk), {"post": "yes"}).status_code
        == 403
    )
    client.force_login(publisher)
    assert (
        client.post(admin_url(Assessment, "delete", assessment.pk), {"post": "yes"}).status_code
        == 302
    )
    assert not Assessment.objects.exists()


def test_the_roles_cover_the_evidence_types(editor, publisher):
    granted = {
        f"evidence.{action}_{kind}"
        for action in ("add", "change", "view")
        for kind in ("outcome", "study", "assessment")
    }
    assert all(editor.has_perm(permission) for permission in granted)
    assert not editor.has_perm("evidence.delete_assessment")
    assert not editor.has_perm("practices.publish_practice")  # the permission that confirms
    assert publisher.has_perm("evidence.delete_assessment")
    assert set(Group.objects.values_list("name", flat=True)) == {"Editor", "Publisher"}


def test_the_changelist_lists_provisional_assessments_apart(client, publisher, editor):
    provisional = make_assessment(reviewer=editor, studies=[make_study()])
    confirmed = make_assessment(reviewer=editor, outcome=make_outcome("other"))
    confirmed.confirm(publisher)
    confirmed.save()
    client.force_login(publisher)
    listed = client.get(admin_url(Assessment, "changelist") + "?confirmed=no")
    assert [a.pk for a in listed.context["cl"].result_list] == [provisional.pk]
    assert client.get(admin_url(Assessment, "change", provisional.pk)).status_code == 200


def test_a_study_that_a_rating_rests_on_cannot_be_deleted(client, publisher):
    study, spare = make_study("relied-on"), make_study("spare")
    assessment = make_assessment(studies=[study])
    client.force_login(publisher)
    response = client.post(admin_url(Study, "delete", study.pk), {"post": "yes"})
    assert response.status_code == 200
    assert str(assessment) in response.content.decode()
    client.post(
        admin_url(Study, "changelist"),
        {"action": "delete_selected", "_selected_action": [study.pk, spare.pk], "post": "yes"},
    )
    assert list(assessment.studies.all()) == [study]
    response = client.post(admin_url(Study, "delete", spare.pk), {"post": "yes"})
    assert response.status_code == 302 and not Study.objects.filter(pk=spare.pk).exists()
