"""Counts the queries of a request and times it in the server, for scripts/bench."""

import time

from django.db import connections

QUERY_COUNT_HEADER = "X-Query-Count"


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
