"""/healthz, for load balancers: can this server reach its database and every cache?

200 {"status": "ok", "checks": {...}} when it can, 503 {"status": "failing", ...} naming what
failed otherwise. The answer is never cached, sets no cookie and needs no CSRF token (GET and
HEAD only). A balancer asks every few seconds: a failure is logged once when it starts and once
when it ends, not on every poll.
"""

import logging
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.pagecache import uncached

logger = logging.getLogger(__name__)
_last_failures = {}


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone()[0] == 1


def check_cache(alias):
    """A value written to the cache `alias` reads back, and goes again."""
    cache = caches[alias]
    key, value = f"atlas:healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 30)
    try:
        if cache.get(key) != value:
            raise LookupError("a value written could not be read back")
    finally:
        cache.delete(key)


def checks():
    """{check name: callable}: the database, then each cache settings.CACHES defines."""
    found = {"database": check_database}
    for alias in settings.CACHES:
        found[f"cache:{alias}"] = lambda alias=alias: check_cache(alias)
    return found


@uncached
@require_safe
@never_cache
def healthz(request):
    results, failures = {}, {}
    for name, check in checks().items():
        try:
            check()
        except Exception as error:  # whatever breaks, the balancer must hear "failing"
            failures[name] = type(error).__name__
            results[name] = f"failing: {type(error).__name__}"
        else:
            results[name] = "ok"
    report_change(failures)
    status = "failing" if failures else "ok"
    response = JsonResponse({"status": status, "checks": results}, status=503 if failures else 200)
    # Logged above when it changed; Django would otherwise log every failing poll as an error.
    response._has_been_logged = True
    return response


def report_change(failures):
    global _last_failures
    if failures != _last_failures:
        if failures:
            logger.error("Health check failing: %s", failures)
        else:
            logger.warning("Health check ok again.")
        _last_failures = failures
