from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CurationConfig(AppConfig):
    default = True
    name = "curation"
    verbose_name = _("Curation")

    def ready(self):
        from django.contrib import admin

        from .models import PendingChange
        from .review import PendingChangeAdmin

        admin.site.register(PendingChange, PendingChangeAdmin)


class CuratedAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on the curators' site (curation.site)."""

    default = False  # named in INSTALLED_APPS in place of django.contrib.admin
    default_site = "curation.site.CuratedAdminSite"
