"""The PostgreSQL engine: a stored weighted `search_vector` behind a GIN index."""

import re
import time
from bisect import bisect_left
from itertools import accumulate

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connections
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, NullIf

from .query import ParsedQuery, boolean, crude_stem

CONFIG = "english"
# A word matched as a prefix ('train':*) makes the GIN index read the records of every word it
# begins, whole: four common ones ("Netherlands Training Savings Councillors Centre") took 45 ms
# at 100,000 practices. Matches are then looked up by the query's other terms alone, those most
# records lack (by the planner's statistics: at most this share of them), and every term is
# checked on the rows these give (3-15 ms).
ANCHOR_MAX_SHARE = 0.05
ANCHOR_RATIO = 20  # or a twentieth of those the prefix terms hold together
STATISTICS_SECONDS = 600  # how long the statistics read are used before they are read again
LEXEME = re.compile(r"'((?:[^']|'')*)'(:\*)?")
_statistics = {}  # {(database alias, table): (when read, LexemeShares or None)}
_stems = {}  # {a word or phrase as to_tsquery() input: its lexemes}
MAX_STEMS = 50_000


def is_postgresql(using="default"):
    """Whether the database `using` is searched by this engine (else by search.sqlite's)."""
    return connections[using].vendor == "postgresql"


def form_text(form):
    """A word or phrase as to_tsquery() input, which stems it: quoted operands, so always valid."""
    words = ["'" + w.replace("\\", "\\\\").replace("'", "''") + "'" for w in form.words]
    return words[0] + ":*" * form.prefix if len(words) == 1 else "(" + " <-> ".join(words) + ")"


def tsquery(parsed, exclusions=True):
    """The query as one tsquery; ranking leaves its exclusions out (ts_rank scores them zero)."""
    text = boolean(parsed, form_text, " & ", " | ", "({} & !({}))".format, exclusions=exclusions)
    return SearchQuery(text, search_type="raw", config=CONFIG)


def matches(queryset, spec, parsed):
    return Q(search_vector=tsquery(parsed))


def rank(model, spec, parsed):
    return SearchRank(F("search_vector"), tsquery(parsed, exclusions=False))


def first(queryset, spec, parsed, limit, titled=()):
    """The keys of `limit` matches; with `titled` terms, of matches with them in their title, found
    through the title's trigram index (the GIN index's lists for common words cost far more)."""
    if not titled:
        anchor = anchored(queryset, parsed)
        if anchor is None:
            return queryset.filter(search_vector=tsquery(parsed)).values("pk")[:limit]
        found = queryset.filter(search_vector=tsquery(anchor))
    else:
        regexes = ("|".join(".*".join(map(crude_stem, f.words)) for f in t.forms()) for t in titled)
        found = queryset.filter(*(Q(**{f"{spec.title_field}__iregex": r}) for r in regexes))
    found = found.alias(unindexed=Coalesce("search_vector", Value("", SearchVectorField())))
    return found.filter(unindexed=tsquery(parsed)).values("pk")[:limit]


def anchored(queryset, parsed):
    """The terms of `parsed` (a query of one alternative) that the index should look its matches
    up by, when leaving its common prefix terms to be checked on the rows they give pays; None
    to look them up by every term."""
    if len(parsed.groups) != 1:
        return None
    terms = [term for term in parsed.groups[0] if not term.negated]
    if len(terms) < 2 or not any(form.prefix for term in terms for form in term.forms()):
        return None
    statistics = lexeme_shares(queryset.model._meta.db_table, queryset.db)
    if statistics is None:
        return None
    lexemes = stems(queryset.db, [form for term in terms for form in term.forms()])

    def share(term):  # the estimated share of records a term matches
        found = 0.0
        for form in term.forms():
            words = lexemes[form_text(form)]
            if not words:
                return 1.0  # stop words only: the index ignores them
            if form.prefix:
                found += statistics.beginning(words[0])
            else:
                found += min(map(statistics.share, words))
        return min(found, 1.0)

    shares = {term: share(term) for term in terms}
    prefixed = [term for term in terms if any(form.prefix for form in term.forms())]
    # A prefix term is looked up when it is rare, or rarer by far than the others together.
    most = max(ANCHOR_MAX_SHARE, sum(shares[t] for t in prefixed) / ANCHOR_RATIO)
    kept = [t for t in terms if (t not in prefixed or shares[t] <= most) and shares[t] < 1.0]
    if not kept or len(kept) == len(terms):
        return None
    return ParsedQuery((tuple(kept),))


class LexemeShares:
    """How many of a table's rows hold each of its most common lexemes (as the last ANALYZE
    counted them), as shares; every other lexeme is held by fewer than `floor`."""

    def __init__(self, lexemes, shares):
        pairs = sorted(zip(lexemes, shares, strict=False))  # past the lexemes: min, max, nulls
        self.lexemes, self.floor = [lexeme for lexeme, _ in pairs], shares[len(lexemes)]
        self.shares = dict(pairs)
        self.running = [0.0, *accumulate(share for _, share in pairs)]

    def share(self, lexeme):
        return self.shares.get(lexeme, self.floor)

    def beginning(self, prefix):
        """At most the share of rows holding a lexeme that begins with `prefix`."""
        start = bisect_left(self.lexemes, prefix)
        end = bisect_left(self.lexemes, prefix + "\U0010ffff", lo=start)
        return self.running[end] - self.running[start] + self.floor


def lexeme_shares(table, using):
    """The LexemeShares of `table`'s search_vector, read again every STATISTICS_SECONDS; None
    before any ANALYZE."""
    key, now = (using, table), time.monotonic()
    found = _statistics.get(key)
    if found is None or now - found[0] > STATISTICS_SECONDS:
        with connections[using].cursor() as cursor:
            cursor.execute(
                "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
                "WHERE schemaname = current_schema() AND tablename = %s "
                "AND attname = 'search_vector'",
                [table],
            )
            row = cursor.fetchone()
        found = (now, LexemeShares(*row) if row and row[0] else None)
        _statistics[key] = found
    return found[1]


def stems(using, forms):
    """{form_text(form): its lexemes, as the index holds them} for each of `forms`: read from the
    database in one query for those not read before."""
    texts = list(dict.fromkeys(form_text(form) for form in forms))
    unknown = [text for text in texts if text not in _stems]
    if unknown:
        columns = ", ".join(["to_tsquery(%s::regconfig, %s)::text"] * len(unknown))
        with connections[using].cursor() as cursor:
            cursor.execute(f"SELECT {columns}", [v for text in unknown for v in (CONFIG, text)])
            queries = cursor.fetchone()
        if len(_stems) > MAX_STEMS:
            _stems.clear()
        for text, query in zip(unknown, queries, strict=True):
            _stems[text] = tuple(m.group(1).replace("''", "'") for m in LEXEME.finditer(query))
    return {text: _stems.get(text, ()) for text in texts}


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
