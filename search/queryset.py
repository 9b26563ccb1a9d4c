"""Search over practices, movements and guidance: one query language, two database back ends.

Each searchable model keeps a stored search document: `search_names` (the names of its linked
records plus acronym expansions, so "Kenya" finds a practice whose text never says Kenya) and, on
PostgreSQL, `search_vector` (a weighted tsvector behind a GIN index, kept in the row). Both are
refreshed by `refresh_records()`, which the apps' signal handlers call on every save and link
change, and which also adds the words of published records' names to practices.SearchWord and,
on PostgreSQL, the vectors' lexemes to practices.SearchLexeme.

Queries use web-search syntax (words, "quoted phrases", -exclusions, `or`). On PostgreSQL the
parsed query becomes tsquery text in the english configuration's lexemes (with_lexemes), longer
words as the lexemes they begin so "leaders" also finds "leadership"; it is ranked with SearchRank
and highlighted with SearchHeadline. On SQLite the same parse becomes word-boundary regular
expressions over the same fields, ranked by the weight of the best field each word matches. When
a query finds almost nothing, misspelt words are corrected to the known words most like them
(pg_trgm trigram similarity on PostgreSQL, difflib on SQLite) and the corrected query is searched
too. Large collections rank a bounded pool of candidates (search_candidates).

This module imports no models at load time: practices.models imports it for the QuerySet.
"""

import difflib
import json
import operator
import re
import time
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache, reduce
from itertools import islice

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchQueryField,
    SearchRank,
    SearchVector,
    SearchVectorField,
    TrigramSimilarity,
)
from django.db import connections, models
from django.db.models import Case, ExpressionWrapper, F, FloatField, Q, Value, When
from django.db.models.expressions import Func, RawSQL
from django.db.models.functions import Coalesce, Greatest, NullIf
from django.utils.html import escape
from django.utils.safestring import mark_safe

from practices.cache import cached

from .glossary import DOCUMENT_ABBREVIATIONS

CONFIG = "english"
MAX_TERMS = 12
# Words at least this long also match longer words they begin ("leaders" → "leadership").
PREFIX_MIN_LENGTH = 5
# Fewer matches than this, and misspelt words are corrected and searched for as well.
FEW_RESULTS = 3
MAX_CORRECTED_WORDS = 4
# A result page ranks at most about twice this many candidates per type (see search_candidates).
CANDIDATE_POOL = 100
CORRECTION_MIN_RATIO = 0.75
# Known words a misspelt word is compared with at most (PostgreSQL: the most trigram-similar).
CANDIDATES_PER_WORD = 10
# Shorter words are not corrections worth offering.
MIN_WORD_LENGTH = 3
PUBLISHED = "published"  # practices.models.Status.PUBLISHED, which this module cannot import.
SNIPPET_WORDS = 40
# Markers for SearchHeadline that no escaping changes; replaced by <mark> after escaping.
START_MARK, STOP_MARK = "\ue000", "\ue001"
# SQLite weights by field class, mirroring PostgreSQL's default A/B/C/D rank weights.
FIELD_WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}
# PostgreSQL's english stop words (tsearch_data/english.stop), which to_tsquery drops: a term made
# of them alone is dropped here too, on both back ends, so every term left has a lexeme to match.
STOP_WORDS = frozenset(
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his "
    "himself she her hers herself it its itself they them their theirs themselves what which "
    "who whom this that these those am is are was were be been being have has had having do "
    "does did doing a an the and but if or because as until while of at by for with about "
    "against between into through during before after above below to from up down in out on "
    "off over under again further then once here there when where why how all any both each "
    "few more most other some such no nor not only own same so than too very s t can will "
    "just don should now".split()
)


def is_postgresql(using="default"):
    return connections[using].vendor == "postgresql"


# -- The query language ---------------------------------------------------------------------

TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
WORD = re.compile(r"[^\W_]+")
POSSESSIVE = re.compile(r"['’]s\b", re.IGNORECASE)


@dataclass(frozen=True)
class Term:
    """One word, or a phrase (several words in order), possibly excluded."""

    words: tuple[str, ...]
    negated: bool = False
    quoted: bool = False
    # On PostgreSQL, the term as tsquery input, in lexemes as stored (see with_lexemes); None
    # where it was not looked up or cannot be put so (it then goes through to_tsquery).
    tsquery: str | None = None

    @property
    def prefix(self):
        return not self.quoted and len(self.words) == 1 and len(self.words[0]) >= PREFIX_MIN_LENGTH


