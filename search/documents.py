"""What each type indexes; `search_names` lets "Kenya" find a practice whose text never says it."""

import operator
import re
from dataclasses import dataclass
from functools import reduce

from django.apps import apps
from django.contrib.postgres.search import SearchVector
from django.db import connections
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from core.exports import chunks
from core.places import OtherName

from . import sqlite
from .models import SearchWord
from .postgres import is_postgresql
from .query import GLOSSARY, WORD, fold

SPECS = {}
ACRONYM_SOURCES = []  # Callables giving (acronym, full name) pairs from records' fields.
MIN_WORD_LENGTH = 3  # Shorter words are not corrections worth offering.


@dataclass(frozen=True)
class SearchSpec:
    """How one model is searched: `names` yields a record's linked names, read through `links`
    (which search.hooks watches); misspelt words may be corrected to words of its `vocabulary`;
    a small collection (`pooled` False) has every match ranked."""

    weights: tuple[tuple[str, str], ...]
    title_field: str
    snippet_fields: tuple[str, ...]
    names: object = None
    links: tuple[str, ...] = ()
    vocabulary: tuple = ()
    pooled: bool = True

    def fields(self):
        return [name for name, _weight in self.weights]

    def vector(self):  # PostgreSQL's stored `search_vector`.
        parts = (SearchVector(n, weight=w, config="english") for n, w in self.weights)
        return reduce(operator.add, parts)


def register(model_label, spec):
    """Make a model searchable; its QuerySet must include SearchableQuerySet."""
    SPECS[model_label] = spec


def spec_for(model):
    return SPECS[model._meta.label]


def tag_names(record):
    """Its tags' names in name order (prefetched tags come in no set order)."""
    return sorted(tag.name for tag in record.tags.all())


def normalise(text):
    return re.sub(r"[\s\-‐–]+", " ", text.replace("’", "'")).strip().lower()


class Glossary:
    """Acronyms and the full names they stand for, in both directions."""

    def __init__(self, pairs):
        self.pairs = [(a.strip(), n.strip()) for a, n in pairs if a.strip() and n.strip()]
        acronyms = sorted({a for a, _n in self.pairs}, key=len, reverse=True)
        names = sorted({normalise(n) for _a, n in self.pairs}, key=len, reverse=True)
        # re keeps compiled patterns, so an unchanged glossary is compiled once.
        self.acronyms = re.compile(r"\b(" + "|".join(map(re.escape, acronyms)) + r")s?\b")
        self.names = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b")

    @classmethod
    def load(cls):
        """The documents' abbreviations and the records' acronyms, as they are now."""
        pairs = [pair[:2] for pair in GLOSSARY["abbreviations"]]
        return cls(pairs + [pair for source in ACRONYM_SOURCES for pair in source()])

    def expansions(self, text):
        """The other forms of every acronym or full name that `text` uses."""
        found = {*self.acronyms.findall(text), *self.names.findall(normalise(text))}
        result = []
        for acronym, name in self.pairs if found else ():
            if acronym in found and name not in result:
                result.append(name)
            if normalise(name) in found and acronym not in result:
                result.append(acronym)
        return result


def document_names(spec, record, glossary):
    """The text for `search_names`: linked names, expansions, then names in other languages."""
    found = [name for name in (spec.names(record) if spec.names else ()) if name and name.strip()]
    names = list(dict.fromkeys(n.strip() for n in found if not isinstance(n, OtherName)))
    # Its own fields, not the stored names: those hold the last expansions, and reading them
    # would expand the expansions (a second refresh would add "INGO" for "international NGO").
    own = " ".join(str(getattr(record, f) or "") for f in spec.fields() if f != "search_names")
    names += [e for e in glossary.expansions(own + " · " + " · ".join(names)) if e not in names]
    return " · ".join(dict.fromkeys(names + other_forms(found)))


def other_forms(names):
    """Those of `names` in other languages (OtherName), each also unaccented ("África")."""
    return [form for name in names if isinstance(name, OtherName) for form in (name, fold(name))]


def refresh_records(model, pks, *, glossary=None, using="default"):
    """Recompute these records' documents and add their words to SearchWord; returns how many."""
    if not (pks := list(dict.fromkeys(pks))):
        return 0
    spec, glossary = spec_for(model), glossary or Glossary.load()
    manager = model._base_manager.db_manager(using)
    for chunk in chunks(pks, 1000):
        records = list(manager.filter(pk__in=chunk).prefetch_related(*spec.links))
        for record in records:
            record.search_names = document_names(spec, record, glossary)
        add_words(spec, records, using)
        manager.bulk_update(records, ["search_names"], batch_size=500)
        if is_postgresql(using):
            manager.filter(pk__in=chunk).update(search_vector=spec.vector())
    return len(pks)


def add_words(spec, records, using="default"):
    published = [r for r in records if getattr(r, "status", "published") == "published"]
    texts = " ".join(str(getattr(r, name) or "") for r in published for name in spec.vocabulary)
    words = sorted({word for word in WORD.findall(texts) if len(word) >= MIN_WORD_LENGTH})
    SearchWord._base_manager.using(using).bulk_create(map(SearchWord, words), ignore_conflicts=True)


def rebuild_vocabulary(*, using="default"):
    """Fill SearchWord afresh from every record, dropping words none has any more."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"DELETE FROM {SearchWord._meta.db_table}")
    for label, spec in SPECS.items():
        model = apps.get_model(label)
        status = [f.name for f in model._meta.concrete_fields if f.name == "status"]
        records = model._base_manager.using(using).only(*spec.vocabulary, *status).order_by()
        for chunk in chunks(records.iterator(chunk_size=5000), 5000) if spec.vocabulary else ():
            add_words(spec, chunk, using)


@receiver(post_migrate, dispatch_uid="search_ensure_indexes")
def ensure_indexes(using="default", rebuild=False, **kwargs):
    """Put back what SQLite's schema editor dropped of the FTS5 indexes while migrating, and make
    the title indexes of pooled types where missing (sqlite.index); with `rebuild`, refill them."""
    for label, spec in SPECS.items():
        sqlite.index(apps.get_model(label), spec, using, rebuild=rebuild)
