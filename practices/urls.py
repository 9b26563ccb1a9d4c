from django.urls import path

from . import views

app_name = "practices"

urlpatterns = [
    path("practices/", views.practice_list, name="practice-list"),
    path("practices/<slug:slug>/", views.practice_detail, name="practice-detail"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme-detail"),
    path("approaches/<slug:slug>/", views.approach_detail, name="approach-detail"),
]
