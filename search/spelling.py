"""Spelling correction: a query that finds almost nothing is searched again with its misspelt
words replaced by the known words (SearchWord) most like them."""

import difflib

from .engines import engine
from .models import SearchWord
from .query import WORD

MAX_CORRECTED_WORDS = 4
CORRECTION_MIN_RATIO = 0.75
MIN_WORD_LENGTH = 3  # Shorter words are not corrections worth offering.


def suggest_corrections(parsed, using="default"):
    """{misspelt word: the known word it most likely means} for the query's positive words."""
    words = [w for w in parsed.positive_words() if len(w) >= 4 and not w.isdigit()]
    if not (words := words[:MAX_CORRECTED_WORDS]):
        return {}
    candidates = engine(using).similar_words(SearchWord._base_manager.using(using), words)
    corrections = {}
    for word in words:
        known = {found.lower(): found for found in reversed(candidates[word])}
        best = difflib.get_close_matches(word.lower(), known, n=1, cutoff=CORRECTION_MIN_RATIO)
        if best and best[0] != word.lower():
            corrections[word] = known[best[0]]
    return corrections


def add_words(spec, records, using="default"):
    """Add the words of published `records`' vocabulary fields to SearchWord."""
    words = {
        word
        for record in records
        if getattr(record, "status", "published") == "published"
        for name in spec.vocabulary
        for word in WORD.findall(str(getattr(record, name) or ""))
        if len(word) >= MIN_WORD_LENGTH
    }
    SearchWord._base_manager.using(using).bulk_create(
        [SearchWord(word=word) for word in sorted(words)], ignore_conflicts=True, batch_size=1000
    )
