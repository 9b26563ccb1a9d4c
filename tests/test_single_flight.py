"""A page or a figure that is cold is built by one request while the others asking for it at
the same time wait for it (core.cache.single_flight), in the embedded cache and in Redis; no
one waits forever, nor for a build that ends without storing anything."""

import threading
import time
import uuid

import pytest
from django.core.cache import caches

from config.settings import redis_caches
from core.singleflight import single_flight


@pytest.fixture(params=["memory", "redis"])
def store(request, settings):
    if request.param == "redis":
        url = request.getfixturevalue("redis_url")
        settings.CACHES = {
            **settings.CACHES,
            "flight": redis_caches(url, f"test-{uuid.uuid4().hex[:12]}")["pages"],
        }
    else:
        settings.CACHES = {
            **settings.CACHES,
            "flight": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": uuid.uuid4().hex,
            },
        }
    yield caches["flight"]
    caches["flight"].clear()


def get_or_build(store, key, build):
    value = store.get(key)
    if value is None:
        with single_flight(store, key) as value:
            if value is None:
                value = build()
    return value


def test_readers_of_a_cold_page_wait_for_the_one_building_it(store):
    builds, answers = [], []

    def build():
        builds.append(threading.get_ident())
        time.sleep(0.3)
        store.set("page", "built once", 60)
        return "built once"

    def reader():
        answers.append(get_or_build(store, "page", build))

    readers = [threading.Thread(target=reader) for _ in range(6)]
    for thread in readers:
        thread.start()
    for thread in readers:
        thread.join()
    assert len(builds) == 1
    assert answers == ["built once"] * 6
    assert store.get("page:building") is None  # released


def test_a_build_that_stores_nothing_lets_the_waiting_reader_build_at_once(store, settings):
    settings.CACHE_BUILD_WAIT_SECONDS = 10
    first_built = threading.Event()

    def unstored():  # a page the cache may not keep (a 404, a page with a cookie)
        first_built.set()
        time.sleep(0.2)
        return "not kept"

    first = threading.Thread(target=get_or_build, args=(store, "page", unstored))
    first.start()
    first_built.wait(5)
    started = time.monotonic()
    assert get_or_build(store, "page", lambda: "built by the second") == "built by the second"
    first.join()
    assert time.monotonic() - started < 2


def test_a_reader_waits_at_most_the_set_time_for_a_build_that_never_ends(store, settings):
    settings.CACHE_BUILD_WAIT_SECONDS = 0.3
    store.add("page:building", 1, 60)  # a builder that died holding the lock
    started = time.monotonic()
    assert get_or_build(store, "page", lambda: "built anyway") == "built anyway"
    assert 0.25 < time.monotonic() - started < 2


def test_a_failed_build_releases_the_lock(store):
    def failing():
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        get_or_build(store, "page", failing)
    assert store.get("page:building") is None
    assert get_or_build(store, "page", lambda: "next time") == "next time"
