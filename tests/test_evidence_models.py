"""Outcomes, studies and assessments: the rules the database and the models keep, whoever
writes."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from evidence.models import Assessment, Outcome, Study, studies_missing
from evidence.rubric import Direction, Level, highest_level
from tests.factories import make_practice, member_of


def make_outcome(slug="leaders-skills", **fields):
    return Outcome.objects.create(
        **{"name": slug.replace("-", " ").title(), "slug": slug, **fields}
    )


def make_study(slug="own-report", kind=Study.Kind.OWN_MONITORING, **fields):
    return Study.objects.create(
        **{"title": slug.replace("-", " ").title(), "slug": slug, "authors": "An NGO", "kind": kind}
        | fields
    )


def make_assessment(practice=None, outcome=None, studies=(), **fields):
    assessment = Assessment.objects.create(
        practice=practice or make_practice(),
        outcome=outcome or make_outcome(),
        **{"level": Level.PRACTICE_BASED, "direction": Direction.POSITIVE, **fields},
    )
    assessment.studies.set(studies)
    return assessment


def refused(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_assessment(**fields)


def test_a_direction_goes_with_a_rating_and_only_with_one(db):
    refused(level=Level.PRACTICE_BASED, direction="")
    refused(level=Level.NOT_ASSESSED, direction=Direction.POSITIVE)
    assert make_assessment(level=Level.NOT_ASSESSED, direction="").pk


def test_one_assessment_per_practice_and_outcome(db):
    first = make_assessment()
    refused(practice=first.practice, outcome=first.outcome)


def test_the_database_refuses_a_confirmation_by_the_reviewer(db):
    editor = member_of("Publisher")
    assessment = make_assessment(reviewer=editor)
    with pytest.raises(ValidationError):
        assessment.confirm(editor)
    assessment.confirmed_by = editor
    assessment.confirmed_at = assessment.practice.updated_at
    with pytest.raises(IntegrityError), transaction.atomic():
        assessment.save()
    assert not Assessment.objects.confirmed().exists()


def test_a_change_makes_a_confirmed_assessment_provisional_again(db):
    reviewer, confirmer = member_of("Editor"), member_of("Publisher")
    assessment = make_assessment(reviewer=reviewer)
    assessment.confirm(confirmer)
    assessment.save()
    assert list(Assessment.objects.confirmed()) == [assessment]
    assessment.reviewed_by(confirmer)
    assessment.save()
    assert assessment.reviewer == confirmer
    assert list(Assessment.objects.provisional()) == [assessment]


def test_a_level_is_never_higher_than_its_studies_support(db):
    own = make_study("own", Study.Kind.OWN_MONITORING)
    independent = make_study("independent", Study.Kind.INDEPENDENT)
    trial = make_study("trial", Study.Kind.RANDOMISED)
    assert studies_missing(Level.NOT_ASSESSED, []) == ""
    assert studies_missing(Level.PRACTICE_BASED, [])  # a rating rests on a study
    assert studies_missing(Level.PRACTICE_BASED, [own]) == ""
    assert studies_missing(Level.INDEPENDENTLY_EVALUATED, [own])
    assert studies_missing(Level.INDEPENDENTLY_EVALUATED, [own, independent]) == ""
    assert studies_missing(Level.RIGOROUSLY_TESTED, [independent])
    assert studies_missing(Level.RIGOROUSLY_TESTED, [trial]) == ""
    assert highest_level(Study.Kind.OWN_MONITORING) == Level.PRACTICE_BASED
    assert highest_level(Study.Kind.PARTICIPATORY) == Level.INDEPENDENTLY_EVALUATED
    assert highest_level(Study.Kind.QUASI_EXPERIMENTAL) == Level.RIGOROUSLY_TESTED


def test_an_outcome_cannot_sit_under_itself_or_its_own_parts(db):
    broad = make_outcome("broad")
    narrow = make_outcome("narrow", parent=broad)
    broad.parent = narrow
    with pytest.raises(ValidationError):
        broad.full_clean()
    broad.parent = broad
    with pytest.raises(ValidationError):
        broad.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        broad.save()


def test_assessments_have_a_natural_key_for_fixtures_and_exports(db):
    assessment = make_assessment()
    key = assessment.natural_key()
    assert key == (assessment.practice.slug, assessment.outcome.slug)
    assert Assessment.objects.get_by_natural_key(*key) == assessment
