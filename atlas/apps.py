from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AtlasConfig(AppConfig):
    """The pages that span all three content apps: home, search, countries, tags."""

    name = "atlas"
    verbose_name = _("Atlas")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .records import declare

        declare()
