"""Real server processes for the tests that need them: development servers (`runserver
--noreload`, as `make run` starts one) on a SQLite file of their own, and manage.py commands
run beside them."""

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args, env):
    """Run `python *args` in the project with `env`; its output."""
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def development_env(database, versions, **extra):
    """The environment of the development settings on the SQLite file `database`, with the
    content version in the directory `versions`, and the embedded caches unless `extra` names a
    REDIS_URL."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "VERSION_CACHE_DIR": str(versions),
        "PAGE_CACHE_SECONDS": "600",
    }
    for name in ("DEBUG", "REDIS_URL", "REDIS_KEY_PREFIX"):
        env.pop(name, None)
    return {**env, **extra}


def seed(folder):
    """A migrated SQLite database with the seed content in `folder`: its path."""
    database = folder / "db.sqlite3"
    env = development_env(database, folder / "versions")
    run("manage.py", "migrate", "--no-input", "-v", "0", env=env)
    run("manage.py", "load_content", "-v", "0", env=env)
    return database


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def development_servers(*envs):
    """One development server for each environment, started together and stopped on exit:
    [(host, port)]."""
    started = []
    try:
        for env in envs:
            port = free_port()
            process = subprocess.Popen(
                [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks"]
                + [f"127.0.0.1:{port}"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            started.append((process, port))
        for process, port in started:
            wait_for(process, port)
        yield [("127.0.0.1", port) for _process, port in started]
    finally:
        for process, _port in started:
            process.terminate()
        for process, _port in started:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for(process, port, seconds=30):
    deadline = time.monotonic() + seconds
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            assert process.poll() is None, "the development server did not start"
            assert time.monotonic() < deadline, "the development server did not start"
            time.sleep(0.05)
