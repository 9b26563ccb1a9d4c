from django.urls import path

from . import views

app_name = "guidance"

urlpatterns = [
    path("", views.guidance, name="guidance"),
    path("checklist/", views.checklist, name="checklist"),
    path("principles/<slug:slug>/", views.principle_detail, name="principle-detail"),
]
