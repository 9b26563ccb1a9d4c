"""The site's URLs plus the benchmark's floor and cache reset, and the middleware that counts
queries and times requests.

Used only by config.settings_bench (scripts/bench): normal runs never route /bench/.
"""

import time

from django.db import connections
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.cache import never_cache

from core.cache import content_changed

QUERY_COUNT_HEADER = "X-Query-Count"


def floor(request):
    """The cheapest page the stack can serve: every middleware, no template, no query."""
    return HttpResponse("floor\n", content_type="text/plain; charset=utf-8")


@never_cache
def changed(request):
    """Replace the content version, as any save does: the next request of every page, in every
    server process, is computed afresh (the benchmark's "cold" figures)."""
    content_changed()
    return HttpResponse("changed\n", content_type="text/plain; charset=utf-8")


class QueryCountMiddleware:
    """Counts the SQL statements a request runs and times the request in the server, from the
    outermost middleware in: the count in a response header, the time (milliseconds) in a
    Server-Timing header, so that the benchmark tells server time from time in the queue."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        response[QUERY_COUNT_HEADER] = str(count)
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response


urlpatterns = [
    path("bench/floor/", floor, name="bench-floor"),
    path("bench/changed/", changed, name="bench-changed"),
    path("", include("config.urls")),
]
