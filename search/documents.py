"""What each type indexes (a SearchSpec, registered in its app's ready()) and keeping it
current. A record's document is its searched fields plus `search_names`: its linked records'
names and the other forms of its acronyms, so "Kenya" finds a practice whose text never says it.
search.hooks calls refresh_records() on every save and link change."""

import re
import time
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

from django.apps import apps
from django.db import connections

from . import postgres, sqlite
from .engines import engine
from .glossary import DOCUMENT_ABBREVIATIONS
from .models import SearchLexeme, SearchWord
from .spelling import add_words

SPECS = {}
ACRONYM_SOURCES = []
ACRONYM_MODELS = set()  # labels of the models whose records ACRONYM_SOURCES read


@dataclass(frozen=True)
class SearchSpec:
    """How one model is searched: `weights` pairs searched fields with weights (A highest);
    `names` yields a record's linked names (loaded through `prefetch`); a result shows its first
    non-empty `snippet_fields`; a misspelt word may be corrected to words of published records'
    `vocabulary` fields; a small collection (`pooled` False) has every match ranked. `links`
    maps each model whose names `names` reads to the lookups from a record to it, for search.hooks
    ({"practices.Country": ("countries",)}: a renamed country refreshes its practices)."""

    weights: tuple[tuple[str, str], ...]
    title_field: str
    snippet_fields: tuple[str, ...]
    names: object = None
    prefetch: object = None
    vocabulary: tuple = ()
    pooled: bool = True
    links: dict = field(default_factory=dict, hash=False)

    def fields(self):
        return [name for name, _weight in self.weights]

    def vector(self):
        """The weighted tsvector of PostgreSQL's stored `search_vector`."""
        return postgres.vector(self)


def register(model_label, spec):
    """Make a model searchable; its QuerySet must include SearchableQuerySet."""
    SPECS[model_label] = spec


def register_acronyms(source, model_label):
    """Add a callable returning (acronym, full name) pairs from the records of a model."""
    ACRONYM_SOURCES.append(source)
    ACRONYM_MODELS.add(model_label)


def spec_for(model):
    return SPECS[model._meta.label]


def tag_names(record):
    """Its tags' names in name order (prefetched tags come in no set order)."""
    return sorted(tag.name for tag in record.tags.all())


# -- Acronyms -------------------------------------------------------------------------------


def normalise(text):
    return re.sub(r"[\s\-‐–]+", " ", text.replace("’", "'")).strip().lower()


class Glossary:
    """Acronyms and the full names they stand for, in both directions."""

    def __init__(self, pairs):
        self.pairs = [(a.strip(), n.strip()) for a, n in pairs if a.strip() and n.strip()]
        acronyms = sorted({a for a, _n in self.pairs}, key=len, reverse=True)
        names = sorted({normalise(n) for _a, n in self.pairs}, key=len, reverse=True)
        self.acronym_pattern = (
            re.compile(r"\b(" + "|".join(map(re.escape, acronyms)) + r")s?\b") if acronyms else None
        )
        self.name_pattern = (
            re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b") if names else None
        )

    @classmethod
    def load(cls):
        """The glossary, reused for GLOSSARY_TTL seconds (or until forget_glossary()), since
        every save consults it."""
        now = time.monotonic()
        if GLOSSARY_CACHE and now - GLOSSARY_CACHE[0] < GLOSSARY_TTL:
            return GLOSSARY_CACHE[1]
        pairs = [(acronym, name) for acronym, name, _where in DOCUMENT_ABBREVIATIONS]
        for source in ACRONYM_SOURCES:
            pairs.extend(source())
        glossary = compiled_glossary(tuple(pairs))
        GLOSSARY_CACHE[:] = [now, glossary]
        return glossary

    def expansions(self, text):
        """The other forms of every acronym or full name that `text` uses."""
        found = set()
        if self.acronym_pattern:
            found.update(self.acronym_pattern.findall(text))
        if self.name_pattern:
            found.update(self.name_pattern.findall(normalise(text)))
        result = []
        for acronym, name in self.pairs if found else ():
            if acronym in found and name not in result:
                result.append(name)
            if normalise(name) in found and acronym not in result:
                result.append(acronym)
        return result


