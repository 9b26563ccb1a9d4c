"""One request builds a cold page or figure while the others asking for it wait (core.cache,
core.pagecache), so that readers arriving after a change do not all build the same thing at once."""

import logging
import time
from contextlib import contextmanager

from django.conf import settings
from redis.exceptions import RedisError

# What a cache that cannot be reached raises: a file cache OSError, Redis RedisError.
CACHE_ERRORS = (OSError, RedisError)
POLL_SECONDS = 0.01
logger = logging.getLogger(__name__)


def wait_seconds():
    """How long a request waits for another one building the same page or figure, before
    building it itself."""
    return getattr(settings, "CACHE_BUILD_WAIT_SECONDS", 5)


def _quietly(method, *args):
    try:
        return method(*args)
    except CACHE_ERRORS:
        logger.exception("The cache could not be reached; building without waiting.")
        return None


@contextmanager
def single_flight(store, key):
    """Around building the value for `key` in the cache `store` after a miss: yields the value
    another request stored meanwhile (it was building it: wait for it rather than build it
    again at the same time), or None when this request is to build and store it. A request
    waits at most wait_seconds(), and stops waiting when the other one ends without storing
    anything (a page it could not keep), so nothing waits forever. `key` names the versions of
    what it shows, so what it gets is never older than the last change before it asked."""
    lock = f"{key}:building"
    held = _quietly(store.add, lock, 1, max(1, int(wait_seconds() * 2)))
    found = None
    if held:  # Another request may have stored it between our miss and now.
        found = _quietly(store.get, key)
    else:
        deadline = time.monotonic() + wait_seconds()
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            found = _quietly(store.get, key)
            if found is not None:
                break
            if not _quietly(store.get, lock):  # It ended: stored just now, or not at all.
                found = _quietly(store.get, key)
                break
    try:
        yield found
    finally:
        if held:
            _quietly(store.delete, lock)
