"""The words searches look up beside the records; the tables keep the names they had in the
practices app, where they were first made."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchWord(models.Model):
    """A word of the names published records carry, which a misspelt query word may be corrected
    to. Unused words go at the next `rebuild_search_index`."""

    word = models.TextField(_("word"), primary_key=True)

    class Meta:
        db_table = "practices_searchword"
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self):
        return self.word
