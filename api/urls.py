from django.urls import include, path, re_path
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import views
from .errors import not_found
from .search import SearchView

app_name = "api"

router = DefaultRouter()
router.register("practices", views.PracticeViewSet, basename="practice")
router.register("movements", views.MovementViewSet, basename="movement")
router.register("principles", views.PrincipleViewSet, basename="principle")
router.register("sections", views.SectionViewSet, basename="section")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("countries", views.CountryViewSet, basename="country")
router.register("regions", views.RegionViewSet, basename="region")
router.register("themes", views.ThemeViewSet, basename="theme")
router.register("approaches", views.ApproachViewSet, basename="approach")
router.register("tags", views.TagViewSet, basename="tag")

urlpatterns = [
    path("v1/search/", SearchView.as_view(), name="search"),
    path("v1/", include(router.urls)),
    # JSON only: one representation per address, so the page cache can keep it.
    path(
        "schema/",
        SpectacularAPIView.as_view(renderer_classes=[OpenApiJsonRenderer]),
        name="schema",
    ),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/docs.html"),
        name="docs",
    ),
    re_path(r"", not_found),
]
