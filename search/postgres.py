"""The PostgreSQL engine: a stored weighted `search_vector` behind a GIN index, SearchRank,
SearchHeadline, and pg_trgm for spelling."""

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramSimilarity,
)
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, NullIf

from .query import crude_stem

CONFIG = "english"
CANDIDATES_PER_WORD = 10  # The known words a misspelt word is compared with: the most similar.


def quoted(word):
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def term_tsquery_text(term):
    """A term as to_tsquery() input, which stems it: quoted operands, so always valid."""
    if len(term.words) == 1:
        return quoted(term.words[0]) + (":*" if term.prefix else "")
    return "(" + " <-> ".join(quoted(w) for w in term.words) + ")"


def tsquery(parsed, exclusions=True):
    """The query as one tsquery; ranking leaves its exclusions out (ts_rank scores them zero)."""
    alternatives = []
    for group in parsed.groups:
        text = " & ".join(term_tsquery_text(t) for t in group if not t.negated)
        excluded = [term_tsquery_text(t) for t in group if t.negated]
        if exclusions and excluded:
            text += f" & !({' | '.join(excluded)})"
        alternatives.append(f"({text})")
    return SearchQuery(" | ".join(alternatives), search_type="raw", config=CONFIG)


def matches(queryset, spec, parsed):
    return Q(search_vector=tsquery(parsed))


def rank(spec, parsed):
    return SearchRank(F("search_vector"), tsquery(parsed, exclusions=False))


def first(queryset, spec, parsed, limit, titled=()):
    """The keys of `limit` matches; with `titled` words, of matches with them in their title:
    through the trigram index on the title, the search tested on each (the GIN index's lists for
    common words cost far more)."""
    if not titled:
        return queryset.filter(search_vector=tsquery(parsed)).values("pk")[:limit]
    title = spec.title_field
    found = queryset.filter(*(Q(**{f"{title}__iregex": crude_stem(w)}) for w in titled))
    found = found.alias(unindexed=Coalesce("search_vector", Value("", SearchVectorField())))
    return found.filter(unindexed=tsquery(parsed)).values("pk")[:limit]


def headline(model, spec, parsed, start, stop):
    # Records without text of their own (most practices) show their linked names.
    shown = [*spec.snippet_fields, "search_names"]
    return SearchHeadline(
        Coalesce(*(NullIf(F(name), Value("")) for name in shown), Value("")),
        tsquery(parsed, exclusions=False),
        config=CONFIG,
        start_sel=start,
        stop_sel=stop,
        max_words=35,
        min_words=15,
        max_fragments=2,
        fragment_delimiter=" … ",
    )


def index(model, spec, pks, using):
    """Rebuild these records' vectors (SQLite's triggers need no such step)."""
    model._base_manager.using(using).filter(pk__in=pks).update(search_vector=spec.vector())


def reindex(model, spec, using):
    """Nothing more to do: refreshing the documents rebuilds the vectors."""


def similar_words(known, words):
    """{word: the known words most trigram-similar to it}, in one query through a GIN index."""
    parts = [
        known.filter(word__trigram_similar=word)
        .annotate(asked=Value(word), similarity=TrigramSimilarity("word", word))
        .order_by("-similarity")
        .values_list("asked", "word")[:CANDIDATES_PER_WORD]
        for word in words
    ]
    found = {word: [] for word in words}
    for asked, word in parts[0].union(*parts[1:], all=True):
        found[asked].append(word)
    return found
