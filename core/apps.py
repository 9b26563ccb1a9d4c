from importlib import import_module

from django.apps import AppConfig
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The shared record framework: model bases, lists and facets, exports, feeds, citations,
    the page cache and its content version. It imports no content app."""

    name = "core"
    verbose_name = _("Record framework")

    def ready(self):
        from . import counts  # noqa: F401 - its receivers keep the facet counts


class RecordsAppMixin:
    """For a content app's AppConfig: when the app is ready, its `records.declare()` declares its
    record types, and its `search` module, where it has one, says how /search/ reads them.

    A mixin, not an AppConfig subclass: Django takes the one AppConfig subclass an app's apps.py
    holds as its config, and would find two there."""

    def ready(self):
        records = import_module(f"{self.name}.records")
        if module_has_submodule(self.module, "search"):
            import_module(f"{self.name}.search")
        records.declare()
