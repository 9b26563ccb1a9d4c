"""/healthz tells a load balancer whether this server reaches its database and its caches."""

import ast
import logging
from types import SimpleNamespace

import pytest
from django.db import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

from atlas import health
from config.settings import redis_caches
from core import cache as content_cache
from core import pagecache
from tests.test_page_cache import caching  # noqa: F401 (a fixture)
from tests.test_security import production_setting

URL = "/healthz"


@pytest.fixture(autouse=True)
def fresh_state(monkeypatch):
    monkeypatch.setattr(health, "_last_failures", {})


def test_a_healthy_server_answers_ok_for_the_database_and_every_cache(client, db, settings):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", **{f"cache:{alias}": "ok" for alias in settings.CACHES}},
    }


def test_it_is_never_cached_sets_no_cookie_and_needs_no_csrf_token(client, db, monkeypatch):
    outside = SimpleNamespace(in_atomic_block=False)  # as a real server, where pages are cached
    monkeypatch.setattr(pagecache, "connection", outside)
    monkeypatch.setattr(content_cache, "connection", outside)
    for _ in range(2):
        response = client.get(URL)
        assert response.status_code == 200
        assert pagecache.HEADER not in response
        assert "no-store" in response["Cache-Control"]
        assert not response.cookies
    assert client.head(URL).status_code == 200
    assert client.post(URL).status_code == 405


def test_a_failing_database_is_a_503_naming_it(client, db, monkeypatch, caplog):
    def broken():
        raise OperationalError("connection refused")

    monkeypatch.setattr(health, "check_database", broken)
    with caplog.at_level(logging.WARNING):
        responses = [client.get(URL) for _ in range(3)]
    for response in responses:
        assert response.status_code == 503
        assert response.json()["status"] == "failing"
        assert response.json()["checks"]["database"] == "failing: OperationalError"
        assert response.json()["checks"]["cache:default"] == "ok"
    # Said once when it starts failing, not on every poll of the balancer.
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) == 1


def test_a_failing_cache_is_a_503_naming_it(client, db, settings, monkeypatch):
    cache = health.caches["default"]

    def refused(*args, **kwargs):
        raise RedisConnectionError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(cache, "set", refused)
    response = client.get(URL)
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["cache:default"] == "failing: ConnectionError"
    assert checks["database"] == "ok"


def test_an_unreachable_redis_is_a_503_for_every_cache(client, db, settings):
    settings.CACHES = redis_caches("redis://127.0.0.1:1/0", "unreachable")
    response = client.get(URL)
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks == {
        "database": "ok",
        **{f"cache:{alias}": "failing: ConnectionError" for alias in settings.CACHES},
    }


def test_it_answers_ok_with_the_caches_in_redis(client, db, settings, redis_url):
    settings.CACHES = redis_caches(redis_url, "healthz-test")
    response = client.get(URL)
    assert response.status_code == 200
    assert set(response.json()["checks"]) == {
        "database",
        "cache:default",
        "cache:pages",
        "cache:versions",
    }


def test_production_answers_it_over_plain_http_and_redirects_the_pages(client, db, settings):
    """A load balancer's check over plain HTTP gets the answer, not the redirect to HTTPS."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = ast.literal_eval(
        production_setting("s.SECURE_REDIRECT_EXEMPT")
    )
    assert client.get(URL).status_code == 200
    assert client.get("/").status_code == 301


@pytest.mark.usefixtures("caching")
def test_a_conditional_request_still_gets_the_check(client):
    response = client.get(
        "/healthz", HTTP_IF_NONE_MATCH="*", HTTP_IF_MODIFIED_SINCE="Thu, 01 Jan 2099 00:00:00 GMT"
    )
    assert response.status_code == 200 and response.json()["status"] == "ok"
