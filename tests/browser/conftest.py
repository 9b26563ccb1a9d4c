"""Browser test harness: the site served by `manage.py runserver` on its own SQLite database,
driven by Playwright in Debian's headless Chromium.

The server runs in a separate process so that the browser sees exactly what a visitor sees
(DEBUG off, WhiteNoise serving the stylesheet, real sessions and cookies). Without Chromium or
Playwright the tests are skipped on a developer's machine and fail in CI (CI=true).
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
EDITOR = {"username": "editor", "password": "browser-test-editor-pw"}
PUBLISHER = {"username": "publisher", "password": "browser-test-publisher-pw"}
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}

MAKE_CURATOR = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
user = get_user_model().objects.create_user({username!r}, password={password!r}, is_staff=True)
user.groups.add(Group.objects.get(name={role!r}))
"""


def unavailable(reason):
    """Skip on a developer's machine; in CI a missing browser is a failure, never a skip."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=300,
    )


@contextmanager
def serve_site():
    """Run the site on a free port with its own SQLite database: migrated, seeded, translations
    compiled and an editor account; yields the base URL and stops the server afterwards."""
    workdir = Path(tempfile.mkdtemp(prefix="atlas-browser-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "DEBUG": "false",
        "PYTHONUNBUFFERED": "1",
    }
    manage(env, "compile_translations", "-v", "0")
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "load_content", "-v", "0")
    manage(env, "setup_roles", "-v", "0")
    manage(env, "shell", "-c", MAKE_CURATOR.format(**EDITOR, role="Editor"))
    manage(env, "shell", "-c", MAKE_CURATOR.format(**PUBLISHER, role="Publisher"))

    port = free_port()
    log = (workdir / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "/", timeout=2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "runserver did not start:\n" + (workdir / "server.log").read_text()
                    ) from None
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def live_server_url():
    with serve_site() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        unavailable("playwright is not installed (pip install -e '.[dev]')")
    with chromium() as browser:
        yield browser


def new_page(browser, base_url, viewport=DESKTOP, language=None):
    """A page in a fresh context (own cookies); `language` sets Django's language cookie."""
    context = browser.new_context(base_url=base_url, viewport=viewport)
    if language:
        context.add_cookies([{"name": "django_language", "value": language, "url": base_url}])
    context.set_default_timeout(15_000)
    return context.new_page()


@pytest.fixture
def page(browser, live_server_url):
    page = new_page(browser, live_server_url)
    yield page
    page.context.close()
