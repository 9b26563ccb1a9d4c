from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("rubric/", views.rubric_page, name="rubric"),
]
