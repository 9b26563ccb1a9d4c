"""What searches look up beside the records. Both tables keep the names they had in the
practices app, where they were first made."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchLexeme(models.Model):
    """A lexeme (an English stem, as PostgreSQL stores words) of some record's search vector: a
    query word searched as a prefix ("leaders" for "leadership") is searched as the lexemes here
    that its stem begins. Filled on PostgreSQL only; unused lexemes go at the next
    `rebuild_search_index`."""

    lexeme = models.TextField(_("lexeme"), primary_key=True)

    class Meta:
        db_table = "practices_searchlexeme"
        verbose_name = _("search lexeme")
        verbose_name_plural = _("search lexemes")

    def __str__(self):
        return self.lexeme


class SearchWord(models.Model):
    """A word of the names published records carry (titles, organisations, places, tags,
    acronyms), which a misspelt query word may be corrected to. Unused words go at the next
    `rebuild_search_index`."""

    word = models.TextField(_("word"), primary_key=True)

    class Meta:
        db_table = "practices_searchword"
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self):
        return self.word
