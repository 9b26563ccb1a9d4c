from django.urls import path

from . import health, places, views

app_name = "atlas"

urlpatterns = [
    path("", views.home, name="home"),
    path("countries/", places.country_list, name="country-list"),
    path("countries/<slug:code>/", places.country_detail, name="country-detail"),
    path("regions/<slug:slug>/", places.region_detail, name="region-detail"),
    path("tags/<slug:slug>/", views.tag_detail, name="tag-detail"),
    path("search/", views.search, name="search"),
    path("coverage/", views.coverage, name="coverage"),
    path("language/", views.language, name="language"),
    path("healthz", health.healthz, name="healthz"),
]
