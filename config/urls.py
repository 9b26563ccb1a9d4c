from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("atlas.urls")),
    path("", include("practices.urls")),
    path("movements/", include("movements.urls")),
    path("guidance/", include("guidance.urls")),
]
