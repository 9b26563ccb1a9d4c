"""With REDIS_URL, pages, figures, the content version and sessions live in Redis; without it,
the embedded default (each process's memory and a version file) stays as it was."""

import uuid
from types import SimpleNamespace

import pytest
import redis

from config.settings import redis_caches
from core import cache as content_cache
from core import pagecache
from practices.models import Practice
from tests.test_security import production_setting

LIST = "/practices/"
UNREACHABLE = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def test_with_redis_url_every_cache_is_a_redis_cache_with_its_own_prefix():
    backends = production_setting(
        "(sorted((a, c['BACKEND'], c['LOCATION'], c['KEY_PREFIX']) for a, c in s.CACHES.items()),"
        "s.SESSION_ENGINE)",
        REDIS_URL="redis://cache.internal:6379/2",
        REDIS_KEY_PREFIX="",
    )
    redis_backend = "django.core.cache.backends.redis.RedisCache"
    url = "redis://cache.internal:6379/2"
    assert backends == repr(
        (
            [
                ("default", redis_backend, url, "atlas-default"),
                ("pages", redis_backend, url, "atlas-pages"),
                ("versions", redis_backend, url, "atlas-versions"),
            ],
            "django.contrib.sessions.backends.cached_db",
        )
    )


@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_redis_url_keeps_the_embedded_caches(value):
    backends = production_setting(
        "(sorted((a, c['BACKEND']) for a, c in s.CACHES.items()), s.SESSION_ENGINE)",
        REDIS_URL=value,
    )
    assert backends == repr(
        (
            [
                ("default", "django.core.cache.backends.locmem.LocMemCache"),
                ("pages", "django.core.cache.backends.locmem.LocMemCache"),
                ("versions", "django.core.cache.backends.filebased.FileBasedCache"),
            ],
            "django.contrib.sessions.backends.db",
        )
    )


def caching_outside_a_transaction(monkeypatch):
    """Tests run inside a transaction, where nothing is cached: pretend they do not."""
    outside = SimpleNamespace(in_atomic_block=False)
    monkeypatch.setattr(pagecache, "connection", outside)
    monkeypatch.setattr(content_cache, "connection", outside)


@pytest.fixture
def in_redis(redis_url, settings, content, monkeypatch):
    """The caches in the Redis of REDIS_URL, under a prefix of this test's own: (prefix, client)."""
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = redis_caches(redis_url, prefix)
    caching_outside_a_transaction(monkeypatch)
    client = redis.Redis.from_url(redis_url)
    yield prefix, client
    for key in client.scan_iter(f"{prefix}-*"):
        client.delete(key)
    client.close()


def test_pages_and_the_content_version_are_kept_in_redis(client, in_redis):
    prefix, server = in_redis
    first = client.get(LIST)
    second = client.get(LIST)
    assert first[pagecache.HEADER] == "miss" and second[pagecache.HEADER] == "hit"
    assert second.content == first.content
    keys = {key.decode() for key in server.scan_iter(f"{prefix}-*")}
    assert f"{prefix}-versions:1:{content_cache.version_key(content_cache.SITE)}" in keys
    assert any(key.startswith(f"{prefix}-pages:1:atlas:page:") for key in keys)

    practice = Practice.objects.published().order_by("title").first()
    client.get(practice.get_absolute_url())
    practice.title = "A title given while the pages are in Redis"
    practice.save()
    response = client.get(practice.get_absolute_url())
    assert response[pagecache.HEADER] == "miss"
    assert "A title given while the pages are in Redis" in response.content.decode()


def test_an_unreachable_redis_serves_pages_uncached_and_saves_still_work(
    client, settings, content, monkeypatch
):
    settings.CACHES = redis_caches(UNREACHABLE, "unreachable")
    caching_outside_a_transaction(monkeypatch)
    assert content_cache.content_version() is None
    for _ in range(2):
        response = client.get(LIST)
        assert response.status_code == 200
        assert pagecache.HEADER not in response
    practice = Practice.objects.published().order_by("title").first()
    practice.title = "Saved while Redis is down"
    practice.save()
    practice.refresh_from_db()
    assert practice.title == "Saved while Redis is down"
    assert "Saved while Redis is down" in client.get(practice.get_absolute_url()).content.decode()
