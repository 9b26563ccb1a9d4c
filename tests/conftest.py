"""Shared fixtures: the real seed content as `make run` loads it.

`load_content` saves each record through the ORM, so signals refresh its search documents: about
3,000 queries, 1.5 s on SQLite and 3.5 s on PostgreSQL, which most tests used to pay again. It
now runs once per session, in a transaction that is rolled back after the rows it added have been
read; each test that asks for `content` gets those rows inserted again (a few milliseconds).
tests/test_fixtures.py checks that this gives what a real load gives.
"""

import os
import re

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from core.cache import content_changed
from tests.factories import member_of
from tests.servers import seed


def table_rows(table):
    """Every row of `table`, in a form to compare and to insert again."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Rows as JSON insert back with jsonb_populate_recordset, whatever their types.
            cursor.execute(f"SELECT row_to_json(t)::text FROM {quote(table)} t ORDER BY t.ctid")
            return [row for (row,) in cursor.fetchall()]
        cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY rowid")
        return [tuple(row) for row in cursor.fetchall()]


def database_rows():
    tables = connection.introspection.table_names(include_views=False)
    # Not the FTS5 indexes (SQLite): their triggers fill them as the rows go in again.
    return {
        table: table_rows(table)
        for table in tables
        if not table.startswith("sqlite_") and not re.search(r"_fts($|_)", table)
    }


def added_rows(before, after):
    """{table: rows in `after` and not in `before`}, where only rows were added."""
    added = {}
    for table, rows in after.items():
        old = set(before.get(table, ()))
        new = [row for row in rows if row not in old]
        if len(rows) - len(new) != len(old):
            raise AssertionError(f"load_content changed or removed rows of {table}")
        if new:
            added[table] = new
    return added


def row_counts(tables):
    """[rows in each table], in one query."""
    quote = connection.ops.quote_name
    counts = " UNION ALL ".join(
        f"SELECT {i}, COUNT(*) FROM {quote(table)}" for i, table in enumerate(tables)
    )
    with connection.cursor() as cursor:
        cursor.execute(counts)
        found = dict(cursor.fetchall())
    return [found[i] for i in range(len(tables))]


def insert_rows(rows_by_table):
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, rows in rows_by_table.items():
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"INSERT INTO {quote(table)} SELECT * FROM "
                    f"jsonb_populate_recordset(NULL::{quote(table)}, %s::jsonb)",
                    ["[" + ",".join(rows) + "]"],
                )
            else:
                marks = ", ".join(["%s"] * len(rows[0]))
                cursor.executemany(f"INSERT INTO {quote(table)} VALUES ({marks})", rows)


@pytest.fixture(scope="session")
def content_rows(django_db_setup, django_db_blocker):
    """{table: rows} that `load_content` adds to the freshly migrated test database."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            before = database_rows()
            call_command("load_content", verbosity=0)
            added = added_rows(before, database_rows())
            transaction.set_rollback(True)
        # The rolled-back load may have left its content version in memory.
        content_changed()
    return before, added


@pytest.fixture(autouse=True)
def export_files(settings, tmp_path):
    """Each test's exports are built afresh, in a directory of its own (core.exportfiles)."""
    settings.EXPORT_CACHE_DIR = tmp_path / "exports"
    return settings.EXPORT_CACHE_DIR


@pytest.fixture
def content(db, content_rows):
    """The knowledge base as `make run` seeds it, from fixtures/."""
    before, added = content_rows
    if row_counts(list(added)) != [len(before[table]) for table in added]:
        # Something was saved already: load for real, adding only what is missing.
        call_command("load_content", verbosity=0)
        return
    insert_rows(added)
    # What load_content's signal receivers do besides writing rows.
    content_changed()


@pytest.fixture
def editor(db):
    return member_of("Editor")


@pytest.fixture
def publisher(db):
    return member_of("Publisher")


@pytest.fixture
def redis_url():
    """REDIS_URL, a running Redis (scripts/with-redis starts one). Without it the test is
    skipped, unless CI_REQUIRE_REDIS=1 (.ci/run's PostgreSQL and Redis leg): then it fails."""
    url = os.environ.get("REDIS_URL", "").strip()
    if not url:
        if os.environ.get("CI_REQUIRE_REDIS") == "1":
            pytest.fail("CI_REQUIRE_REDIS=1 but REDIS_URL is not set: run under scripts/with-redis")
        pytest.skip("needs Redis: run under scripts/with-redis")
    return url


@pytest.fixture(scope="session")
def seeded_database(tmp_path_factory):
    """A SQLite file, migrated and seeded, for tests that run real servers: copy it, do not
    write to it."""
    return seed(tmp_path_factory.mktemp("seeded-database"))
