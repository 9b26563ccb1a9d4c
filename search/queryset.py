"""What the rest of the code calls: SearchableQuerySet.search() (with its candidates and
headlines), CombinedResults for /search/ and snippet() for an excerpt, over one engine per
database (engines.engine). Imports no content app: their models import it."""

import re
from functools import cached_property

from django.db import models
from django.db.models import FloatField, Q, Value
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.facets import key_set

from .documents import spec_for
from .engines import engine
from .query import crude_stem, parse_query
from .spelling import suggest_corrections

# Fewer matches than this, and misspelt words are corrected and searched for as well.
FEW_RESULTS = 3
# A result page ranks at most about twice this many candidates per type.
CANDIDATE_POOL = 100
SNIPPET_WORDS = 40
# Markers for headlines that no escaping changes; replaced by <mark> after escaping.
START_MARK, STOP_MARK = "\ue000", "\ue001"


class SearchableQuerySet(models.QuerySet):
    """Adds `search(query)`: records matching a web-search query, best first, with `rank`."""

    def search(self, query, *, alternative=None, spelling=True, pool=None, materialise=False):
        """Matches for `query` (text or ParsedQuery) annotated with `rank`, best first; with
        `spelling`, misspelt words are corrected where it finds few; `alternative`, a corrected
        query, is searched for too; with `pool`, only search_candidates are ranked."""
        parsed, alternative = self.parsed(query), self.parsed(alternative)
        if not parsed:
            return self.none().annotate(rank=Value(0.0, output_field=FloatField()))
        if spelling and alternative is None:
            alternative = self.correction(parsed)
        if pool:
            return self.search_candidates(
                parsed, alternative=alternative, pool=pool, materialise=materialise
            )
        return self._ranked(self.filter(self._matches(parsed, alternative)), parsed, alternative)

    def correction(self, query):
        """`query` with misspelt words corrected if it finds fewer than FEW_RESULTS, else None."""
        parsed = self.parsed(query)
        if not parsed:
            return None
        found, _limit = self._pools(parsed, None, FEW_RESULTS, titled=False)[0]
        if len(found.values_list("pk", flat=True)[:FEW_RESULTS]) >= FEW_RESULTS:
            return None
        return self.parsed(parsed.corrected(suggest_corrections(parsed, self.db)))

    def parsed(self, query):
        """`query` parsed and prepared for this database's engine; None stays None."""
        return None if query is None else engine(self.db).prepared(parse_query(query), self.db)

    def _matches(self, parsed, alternative=None):
        return engine(self.db).matches(self, spec_for(self.model), parsed.either(alternative))

    def _rank(self, parsed, alternative=None):
        return engine(self.db).rank(self, spec_for(self.model), parsed.either(alternative))

    def _ranked(self, queryset, parsed, alternative):
        title = spec_for(self.model).title_field
        return queryset.annotate(rank=self._rank(parsed, alternative)).order_by(
            "-rank", title, "pk"
        )

    def search_candidates(self, query, *, alternative=None, pool=CANDIDATE_POOL, materialise=False):
        """What a result page ranks, bounded at any scale: every match if there are at most
        `pool`, else the first `pool` + 1 found plus up to `pool` with the query's words in their
        title (so more than `pool` says the list is cut). With `materialise`, their keys are read
        at once, so that a list's count, page and facets do not each search again."""
        parsed, alternative = self.parsed(query), self.parsed(alternative)
        if not parsed:
            return self.none().annotate(rank=Value(0.0, output_field=FloatField()))
        if not spec_for(self.model).pooled:
            return self._ranked(
                self.filter(self._matches(parsed, alternative)), parsed, alternative
            )
        pools = [
            found.values("pk")[:limit] for found, limit in self._pools(parsed, alternative, pool)
        ]
        if engine(self.db).POOLS_IN_UNION:
            # One semi-join on the primary key; OR-ed subqueries would scan the whole table.
            chosen = Q(pk__in=pools[0].union(*pools[1:]))
        else:
            chosen = Q(pk__in=pools[0])
            for part in pools[1:]:
                chosen |= Q(pk__in=part)
        if not materialise:
            return self._ranked(self.filter(chosen), parsed, alternative)
        keys = list(self.filter(chosen).order_by().values_list("pk", flat=True))
        candidates = self._ranked(self.filter(pk__in=key_set(keys, self.db)), parsed, alternative)
        candidates.search_keys = keys  # For counting links (facets.owners); clones drop it.
        return candidates

    def _pools(self, parsed, alternative, pool, *, titled=True):
        """[(queryset, limit)]: any pool + 1 matches, and pool with the query's words in their
        title."""
        words = [w for w in parsed.positive_words() if len(w) >= 3][:3] if titled else []
        spec, either = spec_for(self.model), parsed.either(alternative)
        return engine(self.db).pools(self.order_by(), spec, either, words, pool)

    def ranked_candidates(self, query, *, label, alternative=None, pool=CANDIDATE_POOL):
        """The candidates as querysets of (label, pk, rank) rows to unite with other types':
        the pools themselves where the database allows a LIMIT in a UNION, else one."""
        parsed, alternative = self.parsed(query), self.parsed(alternative)

        def rows(queryset):
            labelled = queryset.annotate(result_type=Value(label, output_field=models.CharField()))
            return labelled.values_list("result_type", "pk", "rank")

        if not (parsed and engine(self.db).POOLS_IN_UNION and spec_for(self.model).pooled):
            candidates = self.search_candidates(parsed, alternative=alternative, pool=pool)
            return [rows(candidates.order_by())]
        rank = self._rank(parsed, alternative)
        return [
            rows(found.annotate(rank=rank))[:limit]
            for found, limit in self._pools(parsed, alternative, pool)
        ]

    def with_headlines(self, query, *, alternative=None):
        """Annotate `headline`, the excerpt with its matches marked (for one page of records)."""
        parsed, alternative = self.parsed(query), self.parsed(alternative)
        if not parsed or engine(self.db).headline is None:
            return self
        either = parsed.either(alternative)
        spec = spec_for(self.model)
        return self.annotate(
            headline=engine(self.db).headline(self, spec, either, START_MARK, STOP_MARK)
        )


