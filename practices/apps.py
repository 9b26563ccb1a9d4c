from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.apps import RecordsAppMixin


class PracticesConfig(RecordsAppMixin, AppConfig):
    name = "practices"
    verbose_name = _("Practices")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        super().ready()
        from . import signals  # noqa: F401