@dataclass(frozen=True)
class ParsedQuery:
    """A web-search query as alternatives (split by `or`), each a conjunction of terms."""

    text: str
    groups: tuple[tuple[Term, ...], ...] = field(default=())
    # The database alias whose lexemes its terms were looked up in (see with_lexemes), so that a
    # query passed on is not looked up again; a corrected query starts without.
    lexemes_in: str | None = None

    def __bool__(self):
        return bool(self.groups)

    def positive_words(self):
        """The words looked for (not excluded), each once, in order."""
        words = {}
        for group in self.groups:
            for term in group:
                if not term.negated:
                    for word in term.words:
                        words.setdefault(word.lower(), word)
        return list(words.values())

    def corrected(self, corrections):
        """The same query with misspelt words replaced, or None if nothing changes."""
        if not corrections:
            return None
        groups = tuple(
            tuple(
                replace(term, words=tuple(corrections.get(w, w) for w in term.words), tsquery=None)
                if not term.negated
                else term
                for term in group
            )
            for group in self.groups
        )
        text = " ".join(corrections.get(w, w) for w in self.positive_words())
        return ParsedQuery(text=text, groups=groups)


def parse_query(text):
    """Parse web-search syntax: words, "phrases", -exclusions and `or`. Never fails.

    Words are reduced to runs of letters and digits, so quotes, operators, SQL and regular
    expression characters cannot reach the database as syntax. An alternative with nothing to
    look for (only exclusions, stop words or punctuation) is dropped.
    """
    if isinstance(text, ParsedQuery):
        return text
    text = str(text or "")
    groups, current, count = [], [], 0
    for match in TOKEN.finditer(text):
        minus, phrase, bare = match.groups()
        if bare is not None and bare.lower() == "or":
            groups.append(current)
            current = []
            continue
        if phrase is not None:
            term = Term(tuple(WORD.findall(POSSESSIVE.sub("", phrase))), bool(minus), quoted=True)
        else:
            negated = bare.startswith("-") and len(bare) > 1
            term = Term(tuple(WORD.findall(POSSESSIVE.sub("", bare))), negated)
        if all(word.lower() in STOP_WORDS for word in term.words):
            continue
        if count < MAX_TERMS:
            current.append(term)
            count += 1
    groups.append(current)
    kept = tuple(tuple(g) for g in groups if any(not term.negated for term in g))
    return ParsedQuery(text=text, groups=kept)


def term_tsquery_text(term):
    """A term as to_tsquery() source: a word (a prefix if long enough) or a phrase. Every
    operand is a quoted run of letters and digits, so the text is always valid."""

    if len(term.words) == 1:
        return quoted(term.words[0]) + (":*" if term.prefix else "")
    return "(" + " <-> ".join(quoted(w) for w in term.words) + ")"


class TsQuery(SearchQuery):
    """A tsquery from tsquery input text (`'leader' | 'leadership'`): its lexemes are taken as
    they are stored, where to_tsquery would stem them again (which may change them) and split one
    such as "power-hold" into a phrase."""

    template = "%(expressions)s::tsquery"

    def __init__(self, text):
        self.text = text
        self.function, self.config, self.invert = None, None, False
        Func.__init__(self, Value(text), output_field=SearchQueryField())


def term_query(term):
    """A term as a tsquery, whether it is excluded or not: from its lexemes where it has them
    (see with_lexemes), else through to_tsquery, which stems its words."""
    if term.tsquery:
        return TsQuery(term.tsquery)
    return SearchQuery(term_tsquery_text(term), search_type="raw", config=CONFIG)


def combined(terms, operator_text, combine):
    """The terms as one tsquery: one piece of tsquery text where each term has its own (so a
    query is one expression however many terms it has), else their queries combined."""
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


def ranking_query(parsed, alternative=None):
    """Every looked-for term of the query (and of its corrected `alternative`) as one tsquery,
    for SearchRank and SearchHeadline: ts_rank scores a query with exclusions as zero."""
    queries = [
        group_queries(group)[0]
        for query in (parsed, alternative)
        if query
        for group in query.groups
    ]
    if all(isinstance(query, TsQuery) for query in queries):
        return TsQuery(" | ".join(f"({query.text})" for query in queries))
    return reduce(operator.or_, queries)


def vector_filter(parsed, vector="search_vector"):
    """On PostgreSQL, a Q for the records that `parsed` finds: any alternative, each as one
    match of what it looks for against the search vector and one of what it excludes. With
    exact lexemes (see with_lexemes) the GIN index answers an AND of common and rare words by
    skipping through the common words' long lists; an exclusion, which the index cannot narrow,
    is tested on the rows the rest gives."""
    alternatives = []
    for group in parsed.groups:
        looked_for, excluded = group_queries(group)
        condition = Q(**{vector: looked_for})
        if excluded is not None:
            condition &= ~Q(**{vector: excluded})
        alternatives.append(condition)
    return reduce(operator.or_, alternatives)


