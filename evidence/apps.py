from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.apps import RecordsAppMixin


class EvidenceConfig(RecordsAppMixin, AppConfig):
    """Outcomes, the studies that speak to them and the assessments that rate a practice's
    evidence for an outcome on the published rubric. It builds on practices, which never
    imports it."""

    name = "evidence"
    verbose_name = _("Evidence")
    default_auto_field = "django.db.models.BigAutoField"
