"""The site's URLs plus the benchmark's floor and cache reset, and the middleware that counts
queries.

Used only by config.settings_bench (scripts/bench): normal runs never route /bench/.
"""

from django.db import connections
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.cache import never_cache

from practices.cache import content_changed

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
    """Counts the SQL statements a request runs and reports them in a response header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        response[QUERY_COUNT_HEADER] = str(count)
        return response


urlpatterns = [
    path("bench/floor/", floor, name="bench-floor"),
    path("bench/changed/", changed, name="bench-changed"),
    path("", include("config.urls")),
]
