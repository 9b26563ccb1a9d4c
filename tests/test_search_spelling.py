"""The spelling fallback at any scale: a misspelt name is corrected in a fixed number of queries,
however many words the query has, and a word the index holds is never corrected."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from atlas.views import search_sources
from movements.models import Movement
from practices.models import Practice
from search.query import parse_query
from search.queryset import suggest_corrections

from .factories import make_organisation, make_practice
from .test_search import result_titles

SEARCH_URL = reverse("atlas:search")
LIST_URL = reverse("practices:practice-list")
CORRECTED = "Including results for"


@pytest.mark.parametrize(
    ("query", "correction", "expected"),
    [
        ("Cambdia", "Cambodia", "Coalition building for Safe Cities for Women in Phnom Penh"),
        ("Oxfma", "Oxfam", "Gender Action Learning Systems (GALS)"),
        ("Safe Citeis", "Cities", "Safe Cities for Women Coalition (SCWC)"),
    ],
)
def test_a_misspelt_country_organisation_or_movement_is_corrected_in_a_few_queries(
    client, content, django_assert_max_num_queries, query, correction, expected
):
    with django_assert_max_num_queries(9):
        response = client.get(SEARCH_URL, {"q": query})

    assert f"{CORRECTED} {correction}." in response.content.decode()
    assert any(title.startswith(expected) for title in result_titles(response))


def test_a_misspelt_list_search_finds_the_corrected_records_in_a_few_queries(
    client, content, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20):
        response = client.get(LIST_URL, {"q": "Cambdia"})

    titles = [str(practice) for practice in response.context["page"].object_list]
    assert any(title.startswith("Coalition building for Safe Cities") for title in titles)


def test_misspelt_words_are_corrected_in_two_queries_however_many_there_are(db):
    for name in ("Zanzibari Weavers", "Quokkaville Tanners", "Marimba Potters", "Oxbridge Dyers"):
        make_practice(title=name, organisations=[make_organisation(name=name)])
    query = parse_query("Zanzibarri Weavrs or Quokaville or Marimbba or Oxbrigde")

    with CaptureQueriesContext(connection) as queries:
        corrections = suggest_corrections(query, search_sources().values())

    # The first four words: each looked up alone (all in one query), then their corrections.
    assert corrections == {
        "Zanzibarri": "Zanzibari",
        "Weavrs": "Weavers",
        "Quokaville": "Quokkaville",
        "Marimbba": "Marimba",
    }
    assert len(queries) == 2


def test_a_word_only_in_a_records_text_is_not_corrected_to_a_known_name(client, db):
    # "Tarnwack" is in no name (so in no list of known words) but in a practice's text; the
    # known name "Tarnwick" is one letter away.
    quokkas = make_organisation(name="Quokkaville Trust")
    make_practice(title="Looms", body="Weaving with Tarnwack looms.", organisations=[quokkas])
    make_practice(title="Dyes", organisations=[make_organisation(name="Tarnwick Trust")])
    published = [Practice.objects.published()]

    corrections = suggest_corrections(parse_query("Tarnwack Quokaville"), published)

    assert corrections == {"Quokaville": "Quokkaville"}
    response = client.get(SEARCH_URL, {"q": "Tarnwack Quokaville"})
    assert f"{CORRECTED} Quokkaville." in response.content.decode()
    assert result_titles(response) == ["Looms"]


def test_a_known_word_that_finds_nothing_beside_the_others_is_not_corrected(db):
    make_practice(title="Ledgers", organisations=[make_organisation(name="Tarnwick Trust")])
    make_practice(title="Bells", organisations=[make_organisation(name="Tarnwack Guild")])
    published = [Practice.objects.published()]

    # Both words are known and each finds a practice; together they find none.
    assert suggest_corrections(parse_query("Tarnwick Guild"), published) == {}


def test_a_movement_name_misspelt_in_a_list_search_finds_the_movement(client, db):
    Movement.objects.create(name="Quokkaville Weavers Union", slug="quokkas", status="published")

    response = client.get(reverse("movements:movement-list"), {"q": "Quokaville"})

    names = [str(movement) for movement in response.context["page"].object_list]
    assert names == ["Quokkaville Weavers Union"]
