"""What the rest of the code calls, over one engine per database; imports no content app."""

import re
from collections import Counter

from django.db import connections, models
from django.db.models import Q, Value
from django.db.models.functions import Length, Lower
from django.utils.html import escape
from django.utils.safestring import mark_safe
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from core.keys import key_set

from . import postgres, sqlite
from .documents import spec_for
from .models import SearchWord
from .query import parse_query

FEW_RESULTS = 3  # Fewer matches than this, and misspelt words are corrected and searched too.
CANDIDATE_POOL = 100  # A result page ranks at most about twice this many candidates per type.
SIMILARITY = DamerauLevenshtein.normalized_similarity
MIN_SIMILARITY = 0.75  # One edit in four letters, two in eight.
# Markers for headlines that no escaping changes; replaced by <mark> after escaping.
START_MARK, STOP_MARK = "\ue000", "\ue001"
MARKED = re.compile(f"{START_MARK}([^{START_MARK}{STOP_MARK}]*){STOP_MARK}")


def engine(using="default"):
    """The search engine of the database `using`: search.postgres or search.sqlite (FTS5)."""
    return postgres if postgres.is_postgresql(using) else sqlite


class SearchableQuerySet(models.QuerySet):
    """Adds `search(query)`: records matching a web-search query, best first, with `rank`."""

    parsed = staticmethod(parse_query)

    def correction(self, parsed, found=None):
        """`parsed` with misspelt words corrected if it finds fewer than FEW_RESULTS, else None;
        `found`: how many it finds, if known (fewer than FEW_RESULTS)."""
        if not parsed:
            return None
        if found is None:
            spec = spec_for(self.model)
            found = len(engine(self.db).first(self.order_by(), spec, parsed, FEW_RESULTS))
        if found < FEW_RESULTS:
            return parsed.corrected(suggest_corrections(parsed, [self], found))

    def _ranked(self, parsed, alternative, chosen=None):
        """The records `chosen` (a filter; every match if None), with `rank`, best first."""
        spec, search, either = spec_for(self.model), engine(self.db), parsed.either(alternative)
        if not parsed:
            return self.none().annotate(rank=Value(0.0))
        found = self.filter(search.matches(self, spec, either) if chosen is None else chosen)
        return found.annotate(rank=search.rank(self.model, spec, either)).order_by(
            *by_relevance(spec.title_field)
        )

    def search(self, query, *, alternative=None, spelling=True, pool=None, materialise=False):
        """Matches for `query` or `alternative` (a correction, looked for unless `spelling` is
        False), best first; the correction searched is the result's `alternative`. With `pool`,
        bounded: the first `pool` + 1 matches and up to `pool` with its words in their title;
        `materialise` reads their keys at once, for a list's facets (and a correction is looked
        for only when they are too few)."""
        parsed, spec = parse_query(query), spec_for(self.model)
        pooled, look = bool(pool and parsed and spec.pooled), spelling and alternative is None
        if look and not (pooled and materialise):
            alternative = self.correction(parsed)
        if not pooled:
            found = self._ranked(parsed, alternative)
        elif not materialise:
            chosen = Q(pk__in=self._pooled(parsed, alternative, pool))
            found = self._ranked(parsed, alternative, chosen)
        else:
            keys = self._pooled_keys(parsed, alternative, pool)
            if look and len(keys) < FEW_RESULTS:  # the matches say how many there are
                alternative = self.correction(parsed, found=len(keys))
                keys = self._pooled_keys(parsed, alternative, pool) if alternative else keys
            found = self._ranked(parsed, alternative, Q(pk__in=key_set(keys, self.db)))
            found.search_keys = keys  # For counting links (facets.owners); clones drop it.
        found.alternative = alternative
        return found

    def _pooled_keys(self, parsed, alternative, pool):
        chosen = self.filter(pk__in=self._pooled(parsed, alternative, pool))
        return list(chosen.order_by().values_list("pk", flat=True))

    def _pooled(self, parsed, alternative, pool):
        """The keys of the first `pool` + 1 matches and of up to `pool` with the query's words
        in their title, as one subquery."""
        spec, either, first = (
            spec_for(self.model),
            parsed.either(alternative),
            engine(self.db).first,
        )
        pools = [first(self.order_by(), spec, either, pool + 1)]
        if titled := [t for t in parsed.terms() if len(t.words[0]) >= 3][:3]:
            pools.append(first(self.order_by(), spec, either, pool, titled))
        # One semi-join on the key; OR-ed subqueries would scan the whole table on PostgreSQL.
        return pools[0].union(*pools[1:])

    def with_headlines(self, query, *, alternative=None):
        """Annotate `headline`, the excerpt with its matches marked (for one page of records)."""
        parsed, spec, headline = parse_query(query), spec_for(self.model), engine(self.db).headline
        either = parsed.either(alternative)
        return self.annotate(headline=headline(self.model, spec, either, START_MARK, STOP_MARK))


