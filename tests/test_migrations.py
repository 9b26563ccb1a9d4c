"""An existing database upgrades in place, from the schema deployed sites have (practices 0012,
movements 0010, guidance 0007: before the search tables moved to the search app, the FTS5 indexes
and the end of `is_synthetic`) to the current one, with its rows and their search.

A transactional test, as migrations need (SQLite's schema editor refuses to run inside a
transaction): pytest-django runs it after the other database tests and empties the tables after
it. It leaves the database migrated to the latest state, whatever fails."""

import pytest
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from guidance.models import Principle
from movements.models import Movement
from practices.models import Organisation, Practice
from search.documents import spec_for
from search.models import SearchWord

DEPLOYED = [
    ("practices", "0012_search_vector_inline"),
    ("movements", "0010_search_vector_inline"),
    ("guidance", "0007_search_lexemes"),
]
# search/0001 depends on practices/0012, so going back to it leaves the search app applied.
DEPLOYED_TARGETS = [*DEPLOYED, ("search", None)]
CORPUS = "synthetic-benchmark-corpus"
HANDBOOK = "water-handbook"

REAL_PRACTICE = {
    "slug": "groundwater-stewardship-compacts",
    "title": "Groundwater stewardship compacts",
    "status": "published",
    "summary": "Farmers share an aquifer by written agreement.",
    "body": "Each village meters its wells and meets every season.",
    "locator": "p. 12",
}
SYNTHETIC_PRACTICE = {
    "slug": "synthetic-practice-1",
    "title": "Quillwort seed banks",
    "status": "published",
    "summary": "Made up.",
    "body": "",
    "locator": "row 1",
}
REAL_MOVEMENT = {
    "slug": "pastoralist-solidarity-network",
    "name": "Pastoralist Solidarity Network",
    "acronym": "PSN",
    "status": "published",
    "description": "Herders defending their grazing routes.",
    "locator": "p. 40",
}
SYNTHETIC_MOVEMENT = {
    "slug": "synthetic-movement-1",
    "name": "Marshland Tenants Union",
    "acronym": "",
    "status": "published",
    "description": "Made up.",
    "locator": "row 2",
}


def downgrade():
    """Migrate the test database back to the deployed schema; the models of that schema."""
    MigrationExecutor(connection).migrate(DEPLOYED_TARGETS)
    return MigrationExecutor(connection).loader.project_state(DEPLOYED).apps


