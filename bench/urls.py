"""The site's URLs plus the benchmark's floor and cache reset.

Used only by bench.settings (scripts/bench): normal runs never route /bench/.
"""

from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.cache import never_cache

from core.cache import content_changed


def floor(request):
    """The cheapest page the stack can serve: every middleware, no template, no query."""
    return HttpResponse("floor\n", content_type="text/plain; charset=utf-8")


@never_cache
def changed(request):
    """Replace the content version, as any save does: the next request of every page, in every
    server process, is computed afresh (the benchmark's "cold" figures)."""
    content_changed()
    return HttpResponse("changed\n", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("bench/floor/", floor, name="bench-floor"),
    path("bench/changed/", changed, name="bench-changed"),
    path("", include("config.urls")),
]