def query_filter(parsed, term_match):
    """A Q for the records that `parsed` finds, given the Q for the records a term matches:
    any alternative, each with all its terms (and none of those it excludes)."""
    alternatives = []
    for group in parsed.groups:
        condition = Q()
        for term in group:
            match = term_match(term)
            condition &= ~match if term.negated else match
        alternatives.append(condition)
    return reduce(operator.or_, alternatives)


def crude_stem(word):
    """A rough English stem for SQLite, where no stemmer is at hand."""
    word = word.lower()
    for suffix in ("ations", "ation", "ings", "ing", "ers", "ies", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def term_pattern(term):
    """A case-insensitive Python regular expression for a term, for SQLite's REGEXP."""
    if term.prefix:
        return r"\b" + re.escape(crude_stem(term.words[0]))
    if len(term.words) == 1 and not term.quoted:
        return r"\b" + re.escape(term.words[0]) + r"(?:s|es)?\b"  # "INGO" finds "INGOs"
    return r"\b" + r"\W+".join(re.escape(w) for w in term.words) + r"\b"


# -- What each model searches ---------------------------------------------------------------


@dataclass(frozen=True)
class SearchSpec:
    """How one model is searched.

    `weights` pairs each searched field with its weight (A highest). `names` yields the linked
    names for a record loaded through `prefetch`. `snippet_fields` are the text shown, the first
    non-empty one. `vocabulary` names the fields whose words, in published records, a misspelt
    query word may be corrected to.
    """

    weights: tuple[tuple[str, str], ...]
    title_field: str
    snippet_fields: tuple[str, ...]
    names: object = None
    prefetch: object = None
    vocabulary: tuple = ()
    # False for a collection that stays small (the guidance note's principles): every match is
    # ranked, without the bounded pool that keeps large ones cheap (see search_candidates).
    pooled: bool = True

    def fields(self):
        return [name for name, _weight in self.weights]

    def vector(self):
        return reduce(
            operator.add,
            (SearchVector(name, weight=weight, config=CONFIG) for name, weight in self.weights),
        )

    def snippet_expression(self):
        # Records without text of their own (most practices) show their linked names.
        fields = [*self.snippet_fields, "search_names"]
        return Coalesce(*(NullIf(F(name), Value("")) for name in fields), Value(""))

    def snippet_text(self, record):
        for name in [*self.snippet_fields, "search_names"]:
            value = getattr(record, name, "") or ""
            if value:
                return value
        return ""


SPECS = {}
ACRONYM_SOURCES = []


def register(model_label, spec):
    """Make a model searchable; its QuerySet must include SearchableQuerySet."""
    SPECS[model_label] = spec


def register_acronyms(source):
    """Add a callable returning (acronym, full name) pairs, e.g. from an acronym field."""
    ACRONYM_SOURCES.append(source)


def spec_for(model):
    return SPECS[model._meta.label]


# -- Search documents -----------------------------------------------------------------------


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
        """The glossary with the acronym fields' current pairs, reused for GLOSSARY_TTL seconds
        (or until `forget_glossary()`), since every save consults it."""
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
        if not found:
            return []
        result = []
        for acronym, name in self.pairs:
            if acronym in found and name not in result:
                result.append(name)
            if normalise(name) in found and acronym not in result:
                result.append(acronym)
        return result


GLOSSARY_TTL = 60
GLOSSARY_CACHE = []


def forget_glossary(**kwargs):
    """A signal receiver for records with acronym fields: their pairs changed."""
    GLOSSARY_CACHE.clear()


@lru_cache(maxsize=8)
def compiled_glossary(pairs):
    # Compiling the patterns costs more than the queries; the pairs rarely change.
    return Glossary(pairs)


def document_names(spec, record, glossary):
    """The text for `search_names`: linked names, then expansions of acronyms and full names."""
    names = []
    for name in spec.names(record) if spec.names else ():
        name = (name or "").strip()
        if name and name not in names:
            names.append(name)
    # Its own fields, not the stored names: those hold the last expansions, and reading them
    # would expand the expansions (a second refresh would add "INGO" for "international NGO").
    own = [f for f in spec.fields() if f != "search_names"]
    own_text = " ".join(str(getattr(record, f, "") or "") for f in own)
    for expansion in glossary.expansions(own_text + " · " + " · ".join(names)):
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
    """Recompute the search documents of the `model` records with these primary keys.

    A few queries per batch whatever its size: the records with their links, one bulk update of
    `search_names`, and on PostgreSQL one UPDATE that rebuilds `search_vector` in the database.
    """
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
        if records and is_postgresql(using):
            manager.filter(pk__in=chunk).update(search_vector=spec.vector())
            index_lexemes(model, chunk, using=using)
    return len(pks)


def rebuild_vocabulary(*, using="default"):
    """Fill practices.SearchWord and, on PostgreSQL, practices.SearchLexeme afresh from every
    searchable record, dropping words and lexemes no record has any more: after loads and
    removals that bypass refresh_records, or a rebuild of the whole index."""
    from django.apps import apps

    with connections[using].cursor() as cursor:
        for name in ("SearchWord", "SearchLexeme"):
            table = apps.get_model("practices", name)._meta.db_table
            # In SQL: no model signals to send (and so no reading every row back first).
            cursor.execute(f"DELETE FROM {connections[using].ops.quote_name(table)}")
    for label, spec in SPECS.items():
        model = apps.get_model(label)
        if is_postgresql(using):
            index_lexemes(model, using=using)
        if spec.vocabulary:
            fields = [*spec.vocabulary, *(["status"] if has_status(model) else [])]
            records = model._base_manager.using(using).only(*fields).order_by()
            for chunk in batched(records.iterator(chunk_size=5000), 5000):
                add_words(spec, chunk, using)


def has_status(model):
    return any(field.name == "status" for field in model._meta.concrete_fields)


def index_lexemes(model, pks=None, *, using="default"):
    """On PostgreSQL, add the lexemes of the search vectors of the `model` records with these
    primary keys (all its records if None) to practices.SearchLexeme (see with_lexemes)."""
    from django.apps import apps

    quote = connections[using].ops.quote_name
    lexemes = quote(apps.get_model("practices", "SearchLexeme")._meta.db_table)
    sql = (
        f"INSERT INTO {lexemes} (lexeme) SELECT DISTINCT unnest(tsvector_to_array(search_vector)) "
        f"FROM {quote(model._meta.db_table)}"
    )
    params = []
    if pks is not None:
        sql += f" WHERE {quote(model._meta.pk.column)} = ANY(%s)"
        params.append(list(pks))
    with connections[using].cursor() as cursor:
        cursor.execute(sql + " ON CONFLICT DO NOTHING", params)


def linked_records_refresher(model):
    """An m2m_changed receiver that refreshes the `model` records whose links changed, whichever
    side of the relation the change was made from."""

    def fields_of(through, other):
        own = next(f for f in through._meta.fields if f.many_to_one and f.related_model is model)
        theirs = next(
            f
            for f in through._meta.fields
            if f.many_to_one and f.related_model is other and f is not own
        )
        return own, theirs

    def receiver(sender, instance, action, reverse, pk_set, **kwargs):
        if not reverse:
            if action in {"post_add", "post_remove", "post_clear"}:
                refresh_records(model, [instance.pk])
            return
        if action == "pre_clear":
            own, theirs = fields_of(sender, type(instance))
            instance._search_refresh_pks = list(
                sender._base_manager.filter(**{theirs.name: instance}).values_list(
                    own.attname, flat=True
                )
            )
        elif action in {"post_add", "post_remove"}:
            refresh_records(model, pk_set or ())
        elif action == "post_clear":
            refresh_records(model, getattr(instance, "_search_refresh_pks", ()))

    return receiver


# -- Querying -------------------------------------------------------------------------------

# A prefix that begins more lexemes than this is searched as a prefix after all.
MAX_PREFIX_LEXEMES = 30
STEMS = {}  # (database alias, word) -> its lexemes; the english configuration does not change.


def stems(words, using):
    """{word: (lexeme, ...)}, each word as to_tsvector('english') reduces it (a stop word to
    none), asking the database only for the words it has not reduced before."""
    missing = sorted({word for word in words if (using, word) not in STEMS})
    if missing:
        with connections[using].cursor() as cursor:
            cursor.execute(
                "SELECT word, tsvector_to_array(to_tsvector(%s::regconfig, word)) "
                "FROM unnest(%s::text[]) AS word",
                [CONFIG, missing],
            )
            if len(STEMS) > 10_000:
                STEMS.clear()
            STEMS.update(((using, word), tuple(lexemes)) for word, lexemes in cursor.fetchall())
    return {word: STEMS[(using, word)] for word in words}


def with_lexemes(parsed, using="default"):
    """On PostgreSQL, `parsed` with each term as tsquery text in lexemes as stored, so that a
    query is one expression and no word is stemmed twice: a word as its english stem, a phrase
    as its words' stems in order (a stop word between them widens the gap, as to_tsquery does),
    and a prefix as the lexemes in practices.SearchLexeme that its stem begins ("leader",
    "leadership" for "leaders"), at most MAX_PREFIX_LEXEMES (else it stays a prefix, through
    to_tsquery). An exact lexeme costs the GIN index far less than a prefix, which reads the
    whole list of every lexeme it covers. Two small queries, none for words reduced before
    (stems) or a query looked up already; elsewhere `parsed` unchanged."""
    if not parsed or not is_postgresql(using) or parsed.lexemes_in == using:
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
            return term  # A word the english configuration splits: to_tsquery puts it right.
        if term.prefix:
            lexemes = begun.get(found[0][0])
            if lexemes is None:
                return term  # Beginning too many lexemes: searched as a prefix.
            return replace(term, tsquery=" | ".join(quoted(lexeme) for lexeme in lexemes))
        text, gap = "", 0
        for lexemes in found:
            if not lexemes:
                gap += 1  # A stop word in a phrase.
                continue
            if text:
                text += " <-> " if gap <= 1 else f" <{gap}> "
            text, gap = text + quoted(lexemes[0]), 1
        return replace(term, tsquery=text)

    groups = tuple(tuple(looked_up(term) for term in group) for group in parsed.groups)
    return replace(parsed, groups=groups, lexemes_in=using)


def quoted(lexeme):
    """A lexeme as tsquery input takes it: quoted, its quotes doubled and backslashes escaped."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def prefix_lexemes(prefixes, using):
    """{prefix: the lexemes of practices.SearchLexeme it begins, itself if none, or None if there
    are more than MAX_PREFIX_LEXEMES}, in one query."""
    if not prefixes:
        return {}
    from django.apps import apps

    lexemes = apps.get_model("practices", "SearchLexeme")._base_manager.using(using)
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


def regex_match(name, pattern, words=()):
    """Field `name` matches the case-insensitive `pattern`. On SQLite, Django's REGEXP is a
    Python call per row and field (seconds over 100,000 bodies), so give the pattern's `words`:
    each is first tested with LIKE, which runs in C and ignores ASCII case, a cheap superset of
    the matches. Words outside ASCII, whose case LIKE does not fold, skip that test. (Python's
    case folding also pairs a few ASCII letters with others, e.g. "i" with "İ": "istanbul" no
    longer finds "İstanbul" on SQLite; PostgreSQL is unaffected.)"""
    match = Q(**{f"{name}__iregex": pattern})
    for word in words:
        if word.isascii():
            match = Q(**{f"{name}__icontains": word}) & match
    return match


def sqlite_match(spec, term):
    """The term's regular expression on any searched field, LIKE first (see regex_match)."""
    pattern = term_pattern(term)
    words = [crude_stem(term.words[0])] if term.prefix else term.words
    return reduce(operator.or_, (regex_match(name, pattern, words) for name in spec.fields()))


def sqlite_rank(spec, parsed):
    """Per term, the weight of the best field it matches, averaged over the terms of an
    alternative; the best alternative counts."""
    by_weight = sorted(spec.weights, key=lambda item: item[1])

    def term_score(term):
        return Case(
            *(
                When(Q(**{f"{name}__iregex": term_pattern(term)}), then=FIELD_WEIGHTS[weight])
                for name, weight in by_weight
            ),
            default=0.0,
            output_field=FloatField(),
        )

    scores = []
    for group in parsed.groups:
        terms = [term for term in group if not term.negated]
        total = reduce(operator.add, (term_score(term) for term in terms))
        scores.append(ExpressionWrapper(total / float(len(terms)), output_field=FloatField()))
    return scores[0] if len(scores) == 1 else Greatest(*scores)


def key_set(keys, using="default"):
    """A subquery of these primary keys, all in one parameter: as a list, each key would be a
    parameter of its own, prepared again every time the query is compiled."""
    if is_postgresql(using):
        return RawSQL("SELECT unnest(%s::bigint[])", (keys,))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(keys),))


