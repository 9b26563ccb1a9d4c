"""Whole pages for visitors who are not signed in, cached until the content changes.

Most requests are anonymous reads of the same few hundred pages; rendering one at 100,000
practices takes tens of milliseconds of queries and templates, serving it from the cache well
under one. A page is cached under its scheme, host, full path (query string included) and
language, and the content version (core.cache), which every save, delete or link change
replaces: an admin's edit shows on the next request. Only plain successes are stored: a GET
without a session or messages cookie, answered 200 with no cookie set, no CSRF token used,
nothing private and no Vary beyond the language and encoding already in the key. Signed-in
staff (who may preview drafts) and the admin always get fresh pages, and nothing is cached
inside a transaction (tests run in one). Pages go to the "pages" cache when settings define one.

PAGE_CACHE_SECONDS (settings) bounds how long an entry lives; 0 turns the cache off.
"""

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.utils.cache import cc_delim_re, patch_vary_headers
from django.utils.translation import get_language

from core.cache import named_cache, versioned_key

HEADER = "X-Page-Cache"
MAX_BYTES = 200 * 1024
VARY_KEYED = {"accept-language", "accept-encoding"}


def timeout():
    return getattr(settings, "PAGE_CACHE_SECONDS", 600)


def pages():
    """The "pages" cache when settings define one (so that a crawler's endless query strings
    push out pages, not the costly figures in the default cache), else the default."""
    return named_cache("pages")


def vary_on_language_cookie(response):
    """A page is in the language the reader's language cookie names, as well as Accept-Language:
    a shared cache in front must not serve a French page to a reader who chose English."""
    patch_vary_headers(response, ("Cookie",))
    return response


class AnonymousPageCacheMiddleware:
    """Put it after the session, locale, authentication and message middleware: it needs the
    language and the user, and what comes after it (headers included) is what it stores."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = self.key(request)
        if key is None:
            return self.get_response(request)
        stored = pages().get(key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response[HEADER] = "hit"
            return vary_on_language_cookie(response)
        response = self.get_response(request)
        if self.storable(request, response):
            headers = [(name, value) for name, value in response.items() if name != HEADER]
            pages().set(key, (response.status_code, headers, response.content), timeout())
            response[HEADER] = "miss"
            vary_on_language_cookie(response)
        return response

    def key(self, request):
        if (
            not timeout()
            or request.method not in ("GET", "HEAD")
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or "messages" in request.COOKIES
            or request.path.startswith("/admin/")
            or connection.in_atomic_block
        ):
            return None
        parts = (request.scheme, request.get_host(), request.get_full_path(), get_language())
        return versioned_key("atlas:page:", parts)

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