def by_relevance(title_field):
    """Best first, then by title, then by key. The title in lower case, which reads the same: on
    PostgreSQL, sorting hundreds of candidates with equal ranks by the table's own title column
    took 8 ms, by the expression 1."""
    return ("-rank", Lower(title_field), "pk")


class CombinedResults(list):
    """One ranked list of (kind, pk, rank) from one UNION of every kind's candidates; `counts`
    covers every kind, and `more` says some kind has more matches than were ranked."""

    def __init__(self, sources, query, *, alternative=None, kinds=None):
        self.sources, self.query, self.alternative = sources, parse_query(query), alternative
        self.kinds = [kind for kind in sources if kinds is None or kind in kinds]
        parts = [
            source.search(self.query, alternative=alternative, spelling=False, pool=CANDIDATE_POOL)
            .annotate(result_type=Value(kind, output_field=models.CharField()))
            .order_by()
            .values_list("result_type", "pk", "rank")
            for kind, source in sources.items()
            if self.query
        ]
        union = parts[0].union(*parts[1:]).order_by("-rank", "result_type", "pk") if parts else []
        rows = list(union)
        self.counts = dict.fromkeys(sources, 0) | Counter(kind for kind, _pk, _rank in rows)
        self.more = any(self.counts[kind] > CANDIDATE_POOL for kind in self.kinds)
        super().__init__(row for row in rows if row[0] in self.kinds)


def snippet(record):
    """Safe HTML: the record's `headline` escaped, its matches in <mark> (stray markers dropped)."""
    html = MARKED.sub(r"<mark>\1</mark>", escape(record.headline))
    return mark_safe(html.replace(START_MARK, "").replace(STOP_MARK, ""))


def finding(sources, queries):
    """For each parsed query of `queries`, whether it finds anything in `sources`: one query."""
    checks, params = [], []
    for parsed in queries:
        firsts = [engine(s.db).first(s.order_by(), spec_for(s.model), parsed, 1) for s in sources]
        sqls = [first.query.sql_with_params() for first in firsts]
        checks.append(" OR ".join(f"EXISTS ({sql})" for sql, _params in sqls))
        params += [param for _sql, more in sqls for param in more]
    if not checks:
        return []
    with connections[sources[0].db].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(checks)}", params)
        return [bool(value) for value in cursor.fetchone()]


def closest(words, using):
    """{word: the known word closest to it, if close enough and closer than any other}, in one
    query: only known words of a similar length, starting with one of its first two letters."""
    near = {word: (word[:2], len(word) * 3 // 4, len(word) * 4 // 3 + 1) for word in words}
    wanted = Q()
    for first, shortest, longest in near.values():
        letters = Q(word__istartswith=first[0]) | Q(word__istartswith=first[1])
        wanted |= letters & Q(length__range=(shortest, longest))
    known = SearchWord._base_manager.using(using).alias(length=Length("word")).filter(wanted)
    known = list(known.values_list("word", flat=True)) if words else []
    found = {}
    for word, (first, shortest, longest) in near.items():
        fits = {k: k.lower() for k in known if shortest <= len(k) <= longest}
        fits = {k: low for k, low in fits.items() if low[:1] in first.lower()}
        best = process.extract(
            word.lower(), fits, scorer=SIMILARITY, limit=2, score_cutoff=MIN_SIMILARITY
        )
        if len(best) == 2 and best[1][1] == best[0][1] and best[1][0] != best[0][0]:
            continue  # Two known words equally close: neither.
        if best and best[0][0] != word.lower():
            found[word] = best[0][2]
    return found


def suggest_corrections(parsed, sources, found=0):
    """{misspelt word: known word fewest edits away} for the query's words that find nothing in
    `sources` (none if a query without `or` found), in two queries at most however many words."""
    if found and len(parsed.groups) == 1:
        return {}
    sources = list(sources)
    # Each word once, of four letters or more, neither a number nor a stop word; the first four.
    words = {w.lower(): w for term in parsed.terms() for w in term.words}.values()
    words = [w for w in words if len(w) >= 4 and not w.isdigit() and parse_query(w)][:4]
    alone = [parse_query(word) for word in words]
    # A query of one word that found nothing needs no asking whether its word alone does.
    fruitful = [False] if not found and alone == [parsed] else finding(sources, alone)
    return closest([w for w, hit in zip(words, fruitful, strict=True) if not hit], sources[0].db)
