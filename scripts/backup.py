"""Back up or restore the database that DATABASE_URL names (default: the SQLite file).

    python scripts/backup.py backup FILE
    python scripts/backup.py restore FILE

PostgreSQL: pg_dump's custom format, restored with pg_restore --clean in one transaction.
SQLite: SQLite's online backup API, which copies a consistent snapshot even while the site runs;
a restore replaces the whole database file's content (stop the server first). A backup file is
readable by its owner only.
After a restore the shared content version is replaced, so no server serves pages cached before it.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import dj_database_url

ROOT = Path(__file__).resolve().parents[1]
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def database():
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{ROOT / 'db.sqlite3'}"
    return dj_database_url.parse(url)


def pg_tool(name):
    local = PG_BIN / name
    return str(local) if local.exists() else shutil.which(name) or name


def pg_args(config):
    args = ["--no-password", "-d", config["NAME"]]
    options = config.get("OPTIONS", {})  # a socket directory given as ?host=... lands here
    host = config.get("HOST") or options.get("host")
    port = config.get("PORT") or options.get("port")
    if host:
        args += ["-h", str(host)]
    if port:
        args += ["-p", str(port)]
    if config.get("USER"):
        args += ["-U", config["USER"]]
    return args


def pg_env(config):
    env = dict(os.environ)
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = config["PASSWORD"]
    return env


def private_file(path):
    """An empty file only its owner may read: a backup holds password hashes and session keys."""
    Path(path).touch(mode=0o600)
    os.chmod(path, 0o600)


def backup(target):
    config = database()
    private_file(target)
    if "postgresql" in config["ENGINE"]:
        command = [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target)]
        subprocess.run(command + pg_args(config), check=True, env=pg_env(config))
    else:
        with sqlite3.connect(config["NAME"]) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
    print(f"Backed up {config['NAME']} to {target}")


def restore(source_file):
    config = database()
    if not Path(source_file).exists():
        sys.exit(f"No backup file at {source_file}")
    if "postgresql" in config["ENGINE"]:
        command = [
            pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
        ]
        command += pg_args(config) + [str(source_file)]
        subprocess.run(command, check=True, env=pg_env(config))
    else:
        with sqlite3.connect(source_file) as source, sqlite3.connect(config["NAME"]) as live:
            source.backup(live)
    print(f"Restored {config['NAME']} from {source_file}")
    drop_cached_pages()


def drop_cached_pages():
    """Replace the content version a running server's cached pages are stored under (in the
    file cache all processes share): it serves the restored content from the next request."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from core.cache import new_version

    new_version()


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in {"backup", "restore"}:
        sys.exit(__doc__)
    {"backup": backup, "restore": restore}[sys.argv[1]](sys.argv[2])
