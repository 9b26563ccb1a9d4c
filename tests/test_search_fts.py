"""The SQLite engine's FTS5 indexes: made by the migrations, kept in step with every write, and
never reached by a user's syntax. The hostile queries run on every database."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from core.models import Status
from guidance.models import Definition
from practices.models import Practice
from search.documents import ensure_indexes

from .factories import make_practice

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 is SQLite's")
FTS_TABLES = [
    "practices_practice_fts",
    "movements_movement_fts",
    "guidance_principle_fts",
    "guidance_finding_fts",
    "guidance_definition_fts",
]


def indexed(table, query):
    """The row ids `table`'s FTS5 index matches for an FTS5 `query`."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [query])
        return {row for (row,) in cursor.fetchall()}


def titles(query):
    return [str(p) for p in Practice.objects.published().search(query, spelling=False)]


@sqlite_only
def test_every_searchable_table_has_an_fts5_index_and_its_triggers(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master")
        schema = dict(cursor.fetchall())

    # The types ranked from a pool also have an index of their titles alone (search.sqlite.first).
    for table in [*FTS_TABLES, "practices_practice_title_fts", "movements_movement_title_fts"]:
        assert "USING fts5" in schema[table]
        assert "porter unicode61 remove_diacritics 2" in schema[table]
        assert "prefix='4 5 6 7 8 9 10'" in schema[table]
        for event in ("insert", "delete", "update"):
            assert f"{table}_{event}" in schema


@sqlite_only
def test_the_index_follows_saves_renames_and_deletes(db):
    practice = make_practice(title="Quokka cooperatives")
    assert indexed("practices_practice_fts", '"quokka"') == {practice.pk}

    practice.title = "Wombat cooperatives"
    practice.save()
    assert indexed("practices_practice_fts", '"quokka"') == set()
    assert indexed("practices_practice_fts", '"wombat"') == {practice.pk}

    assert indexed("practices_practice_title_fts", '"wombat"') == {practice.pk}

    practice.delete()
    assert indexed("practices_practice_fts", '"wombat"') == set()
    assert indexed("practices_practice_title_fts", '"wombat"') == set()


@sqlite_only
def test_linked_names_are_indexed_as_they_change(db):
    practice = make_practice(title="Radio dramas")
    practice.tags.add("soap operas")
    assert indexed("practices_practice_fts", '"soap operas"') == {practice.pk}

    practice.tags.clear()
    assert indexed("practices_practice_fts", '"soap operas"') == set()


def test_unpublished_records_are_never_found(db):
    practice = make_practice(title="Quokka cooperatives")
    assert titles("quokka") == ["Quokka cooperatives"]

    for status in (Status.DRAFT, Status.WITHDRAWN):
        practice.status = status
        practice.save()
        assert titles("quokka") == []


@sqlite_only
def test_rebuild_search_index_refills_an_emptied_index(db):
    make_practice(title="Quokka cooperatives")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO practices_practice_fts(practices_practice_fts) VALUES ('delete-all')"
        )
    assert titles("quokka") == []

    call_command("rebuild_search_index", verbosity=0)

    assert titles("quokka") == ["Quokka cooperatives"]


def test_prefixes_and_stems_match(db):
    make_practice(title="Mentorship circles")
    make_practice(title="Tenancy", summary="Tenants organised a strike.")
    make_practice(title="Wellbeing", summary="Members say they are happy.")

    assert set(titles("mentors")) == {"Mentorship circles"}
    assert titles("organising") == ["Tenancy"]
    assert titles("circle") == ["Mentorship circles"]
    assert titles("mentors -circles") == []


def test_a_definition_term_ranks_above_its_use_in_text(db):
    Definition.objects.create(term="Quokka", slug="quokka", text="A small marsupial.")
    Definition.objects.create(term="Island", slug="island", text="Where the quokka lives.")

    assert [str(d) for d in Definition.objects.search("quokka")][0].startswith("Quokka")


FTS_SYNTAX = [
    '"',
    '""',
    "*",
    "women*",
    "^women",
    "title:women",
    "{title}: women",
    "NEAR(women kenya)",
    "women NEAR kenya",
    "AND",
    "women AND OR NOT kenya",
    "NOT women",
    "(women",
    "women)",
    "- -- -",
    "women + kenya",
    "x²",
    "٣٤",
    "ǅ ß ﬁ",
    "'women' || 'kenya'",
]


@pytest.mark.parametrize("query", FTS_SYNTAX)
def test_full_text_syntax_typed_by_a_user_is_searched_as_words(client, db, query):
    make_practice(title="Women of Kenya")

    for url in (reverse("atlas:search"), reverse("practices:practice-list")):
        assert client.get(url, {"q": query}).status_code == 200
    Practice.objects.published().search(query).count()


@sqlite_only
def test_migrate_puts_back_the_triggers_of_a_rebuilt_table(db):
    # SQLite's schema editor rebuilds a table to alter it, and the table's triggers go with it.
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER practices_practice_fts_update")

        cursor.execute("DROP TABLE practices_practice_title_fts")

    ensure_indexes(using=connection.alias)  # what post_migrate runs

    practice = make_practice(title="Quokka cooperatives")
    practice.title = "Wombat cooperatives"
    practice.save()
    assert indexed("practices_practice_fts", '"wombat"') == {practice.pk}
    assert indexed("practices_practice_title_fts", '"wombat"') == {practice.pk}