def upgrade():
    """What `manage.py migrate` does: every migration, then the post_migrate signal, on which
    search.documents.ensure_indexes puts back the FTS5 triggers of tables SQLite rebuilt."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)


def back_to_latest():
    """Leave the database migrated as the other tests expect, even after a failed upgrade:
    emptied first, so that no row of this test stops a migration (pytest-django empties the
    tables after this test anyway)."""
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("flush", verbosity=0, interactive=False)
        upgrade()


def deployed_site(apps):
    """Records as a deployed site holds them, written through the models of its schema."""
    model = apps.get_model
    handbook = model("practices", "SourceDocument").objects.create(
        slug=HANDBOOK, title="Community water handbook", short_title="Water handbook"
    )
    region = model("practices", "Region").objects.create(
        code="990", name="Atlantis region", slug="atlantis-region"
    )
    country = model("practices", "Country").objects.create(
        code="XA", name="Atlantis", region=region
    )
    Organisation = model("practices", "Organisation")
    federation = Organisation.objects.create(
        slug="water-users-federation",
        name="Water Users Federation",
        acronym="WUF",
        country=country,
        source=handbook,
    )
    # seed_synthetic's organisations cite nothing; their slug marks them.
    Organisation.objects.create(slug="synthetic-organisation-1", name="Synthetic organisation 1")

    Practice = model("practices", "Practice")
    real = Practice.objects.create(
        **REAL_PRACTICE, source=handbook, search_names="Water Users Federation WUF Atlantis"
    )
    real.countries.add(country)
    real.organisations.add(federation)
    Practice.objects.create(**SYNTHETIC_PRACTICE, is_synthetic=True)

    Movement = model("movements", "Movement")
    movement = Movement.objects.create(**REAL_MOVEMENT, source=handbook, search_names="Atlantis")
    movement.countries.add(country)
    movement.practices.add(real)
    Movement.objects.create(**SYNTHETIC_MOVEMENT, is_synthetic=True)

    section = model("guidance", "Section").objects.create(
        slug="participation", number="7.1", title="Participation"
    )
    model("guidance", "Principle").objects.create(
        slug="reciprocity",
        title="Reciprocity between neighbours",
        section=section,
        status="published",
        explanation="Help given is help returned.",
    )

    # The search tables, still in the practices app.
    model("practices", "SearchWord").objects.create(word="Groundwater")
    model("practices", "SearchLexeme").objects.create(lexeme="groundwat")

    if connection.vendor == "postgresql":
        # The app stored each record's vector as it saved it (SQLite had no index yet).
        for label in ("practices.Practice", "movements.Movement", "guidance.Principle"):
            old = model(label)
            old.objects.update(search_vector=spec_for(old).vector())


def rows(model, *records):
    """The rows of these records (dicts with a slug) now, with the slug of their source."""
    found = model.objects.filter(slug__in=[record["slug"] for record in records])
    return list(found.order_by("slug").values(*records[0], "source__slug"))


def found(model, query, **options):
    return {record.slug for record in model.objects.search(query, **options)}


@pytest.mark.django_db(transaction=True)
def test_a_deployed_database_upgrades_in_place_with_its_records_and_their_search():
    try:
        deployed_site(downgrade())
        upgrade()
    finally:
        back_to_latest()

    assert rows(Practice, REAL_PRACTICE, SYNTHETIC_PRACTICE) == [
        {**REAL_PRACTICE, "source__slug": HANDBOOK},
        {**SYNTHETIC_PRACTICE, "locator": "", "source__slug": CORPUS},
    ]
    assert rows(Movement, REAL_MOVEMENT, SYNTHETIC_MOVEMENT) == [
        {**REAL_MOVEMENT, "source__slug": HANDBOOK},
        {**SYNTHETIC_MOVEMENT, "locator": "", "source__slug": CORPUS},
    ]
    assert Organisation.objects.get(slug="water-users-federation").source.slug == HANDBOOK
    assert Organisation.objects.get(slug="synthetic-organisation-1").source.slug == CORPUS
    practice = Practice.objects.get(slug=REAL_PRACTICE["slug"])
    assert [c.code for c in practice.countries.all()] == ["XA"]
    assert [o.acronym for o in practice.organisations.all()] == ["WUF"]
    assert [m.slug for m in practice.movements.all()] == [REAL_MOVEMENT["slug"]]
    assert Principle.objects.get(slug="reciprocity").section.number == "7.1"
    assert SearchWord.objects.filter(word="Groundwater").exists()
    # The lexeme table PostgreSQL once looked prefixes up in is gone: to_tsquery's prefixes do it.
    assert "practices_searchlexeme" not in connection.introspection.table_names()

    # Search finds the records that were there before, by their text and their linked names,
    # and corrects a misspelling to a word that was known before.
    assert found(Practice, "groundwater", spelling=False) == {REAL_PRACTICE["slug"]}
    assert found(Practice, "atlantis", spelling=False) == {REAL_PRACTICE["slug"]}
    assert found(Practice, "quillwort", spelling=False) == {SYNTHETIC_PRACTICE["slug"]}
    assert found(Practice, "groundwatr") == {REAL_PRACTICE["slug"]}
    assert found(Movement, "pastoralist", spelling=False) == {REAL_MOVEMENT["slug"]}
    assert found(Movement, "marshland", spelling=False) == {SYNTHETIC_MOVEMENT["slug"]}
    assert found(Principle, "reciprocity", spelling=False) == {"reciprocity"}

    # And keeps up with what changes after the upgrade.
    practice.title = "Aquifer stewardship compacts"
    practice.save()
    assert found(Practice, "aquifer", spelling=False) == {REAL_PRACTICE["slug"]}
    assert found(Practice, "groundwater", spelling=False) == set()
