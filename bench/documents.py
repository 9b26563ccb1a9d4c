"""The search documents of synthetic records, built from the links the seeder draws."""

from search.documents import other_forms, spec_for


class Related(list):
    """A relation's records as a prefetched manager gives them."""

    def all(self):
        return self


class Linked:
    """A record as its SearchSpec's `names()` reads it, with its links given rather than queried:
    the record is not saved yet when its document is built."""

    def __init__(self, record, **links):
        self._record = record
        self._links = links

    def __getattr__(self, name):
        if name in self._links:
            return Related(self._links[name])
        return getattr(self._record, name)


class SearchDocuments:
    """The `search_names` of new records as the search module's `document_names()` builds them:
    the names their model's SearchSpec lists, then the glossary's expansions.

    Generated text is lower-case words without acronyms and without the words (and, for, of) that
    the glossary's full names need, so only the names, and a record's `own` name and acronym, are
    scanned for expansions, each distinct name once: scanning the bodies of 100,000 records would
    take most of the run. A rebuild gives the same names; their order may differ.
    """

    def __init__(self, glossary):
        self.glossary = glossary
        self.expanded = {}

    def names(self, record, *, own=(), **links):
        """The document of unsaved `record`, whose relations are `links` ({name: records})."""
        names = list(spec_for(type(record)).names(Linked(record, **links)))
        names += other_forms(names)
        kept = list(dict.fromkeys(name.strip() for name in names if name and name.strip()))
        for piece in [*own, *kept]:
            if piece not in self.expanded:
                self.expanded[piece] = self.glossary.expansions(piece)
            kept += [name for name in self.expanded[piece] if name not in kept]
        return " · ".join(kept)
