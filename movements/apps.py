from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.apps import RecordsAppMixin


class MovementsConfig(RecordsAppMixin, AppConfig):
    name = "movements"
    verbose_name = _("Movements")
    default_auto_field = "django.db.models.BigAutoField"
