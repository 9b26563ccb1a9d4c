"""The practice list's evidence facets, which the evidence app adds to it: `outcome` (practices
with a confirmed assessment for it) and `evidence` (with a confirmed assessment at that level;
`not-assessed`: with no confirmed rating). They count like the other facets, reach the API,
exports and feed, and a practice's related practices put those sharing an outcome first."""

import json

import pytest
from django.utils import timezone

from evidence.rubric import Direction, Level
from practices.views import related_practices
from tests.api_client import api_get
from tests.factories import make_approach, make_practice
from tests.test_evidence_models import make_assessment, make_outcome
from tests.test_exports import body, csv_rows

LIST = "/practices/"


def rate(practice, outcome, level=Level.PRACTICE_BASED, confirmed=True):
    """An assessment of `practice` for `outcome`, confirmed unless told."""
    direction = "" if level == Level.NOT_ASSESSED else Direction.POSITIVE
    return make_assessment(
        practice,
        outcome,
        level=level,
        direction=direction,
        confirmed_at=timezone.now() if confirmed else None,
    )


@pytest.fixture
def rated(db):
    """Four published practices: rated for savings (practice-based) and for voice (rigorously
    tested); rated for voice only, independently evaluated; only provisionally rated; and one
    whose only confirmed outcome is not yet assessed. A draft is rated too."""
    savings, voice = make_outcome("savings"), make_outcome("voice")
    both = make_practice(title="Both outcomes")
    rate(both, savings)
    rate(both, voice, Level.RIGOROUSLY_TESTED)
    voice_only = make_practice(title="Voice only")
    rate(voice_only, voice, Level.INDEPENDENTLY_EVALUATED)
    provisional = make_practice(title="Provisional only")
    rate(provisional, savings, confirmed=False)
    unrated = make_practice(title="Named but unrated")
    rate(unrated, savings, Level.NOT_ASSESSED)
    rate(make_practice(title="A draft", status="draft"), savings)
    return {"both": both, "voice": voice_only, "provisional": provisional, "unrated": unrated}


def titles(client, query):
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    return sorted(p.title for p in response.context["page"].paginator.object_list)


def options(client, query, param):
    response = client.get(f"{LIST}?{query}")
    facet = next(f for f in response.context["facets"] if f["param"] == param)
    return {option["value"]: option["count"] for option in facet["options"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("outcome=savings", ["Both outcomes", "Named but unrated"]),
        ("outcome=voice", ["Both outcomes", "Voice only"]),
        ("outcome=savings&outcome=voice", ["Both outcomes", "Named but unrated", "Voice only"]),
        ("evidence=rigorously-tested", ["Both outcomes"]),
        (
            "evidence=practice-based&evidence=independently-evaluated",
            ["Both outcomes", "Voice only"],
        ),
        ("evidence=not-assessed", ["Named but unrated", "Provisional only"]),
        ("outcome=voice&evidence=independently-evaluated", ["Voice only"]),
        ("outcome=SAVINGS&evidence=NOT-ASSESSED", ["Named but unrated"]),
    ],
)
def test_the_list_filters_by_confirmed_outcomes_and_levels(client, rated, query, expected):
    assert titles(client, query) == expected


def test_the_counts_are_what_each_value_would_list(client, rated):
    outcomes = options(client, "", "outcome")
    levels = options(client, "", "evidence")
    assert outcomes == {"savings": 2, "voice": 2}  # not the provisional one, nor the draft
    assert levels == {
        "not-assessed": 2,
        "practice-based": 1,
        "independently-evaluated": 1,
        "rigorously-tested": 1,
    }
    for value, count in outcomes.items():
        assert len(titles(client, f"outcome={value}")) == count
    for value, count in levels.items():
        assert len(titles(client, f"evidence={value}")) == count
    # With another facet in force, each counts among what it leaves.
    assert options(client, "outcome=voice", "evidence") == {
        "practice-based": 1,
        "independently-evaluated": 1,
        "rigorously-tested": 1,
    }
    assert options(client, "evidence=rigorously-tested", "outcome") == {"savings": 1, "voice": 1}


def test_the_facet_box_lists_levels_weakest_first_with_labels(client, rated):
    page = client.get(LIST).content.decode()
    positions = [page.index(f'value="{level}"') for level in Level.values]
    assert positions == sorted(positions)
    assert "Rigorously tested" in page and "Savings" in page


@pytest.mark.parametrize(
    "query",
    [
        "outcome=no-such-outcome",
        "evidence=very-strong",
        "outcome=%00&evidence=%00",
        "outcome=" + "x" * 500,
        "evidence=practice-based&evidence=practice-based&outcome=savings&outcome=Savings",
    ],
)
def test_odd_values_are_ignored_or_kept_never_a_500(client, rated, query):
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    assert response.context["page"].paginator.count >= 1


