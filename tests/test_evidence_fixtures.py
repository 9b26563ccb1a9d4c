"""The seed evidence (fixtures/evidence.json): outcomes the documents name, each with its
locator; assessments no higher than the sources support, provisional until confirmed; loaded
once, and through export and import unchanged."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from core.records import fixture_files
from evidence.models import Assessment, Outcome, Study
from evidence.rubric import Level
from tests.factories import admin_url, member_of

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "evidence.json"


def fixture(model):
    return [r["fields"] for r in json.loads(FIXTURE.read_text()) if r["model"] == model]


def test_the_evidence_fixture_is_part_of_the_seed_content():
    assert fixture_files()[-1] == "evidence.json"
    assert fixture_files().index("evidence.json") > fixture_files().index("practices.json")


def test_every_seed_outcome_cites_its_document_and_place(content):
    outcomes = Outcome.objects.select_related("source")
    assert outcomes.count() == len(fixture("evidence.outcome")) > 0
    for outcome in outcomes:
        assert outcome.source and outcome.locator, outcome
        assert outcome.description.count("“") == outcome.description.count("”") >= 1, outcome


def test_seed_assessments_go_no_higher_than_an_organisations_own_account(content):
    assessments = Assessment.objects.select_related("practice", "outcome").prefetch_related(
        "studies"
    )
    assert assessments.count() == len(fixture("evidence.assessment")) > 0
    for assessment in assessments:
        assert assessment.level in {Level.NOT_ASSESSED, Level.PRACTICE_BASED}, assessment
        kinds = {study.kind for study in assessment.studies.all()}
        if assessment.level == Level.PRACTICE_BASED:
            assert kinds == {Study.Kind.OWN_MONITORING}, assessment
        else:
            assert not kinds and not assessment.direction, assessment
        # The evidence comes from the document the practice comes from, at a place it names.
        assert assessment.outcome.source_id == assessment.practice.source_id, assessment
        assert assessment.findings.endswith(")"), assessment
    # Nobody has confirmed them yet: the public sees none until a second reviewer does.
    assert not Assessment.objects.confirmed().exists()
    assert {a.reviewer for a in assessments} == {None}


def test_loading_the_seed_content_again_adds_nothing_and_keeps_curators_changes(client, content):
    counts = (Outcome.objects.count(), Study.objects.count(), Assessment.objects.count())
    publisher = member_of("Publisher")
    assessment = Assessment.objects.filter(level=Level.PRACTICE_BASED).first()
    assessment.confirm(publisher)
    assessment.save()
    gone = Assessment.objects.filter(level=Level.NOT_ASSESSED).first()
    client.force_login(publisher)
    response = client.post(admin_url(Assessment, "delete", gone.pk), {"post": "yes"})
    assert response.status_code == 302
    call_command("load_content", verbosity=0)
    assert (Outcome.objects.count(), Study.objects.count(), Assessment.objects.count()) == (
        counts[0],
        counts[1],
        counts[2] - 1,
    )
    assert not Assessment.objects.filter(outcome=gone.outcome, practice=gone.practice).exists()
    assessment.refresh_from_db()
    assert assessment.confirmed


def test_export_and_import_keep_assessments_with_their_studies_and_confirmation(content, tmp_path):
    confirmer = member_of("Publisher")
    assessment = Assessment.objects.filter(level=Level.PRACTICE_BASED).first()
    assessment.confirm(confirmer)
    assessment.save()
    path = tmp_path / "kb.json"
    call_command("export_kb", str(path), verbosity=0)
    exported = [r for r in json.loads(path.read_text()) if r["model"] == "evidence.assessment"]
    assert len(exported) == Assessment.objects.count()
    studies = [study.slug for study in assessment.studies.all()]
    Assessment.objects.all().delete()
    call_command("import_kb", str(path), verbosity=0)
    again = Assessment.objects.get_by_natural_key(*assessment.natural_key())
    assert again.confirmed_by == confirmer and again.level == assessment.level
    assert [study.slug for study in again.studies.all()] == studies
    assert Assessment.objects.count() == len(exported)
