from django.urls import path

from core.citations import citation_download

from . import views
from .feeds import LatestPracticesFeed

cite_view = citation_download(views.visible_practice)

app_name = "practices"

urlpatterns = [
    path("practices/", views.practice_list, name="practice-list"),
    path("practices/<slug:slug>/", views.practice_detail, name="practice-detail"),
    path(
        "practices/<slug:slug>/cite.bib",
        cite_view,
        {"style": "bibtex"},
        name="practice-cite-bibtex",
    ),
    path("practices/<slug:slug>/cite.ris", cite_view, {"style": "ris"}, name="practice-cite-ris"),
    path(
        "practices/<slug:slug>/cite.json",
        cite_view,
        {"style": "csl-json"},
        name="practice-cite-csl-json",
    ),
    path("feeds/practices/", LatestPracticesFeed(), name="practice-feed"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme-detail"),
    path("approaches/<slug:slug>/", views.approach_detail, name="approach-detail"),
]
