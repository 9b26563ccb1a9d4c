from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CurationConfig(AppConfig):
    name = "curation"
    verbose_name = _("Curation")

    def ready(self):
        from django.contrib import admin

        from .models import PendingChange
        from .review import PendingChangeAdmin

        admin.site.register(PendingChange, PendingChangeAdmin)
