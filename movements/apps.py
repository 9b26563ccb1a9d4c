from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MovementsConfig(AppConfig):
    name = "movements"
    verbose_name = _("Movements")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import records, search  # noqa: F401

        records.declare()
