from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.apps import RecordsAppMixin


class GuidanceConfig(RecordsAppMixin, AppConfig):
    name = "guidance"
    verbose_name = _("Guidance")
    default_auto_field = "django.db.models.BigAutoField"
