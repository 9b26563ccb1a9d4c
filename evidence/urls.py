from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("", views.gap_map_page, name="gap-map"),
    path("rubric/", views.rubric_page, name="rubric"),
]
