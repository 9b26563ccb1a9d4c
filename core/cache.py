"""A cache for what is costly to derive at scale (facet counts, whole pages), dropped on any change.

Every key carries a content version, which a save, delete or link change of any record in the
content apps replaces, so the next request computes afresh. The version lives in the "versions"
cache when settings.CACHES defines one (the production profile makes it a file cache that every
server process shares, so a change is seen at once by all of them), else in the default cache;
with a per-process default cache and no shared "versions" cache, the other processes see a change
when their entries expire (COUNTS_CACHE_SECONDS, two minutes by default, for figures;
PAGE_CACHE_SECONDS, ten minutes, for pages).

Nothing is cached inside a transaction: what it has written may yet be rolled back (and tests,
which run in one, always compute afresh).
"""

import hashlib
import logging
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from redis.exceptions import RedisError

from .records import content_apps

VERSION_KEY = "atlas:content-version"
# What a version cache that cannot be reached raises: a file cache OSError, Redis RedisError.
CACHE_ERRORS = (OSError, RedisError)
logger = logging.getLogger(__name__)


def timeout():
    return getattr(settings, "COUNTS_CACHE_SECONDS", 120)


def named_cache(alias):
    """The cache `alias` when settings.CACHES defines it, else the default cache."""
    return caches[alias if alias in settings.CACHES else "default"]


def versions():
    return named_cache("versions")


def content_version():
    """The current content version, or None when it cannot be read or recorded (then nothing
    is cached: see `cached` and atlas/pagecache.py)."""
    try:
        version = versions().get(VERSION_KEY)
        if version is None:
            versions().add(VERSION_KEY, time.time_ns(), None)
            version = versions().get(VERSION_KEY)
    except CACHE_ERRORS:
        logger.exception("Could not read the content version; nothing is cached.")
        return None
    return version


_discarded = ContextVar("content_changes_discarded", default=False)


@contextmanager
def changes_discarded():
    """For writes that will be rolled back (a state shown in the admin, then undone): they do
    not replace the content version, so cached pages stay."""
    token = _discarded.set(True)
    try:
        yield
    finally:
        _discarded.reset(token)


def content_changed(sender=None, **kwargs):
    """A signal receiver: content of the knowledge base changed, so every cached figure goes."""
    if _discarded.get():
        return
    if sender is None or sender._meta.app_label in content_apps():
        new_version()
        # Again once the change is committed: a request that read the old rows between the
        # first bump and the commit may have cached them under the first new version.
        transaction.on_commit(new_version)


def new_version():
    try:
        versions().set(VERSION_KEY, time.time_ns(), None)
    except CACHE_ERRORS:
        # A file cache that cannot be written (VERSION_CACHE_DIR) must not fail the curator's
        # save; cached pages then live until PAGE_CACHE_SECONDS runs out.
        logger.exception("Could not record a new content version; cached pages may be stale.")


def versioned(prefix, parts):
    """(the content version, a cache key for `parts` (a repr-able value) under it), or None when
    the version cannot be read (then nothing is to be cached)."""
    version = content_version()
    if version is None:
        return None
    digest = hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()
    return version, f"{prefix}{version}:{digest}"


def versioned_key(prefix, parts):
    """A cache key for `parts` under the content version, or None (see versioned)."""
    found = versioned(prefix, parts)
    return found and found[1]


def cached(parts, compute):
    """compute(), cached under a key made of `parts` (a repr-able value) and the content
    version; computed afresh inside a transaction."""
    if connection.in_atomic_block or not timeout():
        return compute()
    key = versioned_key("atlas:", parts)
    if key is None:
        return compute()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout())
    return value


for name, signal in (("saved", post_save), ("deleted", post_delete), ("linked", m2m_changed)):
    signal.connect(content_changed, dispatch_uid=f"atlas_cache_content_{name}")
