from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The shared record framework: model bases, lists and facets, exports, feeds, citations,
    the page cache and its content version. It imports no content app."""

    name = "core"
    verbose_name = _("Record framework")