class SearchableQuerySet(models.QuerySet):
    """Adds `search(query)`: records matching a web-search query, best first, with `rank`."""

    def search(self, query, *, alternative=None, spelling=True, pool=None, materialise=False):
        """Matches for `query` (text or ParsedQuery) annotated with `rank`, best first.

        With `spelling`, a query that finds fewer than FEW_RESULTS records is searched again with
        misspelt words corrected (one extra query when it finds enough, a few when it does not).
        `alternative` is an already corrected query to search for as well. With `pool`, only the
        candidates `search_candidates` picks are ranked: all the matches when there are at most
        `pool`, else more than `pool` of them (which says that the list is cut), and with
        `materialise` their keys are read at once (see search_candidates).
        """
        parsed, alternative = self.parsed(query), self.parsed(alternative)
        if not parsed:
            return self.none().annotate(rank=Value(0.0, output_field=FloatField()))
        if spelling and alternative is None:
            alternative = self.correction(parsed)
        if pool:
            return self.search_candidates(
                parsed, alternative=alternative, pool=pool, materialise=materialise
            )
        return self._ranked_matches(parsed, alternative)

    def correction(self, query):
        """`query` with misspelt words corrected when it finds fewer than FEW_RESULTS records
        here (one query when it finds enough, a few when it does not), else None."""
        parsed = self.parsed(query)
        if not parsed:
            return None
        condition, _rank = self._condition_and_rank(parsed)
        found = self.filter(condition).order_by().values_list("pk", flat=True)[:FEW_RESULTS]
        if len(found) >= FEW_RESULTS:
            return None
        return self.parsed(parsed.corrected(suggest_corrections(parsed, self.db)))

    def parsed(self, query):
        """`query` parsed, its prefixes looked up in this database (see with_lexemes); None
        stays None."""
        return None if query is None else with_lexemes(parse_query(query), self.db)

    def _condition_and_rank(self, parsed, alternative=None):
        spec = spec_for(self.model)
        if is_postgresql(self.db):
            condition = self._condition(parsed, alternative)
            return condition, SearchRank(F("search_vector"), ranking_query(parsed, alternative))
        condition = query_filter(parsed, lambda term: sqlite_match(spec, term))
        rank = sqlite_rank(spec, parsed)
        if alternative:
            condition |= query_filter(alternative, lambda term: sqlite_match(spec, term))
            rank = Greatest(rank, sqlite_rank(spec, alternative))
        return condition, rank

    def _condition(self, parsed, alternative=None, vector="search_vector"):
        condition = vector_filter(parsed, vector)
        if alternative:
            condition |= vector_filter(alternative, vector)
        return condition

    def _ranked_matches(self, parsed, alternative=None):
        condition, rank = self._condition_and_rank(parsed, alternative)
        title = spec_for(self.model).title_field
        return self.filter(condition).annotate(rank=rank).order_by("-rank", title, "pk")

    def search_candidates(self, query, *, alternative=None, pool=CANDIDATE_POOL, materialise=False):
        """The part of `search(query)` that a result page ranks, bounded so that ranking stays
        cheap at any scale: every match when there are at most `pool`; otherwise the first
        `pool` + 1 matches the database comes across plus up to `pool` matches with the query's
        words in their title, so strong title matches are not left out. More than `pool`
        candidates therefore means there are more matches than were ranked. On PostgreSQL the
        settings turn off synchronised scans, so that scans start at the table's first page and
        find the same matches first each time (page 2 follows on from page 1).

        With `materialise`, the candidates' keys are read at once (one query) and the queryset
        holds them as one parameter: a list evaluates it several times (count, page keys,
        records, facet counts), and each would search again.
        """
        parsed, alternative = self.parsed(query), self.parsed(alternative)
        if not parsed:
            return self.none().annotate(rank=Value(0.0, output_field=FloatField()))
        spec = spec_for(self.model)
        if not spec.pooled:
            return self._ranked_matches(parsed, alternative)
        _condition, rank = self._condition_and_rank(parsed, alternative)
        pools = [
            found.values("pk")[:limit] for found, limit in self._pools(parsed, alternative, pool)
        ]
        if is_postgresql(self.db):
            # One semi-join on the primary key; OR-ed subqueries would scan the whole table.
            chosen = Q(pk__in=pools[0].union(*pools[1:]))
        else:
            # SQLite allows no LIMIT inside a UNION.
            chosen = reduce(operator.or_, (Q(pk__in=part) for part in pools))
        if not materialise:
            return self.filter(chosen).annotate(rank=rank).order_by("-rank", spec.title_field, "pk")
        keys = list(self.filter(chosen).order_by().values_list("pk", flat=True))
        candidates = self.filter(pk__in=key_set(keys, self.db)).annotate(rank=rank)
        candidates = candidates.order_by("-rank", spec.title_field, "pk")
        candidates.search_keys = keys  # For counting links (facets.owners); clones drop it.
        return candidates

    def _pools(self, parsed, alternative, pool):
        """[(queryset, limit)] whose first `limit` matches each are the candidates of
        search_candidates: any pool + 1 matches, and pool of those with the query's words in
        their title (where it has words of three letters or more)."""
        spec = spec_for(self.model)
        condition, _rank = self._condition_and_rank(parsed, alternative)
        pools = [(self.filter(condition).order_by(), pool + 1)]
        words = [crude_stem(w) for w in parsed.positive_words() if len(w) >= 3][:3]
        if not words:
            return pools
        # Words are letters and digits only, so they are safe as patterns; on PostgreSQL the
        # trigram index on the title serves these case-insensitive matches. On SQLite the title
        # is tested first, with LIKE before REGEXP (see regex_match).
        sqlite = not is_postgresql(self.db)
        titled = self.filter(
            *(regex_match(spec.title_field, w, [w] if sqlite else ()) for w in words)
        )
        if sqlite:
            titled = titled.filter(condition)
        else:
            # Through the trigram index alone, then the search tested on each title match: the
            # GIN index's lists for common words cost far more (34 ms for "youth").
            titled = titled.alias(
                unindexed_vector=Coalesce(
                    F("search_vector"), Value("", output_field=SearchVectorField())
                )
            ).filter(self._condition(parsed, alternative, vector="unindexed_vector"))
        return [*pools, (titled.order_by(), pool)]

    def ranked_candidates(self, query, *, label, alternative=None, pool=CANDIDATE_POOL):
        """The candidates of search_candidates as querysets of (label, pk, rank) rows, to unite
        with other models' (CombinedResults). On PostgreSQL they are the pools themselves, each
        ranking the rows it finds rather than reading them again afterwards (a record that both
        find is one row of the union: same label, key and rank); elsewhere one queryset, as
        SQLite allows no LIMIT inside a UNION."""
        parsed, alternative = self.parsed(query), self.parsed(alternative)

        def rows(queryset):
            labelled = queryset.annotate(result_type=Value(label, output_field=models.CharField()))
            return labelled.values_list("result_type", "pk", "rank")

        if not (parsed and is_postgresql(self.db) and spec_for(self.model).pooled):
            candidates = self.search_candidates(parsed, alternative=alternative, pool=pool)
            return [rows(candidates.order_by())]
        _condition, rank = self._condition_and_rank(parsed, alternative)
        return [
            rows(found.annotate(rank=rank))[:limit]
            for found, limit in self._pools(parsed, alternative, pool)
        ]

    def with_headlines(self, query, *, alternative=None):
        """On PostgreSQL, annotate `headline`: the snippet with marked matches, computed in SQL
        (use it on one page of records, not a whole result set). Elsewhere, unchanged."""
        parsed, alternative = self.parsed(query), self.parsed(alternative)
        if not parsed or not is_postgresql(self.db):
            return self
        spec = spec_for(self.model)
        return self.annotate(
            headline=SearchHeadline(
                spec.snippet_expression(),
                ranking_query(parsed, alternative),
                config=CONFIG,
                start_sel=START_MARK,
                stop_sel=STOP_MARK,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        )


class CombinedResults:
    """One ranked result list over several searchable querysets, for a paginator.

    `sources` maps a kind (e.g. "practice") to the queryset searched for it; `kinds` narrows the
    list to some of them while `counts` still covers all. One UNION query fetches every kind's
    candidates (see `search_candidates`) as (kind, pk, rank) rows, best first: at most about
    2 × CANDIDATE_POOL small rows per kind, from which the counts and any page are taken. So a
    result page costs that query plus one per kind shown to load the records, however many
    records match.
    """

    def __init__(self, sources, query, *, alternative=None, kinds=None):
        self.sources = sources
        self.kinds = [kind for kind in sources if kinds is None or kind in kinds]
        self.query = with_lexemes(parse_query(query))
        self.alternative = with_lexemes(alternative)

    @cached_property
    def rows(self):
        if not self.query or not self.sources:
            return []
        parts = [
            part
            for kind, source in self.sources.items()
            for part in source.ranked_candidates(
                self.query, label=kind, alternative=self.alternative
            )
        ]
        union = parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]
        return list(union.order_by("-rank", "result_type", "pk"))

    @cached_property
    def counts(self):
        """{kind: number of candidates} for every source kind: the number of matches, unless
        it exceeds CANDIDATE_POOL (see `more`)."""
        counts = dict.fromkeys(self.sources, 0)
        for kind, _pk, _rank in self.rows:
            counts[kind] += 1
        return counts

    @cached_property
    def more(self):
        """Whether some kind has more matches than were ranked, so the count is a minimum."""
        return any(self.counts[kind] > CANDIDATE_POOL for kind in self.kinds)

    @cached_property
    def selected(self):
        kinds = set(self.kinds)
        return [row for row in self.rows if row[0] in kinds]

    def count(self):
        return len(self.selected)

    def __len__(self):
        return len(self.selected)

    def __getitem__(self, window):
        """A page as [(kind, pk, rank)], best first."""
        return self.selected[window]