GLOSSARY_TTL = 60
GLOSSARY_CACHE = []


def forget_glossary():
    """Records with acronym fields changed: load the glossary afresh."""
    GLOSSARY_CACHE.clear()


@lru_cache(maxsize=8)
def compiled_glossary(pairs):
    # Compiling the patterns costs more than the queries; the pairs rarely change.
    return Glossary(pairs)


# -- Documents ------------------------------------------------------------------------------


def document_names(spec, record, glossary):
    """The text for `search_names`: linked names, then expansions of acronyms and full names."""
    names = []
    for name in spec.names(record) if spec.names else ():
        name = (name or "").strip()
        if name and name not in names:
            names.append(name)
    # Its own fields, not the stored names: those hold the last expansions, and reading them
    # would expand the expansions (a second refresh would add "INGO" for "international NGO").
    own = " ".join(str(getattr(record, f, "") or "") for f in spec.fields() if f != "search_names")
    for expansion in glossary.expansions(own + " · " + " · ".join(names)):
        if expansion not in names:
            names.append(expansion)
    return " · ".join(names)


def batched(items, size):
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def refresh_documents(queryset, *, batch_size=1000, glossary=None):
    """Recompute the stored search documents of the records in `queryset`; returns how many."""
    pks = queryset.order_by().values_list("pk", flat=True)
    return refresh_records(
        queryset.model, pks, batch_size=batch_size, glossary=glossary, using=queryset.db
    )


def refresh_records(model, pks, *, batch_size=1000, glossary=None, using="default"):
    """Recompute these `model` records' documents, a few queries a batch, and add the words of
    published ones to SearchWord."""
    spec = spec_for(model)
    glossary = glossary or Glossary.load()
    pks = list(dict.fromkeys(pk for pk in pks if pk is not None))
    manager = model._base_manager.db_manager(using)
    for chunk in batched(pks, batch_size):
        records = manager.filter(pk__in=chunk)
        records = list(spec.prefetch(records) if spec.prefetch else records)
        for record in records:
            record.search_names = document_names(spec, record, glossary)
        add_words(spec, records, using)
        if len(records) == 1:
            manager.filter(pk=records[0].pk).update(search_names=records[0].search_names)
        elif records:
            manager.bulk_update(records, ["search_names"], batch_size=500)
        if records:
            engine(using).index(model, spec, chunk, using)
    return len(pks)


def rebuild_vocabulary(*, using="default"):
    """Fill SearchWord and SearchLexeme afresh from every record, dropping what none has."""
    with connections[using].cursor() as cursor:
        for model in (SearchWord, SearchLexeme):
            cursor.execute(f"DELETE FROM {connections[using].ops.quote_name(model._meta.db_table)}")
    for label, spec in SPECS.items():
        model = apps.get_model(label)
        engine(using).add_lexemes(model, using)
        if spec.vocabulary:
            has_status = any(f.name == "status" for f in model._meta.concrete_fields)
            fields = [*spec.vocabulary, *(["status"] if has_status else [])]
            records = model._base_manager.using(using).only(*fields).order_by()
            for chunk in batched(records.iterator(chunk_size=5000), 5000):
                add_words(spec, chunk, using)


def ensure_indexes(using="default", **kwargs):
    """A post_migrate receiver: on SQLite, every FTS5 index keeps its triggers (SQLite's schema
    editor rebuilds a table without its triggers)."""
    connection = connections[using]
    for label, spec in SPECS.items():
        model = apps.get_model(label)
        columns = [model._meta.get_field(name).column for name in spec.fields()]
        table, pk = model._meta.db_table, model._meta.pk.column
        sqlite.ensure_index(connection, table, columns, pk, create=False)
