from django.urls import path

from . import health, views

app_name = "atlas"

urlpatterns = [
    path("", views.home, name="home"),
    path("countries/", views.country_list, name="country-list"),
    path("countries/<slug:code>/", views.country_detail, name="country-detail"),
    path("tags/<slug:slug>/", views.tag_detail, name="tag-detail"),
    path("search/", views.search, name="search"),
    path("coverage/", views.coverage, name="coverage"),
    path("language/", views.language, name="language"),
    path("healthz", health.healthz, name="healthz"),
]
