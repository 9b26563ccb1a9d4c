from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from atlas.sitemaps import sitemaps

SITEMAP_OPTIONS = {"sitemaps": sitemaps()}


def favicon(request):
    """Browsers ask for /favicon.ico on pages that link no icon (the admin's, the API's)."""
    return redirect(static("favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {**SITEMAP_OPTIONS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemap_views.sitemap, SITEMAP_OPTIONS, name="sitemap-section"),
    path("", include("atlas.urls")),
    path("", include("practices.urls")),
    path("movements/", include("movements.urls")),
    path("guidance/", include("guidance.urls")),
    path("evidence/", include("evidence.urls")),
]
