"""Spelling correction: a query that finds almost nothing is searched again with its misspelt
words replaced by the known words (SearchWord) most like them."""

import difflib

from .engines import engine
from .models import SearchWord
from .query import WORD

MAX_CORRECTED_WORDS = 4
CORRECTION_MIN_RATIO = 0.75
MIN_WORD_LENGTH = 3  # Shorter words are not corrections worth offering.
PUBLISHED = "published"


def closest_word(word, candidates):
    """The word in `candidates` nearest to `word`, with its similarity ratio."""
    best, best_ratio = None, 0.0
    matcher = difflib.SequenceMatcher(None, word.lower())
    for found in dict.fromkeys(candidates):
        matcher.set_seq2(found.lower())
        # The quick upper bounds rule most words out before the full comparison.
        if (
            matcher.real_quick_ratio() > best_ratio
            and matcher.quick_ratio() > best_ratio
            and (ratio := matcher.ratio()) > best_ratio
        ):
            best, best_ratio = found, ratio
    return best, best_ratio


def suggest_corrections(parsed, using="default"):
    """{misspelt word: the known word it most likely means} for the query's positive words."""
    words = [w for w in parsed.positive_words() if len(w) >= 4 and not w.isdigit()]
    words = words[:MAX_CORRECTED_WORDS]
    if not words:
        return {}
    candidates = engine(using).similar_words(SearchWord._base_manager.using(using), words)
    corrections = {}
    for word in words:
        best, ratio = closest_word(word, candidates[word])
        if best and ratio >= CORRECTION_MIN_RATIO and best.lower() != word.lower():
            corrections[word] = best
    return corrections


def add_words(spec, records, using="default"):
    """Add the words of published `records`' vocabulary fields to SearchWord."""
    words = {
        word
        for record in records
        if getattr(record, "status", PUBLISHED) == PUBLISHED
        for name in spec.vocabulary
        for word in WORD.findall(str(getattr(record, name) or ""))
        if len(word) >= MIN_WORD_LENGTH
    }
    if words:
        SearchWord._base_manager.using(using).bulk_create(
            [SearchWord(word=word) for word in sorted(words)],
            ignore_conflicts=True,
            batch_size=1000,
        )
