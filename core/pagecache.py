"""Whole pages for visitors who are not signed in, cached until the content changes.

Most requests are anonymous reads of the same few hundred pages; rendering one at 100,000
practices takes tens of milliseconds of queries and templates, serving it from the cache well
under one. A page is cached under its scheme, host, full path (query string included) and
language, and the versions of the topics it shows (core.cache; which topics, its app declares
with core.records.Pages): a write replaces the versions of what it changed, so an admin's edit
shows on the next request and pages that do not show it stay cached. Only plain successes are
stored: a GET without a session or messages cookie, answered 200 with no cookie set, no CSRF
token used, nothing private and no Vary beyond the language and encoding already in the key.
Signed-in staff (who may preview drafts) and the admin always get fresh pages, and nothing is
cached inside a transaction (tests run in one). Pages go to the "pages" cache when settings
define one.

PAGE_CACHE_SECONDS (settings) bounds how long an entry lives; 0 turns the cache off.

Such a page also tells browsers and caches in front how to ask again: an ETag (its key: topic
versions, URL, language), Last-Modified (the newest of its topics' versions) and
`Cache-Control: public, max-age=HTTP_MAX_AGE` (0 by default: asked about every time). A request
that names the current ETag or a date since the last change gets 304 Not Modified before
anything is rendered or read.
"""

import hashlib

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.urls import Resolver404, resolve
from django.utils.cache import (
    cc_delim_re,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date
from django.utils.translation import get_language

from core.cache import ANY, named_cache, related_values, value_known, versioned
from core.records import page_topics
from core.singleflight import single_flight

HEADER = "X-Page-Cache"
MAX_BYTES = 200 * 1024
VARY_KEYED = {"accept-language", "accept-encoding"}


def timeout():
    return getattr(settings, "PAGE_CACHE_SECONDS", 600)


def http_max_age():
    """How long a browser or a cache in front may reuse a page without asking (seconds)."""
    return getattr(settings, "HTTP_MAX_AGE", 0)


def pages():
    """The "pages" cache when settings define one (so that a crawler's endless query strings
    push out pages, not the costly figures in the default cache), else the default."""
    return named_cache("pages")


def validators(version, key):
    """(ETag, Last-Modified timestamp) of the page stored under `key`, which names its URL,
    language and topic versions, the newest of them `version` (when made, in nanoseconds)."""
    digest = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:20]
    return f'"{digest}"', version // 1_000_000_000


def public(response, etag, last_modified):
    """The headers of a page anyone may keep, asking again after HTTP_MAX_AGE seconds (0: every
    time, which a 304 answers cheaply while nothing changed).
    It varies on Cookie as well as Accept-Language: the language cookie picks its language, and a
    shared cache in front must not serve a French page to a reader who chose English."""
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=http_max_age())
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


def uncached(view):
    """A view whose answers are never kept nor answered with 304 here (a health check)."""
    view.page_cache_exempt = True
    return view


def topics(path, query=None):
    """What the page at `path` with GET `query` shows (core.records.Pages), as topics of
    core.cache; None for an `uncached` view."""
    try:
        match = resolve(path)
    except Resolver404:
        return (ANY,)
    if getattr(match.func, "page_cache_exempt", False):
        return None
    found = page_topics(
        match.view_name, match.kwargs, query, known=value_known, values_of=related_values
    )
    return found or (ANY,)


class AnonymousPageCacheMiddleware:
    """Put it after the session, locale, authentication and message middleware: it needs the
    language and the user, and what comes after it (headers included) is what it stores."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = self.key(request)
        if found is None:
            return self.get_response(request)
        version, key = found
        etag, last_modified = validators(version, key)
        not_modified = get_conditional_response(request, etag, last_modified)
        if not_modified is not None:
            return public(not_modified, etag, last_modified)
        stored = pages().get(key)
        if stored is None:
            # Readers arriving while it is built wait for it rather than all build it at once.
            with single_flight(pages(), key) as stored:
                if stored is None:
                    return self.build(request, key, etag, last_modified)
        status, headers, content = stored
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response[HEADER] = "hit"
        return public(response, etag, last_modified)

    def build(self, request, key, etag, last_modified):
        response = self.get_response(request)
        if self.storable(request, response):
            headers = [(name, value) for name, value in response.items() if name != HEADER]
            pages().set(key, (response.status_code, headers, response.content), timeout())
            response[HEADER] = "miss"
            public(response, etag, last_modified)
        return response

    def key(self, request):
        """(newest topic version, cache key) of the request's page, or None if it is not cached."""
        if (
            not timeout()
            or request.method not in ("GET", "HEAD")
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or "messages" in request.COOKIES
            or request.path.startswith("/admin/")
            or connection.in_atomic_block
        ):
            return None
        shown = topics(request.path_info, request.GET)
        if shown is None:
            return None
        # Stored as sent: compressed for readers who accept gzip (GZipMiddleware comes after).
        encoding = (
            "gzip" if re_accepts_gzip.search(request.headers.get("Accept-Encoding", "")) else ""
        )
        parts = (
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            get_language(),
            encoding,
        )
        return versioned("atlas:page:", parts, shown)

    def storable(self, request, response):
        user = getattr(request, "user", None)
        vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v}
        cache_control = response.get("Cache-Control", "").lower()
        session = getattr(request, "session", None)
        return (
            request.method == "GET"
            and not (user and user.is_authenticated)
            # A page with a CSRF token, or one that changed the session, is someone's own.
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not (session is not None and session.modified)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
            and vary <= VARY_KEYED
            and len(response.content) <= MAX_BYTES
        )
