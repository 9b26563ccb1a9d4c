"""Writes made outside the server process (import_kb, a backup restore, the search-index
rebuild, the synthetic seeder) reach a running server's cached pages on its very next request.

The server runs as a separate process under the development settings, as `make run` starts
it, with its own SQLite database and content-version directory.
"""

import json
import shutil
import sqlite3
import urllib.request

import pytest
from django.core.management import call_command

from core.cache import content_version
from tests.servers import development_env, development_servers, run

PAGE = "/practices/women-in-self-help-groups/"
OLD_TITLE = "Women in self-help groups"
NEW_TITLE = "Women in self-help groups, renamed outside the admin"


@pytest.fixture(scope="module")
def seeded(seeded_database, tmp_path_factory):
    """The seeded SQLite database's folder, with the knowledge base exported beside it."""
    folder = tmp_path_factory.mktemp("seeded")
    shutil.copy(seeded_database, folder / "db.sqlite3")
    env = development_env(folder / "db.sqlite3", folder / "versions")
    run("manage.py", "export_kb", str(folder / "atlas.json"), env=env)
    return folder


@pytest.fixture
def server(seeded, tmp_path):
    """A running development server on a copy of the seeded database: (base URL, its env)."""
    shutil.copy(seeded / "db.sqlite3", tmp_path / "db.sqlite3")
    env = development_env(tmp_path / "db.sqlite3", tmp_path / "versions")
    with development_servers(env) as [(host, port)]:
        yield f"http://{host}:{port}", env


def get(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.headers.get("X-Page-Cache"), response.read().decode()


def cached_page(base):
    """The practice page, served a second time from the server's page cache."""
    assert get(base + PAGE)[0] == "miss"
    status, page = get(base + PAGE)
    assert status == "hit"
    assert f">{OLD_TITLE}</h1>" in page
    return page


def test_import_kb_changes_the_page_on_the_next_request(server, seeded, tmp_path):
    base, env = server
    cached_page(base)
    records = json.loads((seeded / "atlas.json").read_text(encoding="utf-8"))
    (practice,) = [
        r for r in records if r["model"] == "practices.practice" and r["fields"]["slug"] in PAGE
    ]
    practice["fields"]["title"] = NEW_TITLE
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps([practice]), encoding="utf-8")

    run("manage.py", "import_kb", str(changed), env=env)

    status, page = get(base + PAGE)
    assert f">{NEW_TITLE}</h1>" in page
    assert status == "miss"


def test_a_backup_restore_changes_the_page_on_the_next_request(server, tmp_path):
    base, env = server
    cached_page(base)
    # A backup in which the practice has another title.
    backup_file = tmp_path / "atlas.backup"
    shutil.copy(tmp_path / "db.sqlite3", backup_file)
    with sqlite3.connect(backup_file) as backup:
        backup.execute(
            "UPDATE practices_practice SET title = ? WHERE title = ?", [NEW_TITLE, OLD_TITLE]
        )
    backup.close()

    run("scripts/backup.py", "restore", str(backup_file), env=env)

    status, page = get(base + PAGE)
    assert f">{NEW_TITLE}</h1>" in page
    assert status == "miss"


def test_rebuild_search_index_replaces_the_content_version(content):
    before = content_version()
    call_command("rebuild_search_index", verbosity=0)
    assert content_version() != before


def test_seed_synthetic_replaces_the_content_version(content):
    before = content_version()
    call_command("seed_synthetic", practices=3, movements=1, verbosity=0)
    assert content_version() != before
    cleared = content_version()
    call_command("seed_synthetic", clear=True, verbosity=0)
    assert content_version() != cleared
