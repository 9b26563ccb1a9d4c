"""Backup and restore give back the same records, on the database the suite runs on."""

import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = (
    "dumpdata practices.practice practices.organisation movements.movement movements.figure "
    "guidance.principle taggit.tag --natural-foreign --natural-primary --indent 0"
).split()


def run(*args, env):
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.fixture
def scratch_database(tmp_path, django_db_blocker):
    """A DATABASE_URL for a new, empty database of the suite's kind, removed afterwards."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
        return
    name = f"scratch_{uuid.uuid4().hex[:10]}"
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}"))
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_restore_gives_back_the_same_records(scratch_database, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": scratch_database,
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    run("manage.py", "migrate", "-v", "0", env=env)
    run("manage.py", "load_content", "-v", "0", env=env)
    before = run("manage.py", *SNAPSHOT, env=env)
    assert '"title": "Women in self-help groups"' in before

    backup_file = tmp_path / "atlas.backup"
    run("scripts/backup.py", "backup", str(backup_file), env=env)
    assert backup_file.stat().st_size > 0
    assert backup_file.stat().st_mode & 0o077 == 0  # password hashes: for the owner only

    # Lose data, as a mistaken bulk delete would.
    run(
        "manage.py",
        "shell",
        "-c",
        "from practices.models import Practice; Practice.objects.all().delete()",
        env=env,
    )
    assert '"title": "Women in self-help groups"' not in run("manage.py", *SNAPSHOT, env=env)

    run("scripts/backup.py", "restore", str(backup_file), env=env)
    assert run("manage.py", *SNAPSHOT, env=env) == before
