from django.urls import path

from core.citations import citation_download

from . import views

cite_view = citation_download(views.visible_movement)

app_name = "movements"

urlpatterns = [
    path("", views.movement_list, name="movement-list"),
    path("<slug:slug>/", views.movement_detail, name="movement-detail"),
    path("<slug:slug>/cite.bib", cite_view, {"style": "bibtex"}, name="movement-cite-bibtex"),
    path("<slug:slug>/cite.ris", cite_view, {"style": "ris"}, name="movement-cite-ris"),
    path("<slug:slug>/cite.json", cite_view, {"style": "csl-json"}, name="movement-cite-csl-json"),
]
