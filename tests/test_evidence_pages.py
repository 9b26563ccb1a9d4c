"""The public side of evidence: the rubric page in three languages, and a practice's confirmed
assessments on its page (never the provisional ones), in a fixed number of queries."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import trans_real

from evidence.models import Assessment
from evidence.rubric import Direction, Level
from tests.factories import make_practice, member_of
from tests.test_evidence_models import make_assessment, make_outcome, make_study
from tests.test_page_cache import caching, fetch  # noqa: F401 (a fixture)

RUBRIC = "/evidence/rubric/"


@pytest.fixture(scope="module", autouse=True)
def compiled_translations():
    call_command("compile_translations", verbosity=0)
    trans_real._translations.clear()


@pytest.fixture(autouse=True)
def back_to_english():
    yield
    translation.activate(settings.LANGUAGE_CODE)


def confirmed(assessment):
    reviewer, confirmer = member_of("Editor", "rater"), member_of("Publisher", "checker")
    assessment.reviewer = reviewer
    assessment.confirm(confirmer)
    assessment.save()
    return assessment


@pytest.mark.parametrize(
    ("language", "heading", "level", "words"),
    [
        ("en", "Evidence rubric", "Practice-based", "nobody outside the practice has checked it"),
        ("fr", "Grille d’évaluation des preuves", "Fondé sur la pratique", "personne d’extérieur"),
        ("es", "Rúbrica de la evidencia", "Basado en la práctica", "nadie ajeno"),
    ],
)
def test_the_rubric_explains_each_level_in_the_readers_language(
    client, db, language, heading, level, words
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(RUBRIC)
    assert response.status_code == 200
    assert response["Content-Language"] == language
    page = response.content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert level in page and words in page
    assert page.count("<dt>") == len(Level.choices) + len(Direction.choices)
    assert "<caption>" in page and 'scope="row"' in page  # the study types' table


def test_the_rubric_orders_the_levels_from_weakest_to_strongest(client, db):
    page = client.get(RUBRIC).content.decode()
    positions = [page.index(f"<dt>{label}</dt>") for label in Level.labels]
    assert positions == sorted(positions)
    assert "version 1" in page


def test_a_practice_page_shows_its_confirmed_outcomes_with_level_direction_and_studies(client, db):
    practice = make_practice()
    study = make_study("members-report", year=2015, url="https://example.org/report")
    shown = confirmed(
        make_assessment(practice, make_outcome("leaders-confidence"), studies=[study])
    )
    make_assessment(practice, make_outcome("hidden-outcome"), studies=[study])  # provisional
    make_assessment(make_practice(), make_outcome("elsewhere"), studies=[study])
    page = client.get(practice.get_absolute_url()).content.decode()
    assert "Outcomes and evidence" in page
    assert shown.outcome.name in page
    assert "Practice-based" in page and "Positive" in page
    assert '<a href="https://example.org/report">Members Report</a></span>, An NGO (2015)' in page
    assert "Implementer&#x27;s own monitoring" in page
    assert 'href="/evidence/rubric/"' in page
    assert "Hidden Outcome" not in page and "Elsewhere" not in page


def test_a_practice_without_confirmed_assessments_has_no_evidence_section(client, db):
    practice = make_practice()
    make_assessment(practice, studies=[make_study()])
    assert "Outcomes and evidence" not in client.get(practice.get_absolute_url()).content.decode()


def test_the_evidence_costs_two_queries_however_many_assessments(client, db):
    def queries_for(practice):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(practice.get_absolute_url()).status_code == 200
        return len(captured)

    studies = [make_study(f"study-{n}") for n in range(3)]
    one, many = make_practice(), make_practice()
    confirmed(make_assessment(one, make_outcome("first"), studies=studies[:1]))
    for n in range(6):
        assessment = make_assessment(many, make_outcome(f"outcome-{n}"), studies=studies)
        assessment.confirm(member_of("Publisher", f"checker-{n}"))
        assessment.save()
    assert queries_for(many) == queries_for(one)
    assert client.get(many.get_absolute_url()).content.decode().count("<h3") >= 6


@pytest.mark.usefixtures("caching")
def test_confirming_an_assessment_shows_on_the_cached_practice_page(client):
    practice = make_practice()
    assessment = make_assessment(practice, studies=[make_study()])
    fetch(client, practice.get_absolute_url())
    assert fetch(client, practice.get_absolute_url())[0]["X-Page-Cache"] == "hit"
    confirmed(assessment)
    response, _ = fetch(client, practice.get_absolute_url())
    assert assessment.outcome.name in response.content.decode()
    assessment.outcome.name = "Renamed by a curator"
    assessment.outcome.save()
    response, _ = fetch(client, practice.get_absolute_url())
    assert "Renamed by a curator" in response.content.decode()
    Assessment.objects.filter(pk=assessment.pk).get().delete()
    response, _ = fetch(client, practice.get_absolute_url())
    assert "Renamed by a curator" not in response.content.decode()


@pytest.mark.parametrize("query", ["?level=%00", "?page=-1&sort=<script>", "?q=" + "x" * 5000])
def test_the_rubric_ignores_whatever_query_it_is_sent(client, db, query):
    response = client.get(RUBRIC + query)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()