def test_the_api_and_the_csv_filter_as_the_page(client, rated):
    expected = titles(client, "outcome=voice&evidence=rigorously-tested")
    data = api_get(client, "/api/v1/practices/?outcome=voice&evidence=rigorously-tested").json()
    assert sorted(record["title"] for record in data["results"]) == expected
    _, rows = csv_rows(client.get(f"{LIST}?outcome=voice&evidence=rigorously-tested&format=csv"))
    assert sorted(row["title"] for row in rows) == expected
    feed = client.get(f"{LIST}?outcome=savings&format=atom").content.decode()
    assert "Named but unrated" in feed and "Voice only" not in feed
    refused = client.get("/api/v1/practices/?outcome=no-such-outcome")
    assert refused.status_code == 400 and "outcome" in refused.json()["errors"]


def test_the_api_schema_documents_the_evidence_filters(client, db):
    schema = client.get("/api/schema/").json()
    parameters = schema["paths"]["/api/v1/practices/"]["get"]["parameters"]
    names = {parameter["name"] for parameter in parameters}
    assert {"outcome", "evidence"} <= names


def test_the_list_runs_as_many_queries_with_many_assessments(
    client, db, django_assert_max_num_queries
):
    def queries():
        with django_assert_max_num_queries(20) as captured:
            assert client.get(f"{LIST}?outcome=o-0&evidence=practice-based").status_code == 200
        return len(captured)

    outcomes = [make_outcome(f"o-{n}") for n in range(4)]
    rate(make_practice(), outcomes[0])
    few = queries()
    for n in range(30):
        rate(make_practice(), outcomes[n % 4], Level.INDEPENDENTLY_EVALUATED)
        rate(make_practice(), outcomes[0])
    assert queries() == few


def test_related_practices_put_those_sharing_an_outcome_first(db):
    approach = make_approach()
    outcome = make_outcome("shared-outcome")
    practice = make_practice(approach=approach, tags=["alpha"])
    same_links = make_practice(title="Aardvark, same approach and tag", approach=approach)
    same_links.tags.set(["alpha"])
    sharing = make_practice(title="Zebra, sharing an outcome")
    provisional = make_practice(title="Provisionally sharing an outcome")
    rate(practice, outcome)
    rate(sharing, outcome)
    rate(provisional, outcome, confirmed=False)
    found = [p.title for p in related_practices(practice)]
    assert found[:2] == ["Zebra, sharing an outcome", "Aardvark, same approach and tag"]
    assert "Provisionally sharing an outcome" not in found


def test_the_practice_page_lists_a_practice_sharing_an_outcome(client, db):
    outcome = make_outcome("shared-outcome")
    practice, other = make_practice(), make_practice(title="Only the outcome in common")
    rate(practice, outcome)
    rate(other, outcome)
    assert "Only the outcome in common" in client.get(practice.get_absolute_url()).content.decode()


def card_of(html, title):
    """The list card (its <li>) holding the practice `title`."""
    start = html.index(f">{title}</a>")
    return html[html.rindex('<li class="card"', 0, start) : html.index("</li>", start)]


def test_each_card_shows_its_strongest_confirmed_level_in_a_fixed_number_of_queries(
    client, rated, django_assert_max_num_queries
):
    for n in range(10):  # All on the first page, with the four above.
        rate(make_practice(title=f"Also rated {n}"), make_outcome(f"outcome {n}"))
    with django_assert_max_num_queries(20):
        html = client.get(f"{LIST}?sort=title").content.decode()
    assert "Evidence: Rigorously tested" in card_of(html, "Both outcomes")
    assert "Evidence: Independently evaluated" in card_of(html, "Voice only")
    assert "Evidence: Practice-based" in card_of(html, "Also rated 0")
    # Provisional and "not yet assessed" ratings are not evidence a reader can rely on.
    for title in ("Provisional only", "Named but unrated"):
        assert "Evidence:" not in card_of(html, title), title


def test_exports_end_with_the_confirmed_outcomes_and_their_evidence(client, rated):
    header, rows = csv_rows(client.get(f"{LIST}?format=csv&sort=title"))
    assert header[-2:] == ["outcomes", "evidence"]
    by_title = {row["title"]: (row["outcomes"], row["evidence"]) for row in rows}
    assert by_title["Both outcomes"] == (
        "Savings;Voice",
        "Savings: practice-based, positive;Voice: rigorously-tested, positive",
    )
    # Provisional ratings are not published; a "not yet assessed" one names its outcome only.
    assert by_title["Provisional only"] == ("", "")
    assert by_title["Named but unrated"] == ("Savings", "Savings: not-assessed")
    records = json.loads(body(client.get(f"{LIST}?format=json")))["results"]
    voice = next(record for record in records if record["title"] == "Voice only")
    assert voice["outcomes"] == ["Voice"]
    assert voice["evidence"] == ["Voice: independently-evaluated, positive"]
