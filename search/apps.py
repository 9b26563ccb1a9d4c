from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Full-text search over the registered content types; imports no content app."""

    name = "search"
    verbose_name = _("Search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import hooks
        from .documents import ensure_indexes

        hooks.connect()
        post_migrate.connect(ensure_indexes, dispatch_uid="search_ensure_indexes")