class CombinedResults:
    """One ranked list over several searchable querysets ({kind: queryset}), for a paginator:
    one UNION query of every kind's candidates as (kind, pk, rank) rows gives the counts and any
    page. `kinds` narrows the list; `counts` still covers every kind."""

    def __init__(self, sources, query, *, alternative=None, kinds=None):
        self.sources = sources
        self.kinds = [kind for kind in sources if kinds is None or kind in kinds]
        using = next(iter(sources.values())).db if sources else "default"
        prepare = engine(using).prepared
        self.query = prepare(parse_query(query), using)
        self.alternative = prepare(alternative, using) if alternative else alternative

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
        """{kind: number of candidates}: the number of matches, unless over CANDIDATE_POOL."""
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


def marked_html(text):
    """Escape `text`, then turn the headline markers into balanced <mark> elements."""
    html, open_mark = [], False
    for piece in re.split(f"([{START_MARK}{STOP_MARK}])", text):
        if piece in (START_MARK, STOP_MARK):
            if open_mark != (piece == START_MARK):
                html.append("<mark>" if piece == START_MARK else "</mark>")
                open_mark = piece == START_MARK
        else:
            html.append(escape(piece))
    if open_mark:
        html.append("</mark>")
    return mark_safe("".join(html))


def highlight(text, parsed, words=SNIPPET_WORDS):
    """A window of `text` around the first match of the query, with matches marked."""
    text = re.sub(f"[{START_MARK}{STOP_MARK}]", "", " ".join(text.split()))
    patterns = [
        r"\b"
        + (re.escape(crude_stem(t.words[0])) if t.prefix else r"\W+".join(map(re.escape, t.words)))
        for t in parsed.terms()
    ]
    pattern = re.compile("|".join(f"(?:{p}\\w*)" for p in patterns), re.IGNORECASE)
    first = pattern.search(text) if patterns else None
    tokens = text.split(" ")
    start = max(0, text[: first.start()].count(" ") - words // 3) if first else 0
    window = " ".join(tokens[start : start + words])
    if patterns:
        window = pattern.sub(lambda m: START_MARK + m.group(0) + STOP_MARK, window)
    prefix, suffix = "… " if start else "", " …" if start + words < len(tokens) else ""
    return marked_html(prefix + window + suffix)


def snippet(record, query, alternative=None):
    """Safe HTML: the record's text around what matched, matches in <mark>: the database's
    headline where it makes one (see with_headlines), else marked here."""
    headline = getattr(record, "headline", None)
    if headline is not None:
        return marked_html(headline)
    spec = spec_for(type(record))
    text = next(
        (t for f in [*spec.snippet_fields, "search_names"] if (t := getattr(record, f))), ""
    )
    return highlight(text or "", parse_query(query).either(alternative))
