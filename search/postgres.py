"""The PostgreSQL engine: a stored weighted `search_vector` behind a GIN index, SearchRank,
SearchHeadline, pg_trgm for spelling. A query's terms are looked up as the lexemes they are
stored as (with_lexemes), a prefix as the SearchLexeme rows it begins: the GIN index answers
exact lexemes far faster than a prefix, which reads the list of every lexeme it covers."""

import operator
from dataclasses import replace
from functools import reduce

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchQueryField,
    SearchRank,
    SearchVector,
    SearchVectorField,
    TrigramSimilarity,
)
from django.db import connections
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Coalesce, NullIf

from .models import SearchLexeme
from .query import crude_stem

CONFIG = "english"
POOLS_IN_UNION = True
# A prefix that begins more lexemes than this is searched as a prefix after all.
MAX_PREFIX_LEXEMES = 30
# Known words a misspelt word is compared with at most: the most trigram-similar.
CANDIDATES_PER_WORD = 10


def quoted(lexeme):
    """A lexeme as tsquery input takes it: quoted, quotes doubled and backslashes escaped."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def term_tsquery_text(term):
    """A term not looked up as to_tsquery() input: quoted operands, so always valid."""
    if len(term.words) == 1:
        return quoted(term.words[0]) + (":*" if term.prefix else "")
    return "(" + " <-> ".join(quoted(w) for w in term.words) + ")"


class TsQuery(SearchQuery):
    """A tsquery of lexemes as stored, which to_tsquery would stem again or split."""

    template = "%(expressions)s::tsquery"

    def __init__(self, text):
        self.text = text
        self.function, self.config, self.invert = None, None, False
        Func.__init__(self, Value(text), output_field=SearchQueryField())


def stems(words, using):
    """{word: (lexeme, ...)}: each word as to_tsvector reduces it (a stop word to none)."""
    if not words:
        return {}
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT word, tsvector_to_array(to_tsvector(%s::regconfig, word)) "
            "FROM unnest(%s::text[]) AS word",
            [CONFIG, sorted(words)],
        )
        return {word: tuple(lexemes) for word, lexemes in cursor.fetchall()}


def prefix_lexemes(prefixes, using):
    """{prefix: the SearchLexeme rows it begins, itself if none, None if too many}: one query."""
    if not prefixes:
        return {}
    lexemes = SearchLexeme._base_manager.using(using)
    parts = [
        lexemes.filter(lexeme__startswith=prefix)
        .order_by("lexeme")
        .values_list("lexeme", flat=True)[: MAX_PREFIX_LEXEMES + 1]
        for prefix in sorted(prefixes)
    ]
    found = {prefix: [] for prefix in prefixes}
    for lexeme in parts[0].union(*parts[1:], all=True):
        for prefix in prefixes:
            if lexeme.startswith(prefix):
                found[prefix].append(lexeme)
    return {
        prefix: None if len(begun) > MAX_PREFIX_LEXEMES else sorted(set(begun)) or [prefix]
        for prefix, begun in found.items()
    }


def with_lexemes(parsed, using="default"):
    """`parsed` with its terms as tsquery text of stored lexemes (a stop word in a phrase
    widens the gap, as to_tsquery does): two small queries, none if looked up already. A word
    the configuration splits, or a prefix of too many lexemes, is left to to_tsquery."""
    if not parsed or parsed.lexemes_in == using:
        return parsed
    terms = [term for group in parsed.groups for term in group if term.tsquery is None]
    stem_of = stems({word.lower() for term in terms for word in term.words}, using)
    begun = prefix_lexemes(
        {stem_of[t.words[0].lower()][0] for t in terms if t.prefix and stem_of[t.words[0].lower()]},
        using,
    )

    def looked_up(term):
        if term.tsquery is not None:
            return term
        found = [stem_of[word.lower()] for word in term.words]
        if any(len(lexemes) > 1 for lexemes in found) or not any(found):
            return term
        if term.prefix:
            lexemes = begun.get(found[0][0])
            if lexemes is None:
                return term
            return replace(term, tsquery=" | ".join(quoted(lexeme) for lexeme in lexemes))
        text, gap = "", 0
        for lexemes in found:
            if not lexemes:
                gap += 1
                continue
            if text:
                text += " <-> " if gap <= 1 else f" <{gap}> "
            text, gap = text + quoted(lexemes[0]), 1
        return replace(term, tsquery=text)

    groups = tuple(tuple(looked_up(term) for term in group) for group in parsed.groups)
    return replace(parsed, groups=groups, lexemes_in=using)


prepared = with_lexemes


def term_query(term):
    if term.tsquery:
        return TsQuery(term.tsquery)
    return SearchQuery(term_tsquery_text(term), search_type="raw", config=CONFIG)


def combined(terms, operator_text, combine):
    """The terms as one tsquery, one piece of text where every term has its lexemes."""
    if all(term.tsquery for term in terms):
        return TsQuery(f" {operator_text} ".join(f"({term.tsquery})" for term in terms))
    return reduce(combine, (term_query(term) for term in terms))


def group_queries(group):
    """(what an alternative looks for, what it excludes or None) as tsqueries."""
    excluded = [term for term in group if term.negated]
    return (
        combined([term for term in group if not term.negated], "&", operator.and_),
        combined(excluded, "|", operator.or_) if excluded else None,
    )


def ranking_query(parsed):
    """Every looked-for term as one tsquery: ts_rank scores a query with exclusions as zero."""
    queries = [group_queries(group)[0] for group in parsed.groups]
    if all(isinstance(query, TsQuery) for query in queries):
        return TsQuery(" | ".join(f"({query.text})" for query in queries))
    return reduce(operator.or_, queries)


def vector_matches(parsed, vector="search_vector"):
    """Any alternative: what it looks for, and not what it excludes (tested on those rows)."""
    alternatives = []
    for group in parsed.groups:
        looked_for, excluded = group_queries(group)
        condition = Q(**{vector: looked_for})
        if excluded is not None:
            condition &= ~Q(**{vector: excluded})
        alternatives.append(condition)
    return reduce(operator.or_, alternatives)


def matches(queryset, spec, parsed):
    return vector_matches(parsed)


def rank(queryset, spec, parsed):
    return SearchRank(F("search_vector"), ranking_query(parsed))


def pools(queryset, spec, parsed, words, pool):
    """[(queryset, limit)]: pool + 1 of the matches; with `words`, pool of those with them in
    their title: the trigram index on the title, then the search tested on each (the GIN index's
    lists for common words cost far more)."""
    found = [(queryset.filter(vector_matches(parsed)), pool + 1)]
    if words:
        title = spec.title_field
        titled = queryset.filter(*(Q(**{f"{title}__iregex": crude_stem(w)}) for w in words))
        unindexed = Coalesce(F("search_vector"), Value("", output_field=SearchVectorField()))
        titled = titled.alias(unindexed_vector=unindexed)
        found.append((titled.filter(vector_matches(parsed, "unindexed_vector")), pool))
    return found


def headline(queryset, spec, parsed, start, stop):
    # Records without text of their own (most practices) show their linked names.
    shown = [*spec.snippet_fields, "search_names"]
    return SearchHeadline(
        Coalesce(*(NullIf(F(name), Value("")) for name in shown), Value("")),
        ranking_query(parsed),
        config=CONFIG,
        start_sel=start,
        stop_sel=stop,
        max_words=35,
        min_words=15,
        max_fragments=2,
        fragment_delimiter=" … ",
    )


# -- Indexing and spelling ------------------------------------------------------------------


def vector(spec):
    return reduce(
        operator.add,
        (SearchVector(name, weight=weight, config=CONFIG) for name, weight in spec.weights),
    )


def index(model, spec, pks, using):
    """Rebuild these records' vectors in the database and record their lexemes."""
    model._base_manager.using(using).filter(pk__in=pks).update(search_vector=vector(spec))
    add_lexemes(model, using, pks)


def reindex(model, spec, using):
    """Nothing more to do: refreshing the documents rebuilt the vectors."""


def add_lexemes(model, using, pks=None):
    """Add the lexemes of these records' vectors (all if None) to SearchLexeme."""
    quote = connections[using].ops.quote_name
    sql = (
        f"INSERT INTO {quote(SearchLexeme._meta.db_table)} (lexeme) "
        f"SELECT DISTINCT unnest(tsvector_to_array(search_vector)) "
        f"FROM {quote(model._meta.db_table)}"
    )
    params = []
    if pks is not None:
        sql += f" WHERE {quote(model._meta.pk.column)} = ANY(%s)"
        params.append(list(pks))
    with connections[using].cursor() as cursor:
        cursor.execute(sql + " ON CONFLICT DO NOTHING", params)


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
    for asked, word in parts[0].union(*parts[1:], all=True) if parts else ():
        found[asked].append(word)
    return found
