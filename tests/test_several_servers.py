"""Two app servers on one database and one Redis share their pages, their content version and
their sessions: a page one cached is a hit on the other, an edit through one shows on the other
at its next request, and a curator signed in on one is signed in on the other.

Both run as separate processes (`runserver --noreload`) on one SQLite file, each with a
content-version directory of its own, as on two machines: only Redis joins them.
"""

import shutil
import sqlite3
import uuid
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
import redis

from tests.servers import development_env, development_servers, run
from tests.test_outside_writes import OLD_TITLE, PAGE

PASSWORD = "a-long-password-for-two-servers"


@pytest.fixture
def two_servers(redis_url, tmp_path, request):
    """Servers A and B on one database (a copy of the seeded one, with a superuser) and one
    Redis, under a key prefix of this test's own: (A, B, a Redis client, the prefix)."""
    database = tmp_path / "db.sqlite3"
    # Asked for here, so that without Redis the test is skipped before the seeding.
    shutil.copy(request.getfixturevalue("seeded_database"), database)
    env = development_env(database, tmp_path / "versions", DJANGO_SUPERUSER_PASSWORD=PASSWORD)
    run(
        *("manage.py", "createsuperuser", "--no-input", "--username", "curator"),
        *("--email", "curator@example.org"),
        env=env,
    )
    prefix = f"two-servers-{uuid.uuid4().hex[:12]}"
    envs = [
        development_env(
            database, tmp_path / f"versions-{name}", REDIS_URL=redis_url, REDIS_KEY_PREFIX=prefix
        )
        for name in ("a", "b")
    ]
    client = redis.Redis.from_url(redis_url)
    try:
        with development_servers(*envs) as (a, b):
            yield a, b, client, prefix
    finally:
        for key in client.scan_iter(f"{prefix}-*"):
            client.delete(key)
        client.close()


def send(server, method, path, cookies=None, form=None):
    """(status, headers, body, cookies set) of one request to `server`."""
    connection = HTTPConnection(*server, timeout=30)
    # Behind a load balancer both see the site's own host name, which is part of a page's key.
    headers = {"Host": "localhost"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read().decode()
        set_cookies = SimpleCookie()
        for value in response.headers.get_all("Set-Cookie") or []:
            set_cookies.load(value)
        return (
            response.status,
            response.headers,
            content,
            {k: m.value for k, m in set_cookies.items()},
        )
    finally:
        connection.close()


def log_in(server):
    """The cookies of a curator signed in through the admin's login form on `server`."""
    _, _, _, cookies = send(server, "GET", "/admin/login/")
    form = {
        "username": "curator",
        "password": PASSWORD,
        "csrfmiddlewaretoken": cookies["csrftoken"],
        "next": "/admin/",
    }
    status, headers, _, set_cookies = send(server, "POST", "/admin/login/", cookies, form)
    assert status == 302 and headers["Location"] == "/admin/", "the login was refused"
    return {**cookies, **set_cookies}


def practice_id(database, title):
    with sqlite3.connect(database) as db:
        (pk,) = db.execute("SELECT id FROM practices_practice WHERE title = ?", [title]).fetchone()
    db.close()
    return pk


def test_two_servers_share_pages_edits_and_sessions(two_servers, tmp_path):
    a, b, redis_client, prefix = two_servers

    # A page one server cached is a hit on the other.
    status, headers, page, _ = send(a, "GET", PAGE)
    assert status == 200 and headers["X-Page-Cache"] == "miss"
    assert f">{OLD_TITLE}</h1>" in page
    status, headers, page_on_b, _ = send(b, "GET", PAGE)
    assert status == 200 and headers["X-Page-Cache"] == "hit"
    assert page_on_b == page

    # Signed in on A, the curator is signed in on B, the session being in Redis.
    cookies = log_in(a)
    session = cookies["sessionid"]
    assert redis_client.exists(f"{prefix}-default:1:django.contrib.sessions.cached_db{session}")
    status, _, admin_page, _ = send(b, "GET", "/admin/", cookies)
    assert status == 200 and "curator" in admin_page

    # The curator unpublishes the practice through B: A's next request for its page shows it.
    status, headers, _, _ = send(
        b,
        "POST",
        "/admin/practices/practice/",
        cookies,
        {
            "action": "unpublish",
            "_selected_action": practice_id(tmp_path / "db.sqlite3", OLD_TITLE),
            "index": "0",
            "csrfmiddlewaretoken": cookies["csrftoken"],
        },
    )
    assert status == 302, "the admin action was refused"
    status, _, _, _ = send(a, "GET", PAGE)
    assert status == 404
