"""What the search keeps beside the records: the words a misspelling may be corrected to, the
stop words left out, prefixes and phrases, and how a searched list reads its candidates. Tests
of PostgreSQL-only machinery are marked `postgres`."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Status
from practices.models import Practice
from search import postgres
from search.models import SearchWord
from search.query import parse_query
from search.queryset import suggest_corrections

from .factories import make_organisation, make_practice

skip_unless_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL full-text search"
)
LIST = reverse("practices:practice-list")


def titles(query):
    return [str(p) for p in Practice.objects.published().search(query)]


def published():
    return Practice.objects.published()


def known_words():
    return set(SearchWord.objects.values_list("word", flat=True))


# -- Words a misspelling is corrected to ------------------------------------------------------


def test_a_published_practices_linked_names_are_words_a_misspelling_finds(db):
    weavers = make_organisation(name="Zanzibari Weavers Cooperative")
    make_practice(title="Looms", organisations=[weavers])

    assert {"Zanzibari", "Weavers", "Cooperative"} <= known_words()
    assert suggest_corrections(parse_query("Zanzibarri"), [published()]) == {
        "Zanzibarri": "Zanzibari"
    }
    assert titles("Zanzibarri") == ["Looms"]


def test_a_drafts_names_are_never_offered_as_corrections(db):
    secret = make_organisation(name="Quokkaville Trust")
    make_practice(title="Unannounced", organisations=[secret], status=Status.DRAFT)

    assert "Quokkaville" not in known_words()
    assert suggest_corrections(parse_query("Quokaville"), [published()]) == {}


def test_rebuild_search_index_drops_words_no_record_uses_any_more(db):
    organisation = make_organisation(name="Ephemeral Alliance")
    make_practice(title="Renamed", organisations=[organisation])
    organisation.name = "Lasting Alliance"
    organisation.save()
    # Saving adds the new name's words; the old ones stay until the next rebuild.
    assert {"Ephemeral", "Lasting"} <= known_words()

    call_command("rebuild_search_index", stdout=StringIO())

    assert "Lasting" in known_words()
    assert "Ephemeral" not in known_words()


# -- Stop words -------------------------------------------------------------------------------


def test_stop_words_are_left_out_on_every_database(client, db):
    make_practice(title="Women who hold land")

    # "of", "our" and "own" are PostgreSQL's english stop words, dropped here too.
    assert titles("land of our own") == ["Women who hold land"]
    response = client.get(reverse("atlas:search"), {"q": "our own"})
    assert "has no words to search for" in response.content.decode()


# -- Prefixes and phrases --------------------------------------------------------------------


def test_a_prefix_finds_the_longer_words_it_begins(db):
    make_practice(title="Mentorship circles")
    make_practice(title="Mentors meet monthly")
    make_practice(title="Power-holders listen")

    assert set(titles("mentors")) == {"Mentorship circles", "Mentors meet monthly"}
    assert titles("power") == ["Power-holders listen"]
    assert titles("zyxwvuts") == []


def test_a_phrase_keeps_its_stop_words_places(db):
    make_practice(title="Women and girls lead")
    make_practice(title="Girls and women lead")

    assert titles('"women and girls"') == ["Women and girls lead"]


@pytest.mark.postgres
@skip_unless_postgres
def test_search_vectors_are_kept_in_their_rows_not_in_toast(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attrelid::regclass::text, attstorage FROM pg_attribute "
            "WHERE attname = 'search_vector' AND attrelid IN "
            "('practices_practice'::regclass, 'movements_movement'::regclass)"
        )
        storage = dict(cursor.fetchall())

    assert storage == {"practices_practice": "m", "movements_movement": "m"}


# -- A searched list --------------------------------------------------------------------------


def searches_run(client, params):
    """How many of the page's queries test the search itself: on PostgreSQL those with a
    text-search match, on SQLite those that select the rows of an FTS5 index that match."""
    marker = "@@" if connection.vendor == "postgresql" else "SELECT rowid FROM"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST, params)
    assert response.status_code == 200
    return sum(marker in query["sql"] for query in queries.captured_queries), response


def test_a_searched_list_searches_once_for_its_page_count_and_facets(client, content):
    # The candidates, whose keys the count, the page and seven facet counts reuse; they are
    # enough to say that no spelling needs checking.
    runs, response = searches_run(client, {"q": "women"})
    assert runs == 1
    assert response.context["page"].paginator.count == len(titles("women"))

    # Too few candidates: the words are checked, and the corrected query searched once more.
    runs, response = searches_run(client, {"q": "wmoen"})
    assert runs == 2
    assert response.context["page"].paginator.count == len(titles("women"))

    # A facet in force counts its own values without itself: those records are searched too.
    runs, response = searches_run(client, {"q": "women", "country": "NP"})
    assert runs == 2
    nepali = Practice.objects.published().filter(countries__code="NP").search("women")
    assert response.context["page"].paginator.count == nepali.count() > 0


def test_a_pool_takes_the_title_matches_past_its_first_matches_and_leaves_out_exclusions(db):
    for n in range(5):
        make_practice(title=f"Hives {n}", summary="Beekeeping for women.")
    make_practice(title="Beekeeping cooperatives", summary="Honey.")
    make_practice(title="Beekeeping hives", summary="Honey from Kenya.")

    def pooled(query):
        return {str(p) for p in published().search(query, spelling=False, pool=2)}

    # Three matches as the index gives them, and two with the word in their title.
    found = pooled("beekeeping")
    assert {"Beekeeping cooperatives", "Beekeeping hives"} <= found and len(found) <= 5
    # A word left out is left out wherever it stands, not only in titles.
    found = pooled("beekeeping -Kenya")
    assert "Beekeeping cooperatives" in found and "Beekeeping hives" not in found


@pytest.mark.postgres
@skip_unless_postgres
def test_a_query_of_common_prefixes_is_looked_up_by_its_rare_term_and_finds_the_same(
    client, db, monkeypatch
):
    monkeypatch.setattr(postgres, "_statistics", {})
    for _ in range(36):
        make_practice(summary="Training in savings for councillors.")
    dutch = make_practice(title="Dutch", summary="Training in savings, councillors: Netherlands.")
    make_practice(title="Untaught", summary="Savings for councillors in the Netherlands.")
    make_practice(title="Kenyan too", summary="Training, savings, councillors: Netherlands, Kenya.")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE practices_practice")
    query = parse_query("Netherlands training savings councillors -Kenya")

    # The index looks the matches up by the one word few practices hold; every term is checked.
    anchor = postgres.anchored(published(), query)
    assert [term.words for term in anchor.groups[0]] == [("Netherlands",)]
    response = client.get(LIST, {"q": "Netherlands training savings councillors -Kenya"})
    assert [str(p) for p in response.context["page"].object_list] == ["Dutch"] == titles(query)
    assert response.context["page"].paginator.count == 1
    # Common words alone are looked up as they are.
    assert postgres.anchored(published(), parse_query("training savings")) is None
    assert dutch.pk in set(
        published().search("training savings", pool=100, materialise=True).search_keys
    )
