"""The fields a searched record carries, and the words misspellings are corrected to."""

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
    """A word of published records, which a misspelt query word may be corrected to."""

    word = models.TextField(_("word"), primary_key=True)

    class Meta:
        db_table = "practices_searchword"  # Where the table was first made.
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self):
        return self.word
