"""Spelling correction, the same on every database: a query that finds almost nothing is searched
again with its misspelt words (those that find nothing on their own) replaced by the known words
(SearchWord) fewest edits away, letters swapped counting as one."""

from django.db.models import Q
from django.db.models.functions import Length
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from .documents import spec_for
from .engines import engine
from .models import SearchWord
from .query import parse_query

MAX_CORRECTED_WORDS = 4
MIN_SIMILARITY = 0.75  # One edit in four letters, two in eight.


def finds(sources, parsed):
    """Whether `parsed` matches a record of any of `sources` (searchable querysets)."""
    return any(
        engine(qs.db).first(qs.order_by(), spec_for(qs.model), parsed, 1).exists() for qs in sources
    )


def closest(word, using):
    """The known word closer to `word` than any other, if close enough. The candidates start as
    `word` does (or with its first two letters swapped) and are of a length that may be close
    enough: a few hundred words at most."""
    known = (
        SearchWord._base_manager.using(using)
        .alias(length=Length("word"))
        .filter(
            Q(word__istartswith=word[0]) | Q(word__istartswith=word[1]),
            length__range=(len(word) * 3 // 4, len(word) * 4 // 3 + 1),
        )
    )
    known = {found: found.lower() for found in known.values_list("word", flat=True)}
    similarity = DamerauLevenshtein.normalized_similarity
    best = process.extract(
        word.lower(), known, scorer=similarity, limit=2, score_cutoff=MIN_SIMILARITY
    )
    if best and (len(best) == 1 or best[1][1] < best[0][1] or best[1][0] == best[0][0]):
        return best[0][2]


def suggest_corrections(parsed, sources, found=0):
    """{misspelt word: its correction} for the query's words that find nothing in `sources`, if
    the corrected query finds something there; a word found is never replaced (nor any word of a
    query without `or` that `found` records)."""
    if found and len(parsed.groups) == 1:
        return {}
    sources = list(sources)
    words = [w for w in parsed.positive_words() if len(w) >= 4 and not w.isdigit()]
    words = [
        w
        for w in words[:MAX_CORRECTED_WORDS]
        if (alone := parse_query(w)) and not finds(sources, alone)
    ]
    corrections = {w: found for w in words if (found := closest(w, sources[0].db))}
    corrections = {w: found for w, found in corrections.items() if found.lower() != w.lower()}
    return corrections if corrections and finds(sources, parsed.corrected(corrections)) else {}
