"""The fields a searched record carries, and the words searches look up beside the records (their
table keeps the name it had in the practices app, where it was first made)."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


def search_names_field():
    help_text = _(
        "Kept up to date from linked records (organisations, places, approach, tags) and "
        "acronym expansions, so a search for a linked name finds the record."
    )
    return models.TextField(
        _("names for search"), blank=True, default="", editable=False, help_text=help_text
    )


def search_vector_field():
    help_text = _("The weighted full-text document; filled on PostgreSQL only.")
    return SearchVectorField(_("search vector"), null=True, editable=False, help_text=help_text)


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