# -- Snippets -------------------------------------------------------------------------------


def marked_html(text):
    """Escape `text`, then turn the headline markers into balanced <mark> elements."""
    html, open_mark = [], False
    for piece in re.split(f"([{START_MARK}{STOP_MARK}])", text):
        if piece == START_MARK:
            if not open_mark:
                html.append("<mark>")
                open_mark = True
        elif piece == STOP_MARK:
            if open_mark:
                html.append("</mark>")
                open_mark = False
        else:
            html.append(escape(piece))
    if open_mark:
        html.append("</mark>")
    return mark_safe("".join(html))


def highlight_text(text, parsed, words=SNIPPET_WORDS):
    """A window of `text` around the first match of the query, with matches marked."""
    text = re.sub(r"[\ue000\ue001]", "", " ".join(text.split()))
    terms = [t for g in parsed.groups for t in g if not t.negated]
    pattern = (
        re.compile("|".join(f"(?:{term_pattern(t)}\\w*)" for t in terms), re.IGNORECASE)
        if terms
        else None
    )
    first = pattern.search(text) if pattern else None
    tokens = text.split(" ")
    if first:
        before = text[: first.start()].count(" ")
        start = max(0, before - words // 3)
    else:
        start = 0
    window = " ".join(tokens[start : start + words])
    if pattern:
        window = pattern.sub(lambda m: START_MARK + m.group(0) + STOP_MARK, window)
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + words < len(tokens) else ""
    return marked_html(prefix + window + suffix)


def snippet(record, query, alternative=None):
    """Safe HTML: the record's text around what matched, matches in <mark>."""
    headline = getattr(record, "headline", None)
    if headline is not None:
        return marked_html(headline)
    parsed = parse_query(query)
    if alternative:
        parsed = ParsedQuery(parsed.text, parsed.groups + alternative.groups)
    return highlight_text(spec_for(type(record)).snippet_text(record), parsed)


# -- Spelling -------------------------------------------------------------------------------


def closest_word(word, candidates):
    """The word in `candidates` (texts of one or more words) nearest to `word`, with its
    similarity ratio."""
    best, best_ratio = None, 0.0
    matcher = difflib.SequenceMatcher(None, word.lower())
    seen = set()
    for candidate in candidates:
        for found in WORD.findall(candidate or ""):
            if found in seen:
                continue
            seen.add(found)
            matcher.set_seq2(found.lower())
            # The quick upper bounds rule most words out before the full comparison.
            if (
                matcher.real_quick_ratio() > best_ratio
                and matcher.quick_ratio() > best_ratio
                and (ratio := matcher.ratio()) > best_ratio
            ):
                best, best_ratio = found, ratio
    return best, best_ratio


def similar_words(words, using="default"):
    """{word: known words (practices.SearchWord) that may be what it means}: on PostgreSQL the
    most trigram-similar ones, one query for all the words through a GIN trigram index;
    elsewhere every known word, read once per content version, for difflib to rank."""
    from django.apps import apps

    known = apps.get_model("practices", "SearchWord")._base_manager.using(using)
    if not is_postgresql(using):
        everything = cached(
            ("vocabulary", using), lambda: list(known.values_list("word", flat=True))
        )
        return dict.fromkeys(words, everything)
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


def suggest_corrections(parsed, using="default"):
    """{misspelt word: the known word it most likely means} for the query's positive words."""
    words = [w for w in parsed.positive_words() if len(w) >= 4 and not w.isdigit()]
    words = words[:MAX_CORRECTED_WORDS]
    candidates = similar_words(words, using)
    corrections = {}
    for word in words:
        best, ratio = closest_word(word, candidates[word])
        if best and ratio >= CORRECTION_MIN_RATIO and best.lower() != word.lower():
            corrections[word] = best
    return corrections


def add_words(spec, records, using="default"):
    """Add the words of published `records`' vocabulary fields to practices.SearchWord."""
    from django.apps import apps

    words = {
        word
        for record in records
        if getattr(record, "status", PUBLISHED) == PUBLISHED
        for name in spec.vocabulary
        for word in WORD.findall(str(getattr(record, name) or ""))
        if len(word) >= MIN_WORD_LENGTH
    }
    if words:
        model = apps.get_model("practices", "SearchWord")
        model._base_manager.using(using).bulk_create(
            [model(word=word) for word in sorted(words)], ignore_conflicts=True, batch_size=1000
        )


# -- Practices ------------------------------------------------------------------------------


def practice_names(practice):
    for organisation in practice.organisations.all():
        yield organisation.name
        yield organisation.acronym
    for country in practice.countries.all():
        yield country.name
        if country.region:
            yield country.region.name
            if country.region.parent:
                yield country.region.parent.name
    if practice.scope_region:
        yield practice.scope_region.name
        if practice.scope_region.parent:
            yield practice.scope_region.parent.name
    yield practice.scope_label
    if practice.approach:
        yield practice.approach.name
        yield practice.approach.theme.name
    yield from tag_names(practice)


def tag_names(record):
    """Its tags' names in name order: prefetched tags come in no set order, and the names' order
    is their words' positions in the vector."""
    return sorted(tag.name for tag in record.tags.all())


def prefetch_practices(queryset):
    from practices.models import Country

    return queryset.select_related("approach__theme", "scope_region__parent").prefetch_related(
        "organisations",
        models.Prefetch("countries", queryset=Country.objects.select_related("region__parent")),
        "tags",
    )


def organisation_acronyms():
    from practices.models import Organisation

    return list(Organisation.objects.exclude(acronym="").values_list("acronym", "name"))


register(
    "practices.Practice",
    SearchSpec(
        weights=(("title", "A"), ("search_names", "B"), ("summary", "C"), ("body", "D")),
        title_field="title",
        snippet_fields=("summary", "body"),
        names=practice_names,
        prefetch=prefetch_practices,
        # Linked names: organisations and their acronyms, places, approach, theme, tags.
        vocabulary=("search_names",),
    ),
)
register_acronyms(organisation_acronyms)
