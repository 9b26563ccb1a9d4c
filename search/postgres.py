"""The PostgreSQL engine: a stored weighted `search_vector` behind a GIN index."""

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connections
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, NullIf

from .query import boolean, crude_stem

CONFIG = "english"


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
        return queryset.filter(search_vector=tsquery(parsed)).values("pk")[:limit]
    regexes = ("|".join(".*".join(map(crude_stem, f.words)) for f in t.forms()) for t in titled)
    found = queryset.filter(*(Q(**{f"{spec.title_field}__iregex": r}) for r in regexes))
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
