"""The query language, the same on every database: words, "quoted phrases", -exclusions, `or`,
and words of five letters or more that also find the longer words they begin ("leaders" finds
"leadership")."""

import re
from dataclasses import dataclass, replace

MAX_TERMS = 12
PREFIX_MIN_LENGTH = 5
# PostgreSQL's english stop words (tsearch_data/english.stop), which to_tsquery drops: a term made
# of them alone is dropped on every database, so every term left has something to match.
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
TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
WORD = re.compile(r"[^\W_]+")
POSSESSIVE = re.compile(r"['’]s\b", re.IGNORECASE)


@dataclass(frozen=True)
class Term:
    """One word, or a phrase (several words in order), possibly excluded; an unquoted word of
    PREFIX_MIN_LENGTH or more is a `prefix` too."""

    words: tuple[str, ...]
    negated: bool = False
    prefix: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    """A web-search query as alternatives (split by `or`), each a conjunction of terms."""

    groups: tuple[tuple[Term, ...], ...] = ()

    def __bool__(self):
        return bool(self.groups)

    def terms(self):
        """The looked-for (not excluded) terms of every alternative."""
        return [term for group in self.groups for term in group if not term.negated]

    def positive_words(self):
        """The words looked for, each once, in order."""
        return list({word.lower(): word for term in self.terms() for word in term.words}.values())

    def either(self, alternative):
        """This query or `alternative` (a corrected query), as one query."""
        return replace(self, groups=self.groups + alternative.groups) if alternative else self

    def corrected(self, corrections):
        """The same query with misspelt words replaced, or None if nothing changes."""
        if not corrections:
            return None
        groups = tuple(
            tuple(
                term
                if term.negated
                else replace(term, words=tuple(corrections.get(w, w) for w in term.words))
                for term in group
            )
            for group in self.groups
        )
        return ParsedQuery(groups)


def parse_query(text):
    """Parse web-search syntax; never fails. Words are reduced to runs of letters and digits, so
    no quote, operator or SQL character reaches a database as syntax. An alternative with nothing
    to look for (only exclusions, stop words or punctuation) is dropped."""
    if isinstance(text, ParsedQuery):
        return text
    groups, current, count = [], [], 0
    for match in TOKEN.finditer(str(text or "")):
        minus, phrase, bare = match.groups()
        if bare is not None and bare.lower() == "or":
            groups.append(current)
            current = []
            continue
        words = tuple(WORD.findall(POSSESSIVE.sub("", bare if phrase is None else phrase)))
        negated = bool(minus) if phrase is not None else bare.startswith("-") and len(bare) > 1
        if count < MAX_TERMS and not all(word.lower() in STOP_WORDS for word in words):
            prefix = phrase is None and len(words) == 1 and len(words[0]) >= PREFIX_MIN_LENGTH
            current.append(Term(words, negated, prefix))
            count += 1
    groups.append(current)
    kept = tuple(tuple(g) for g in groups if any(not term.negated for term in g))
    return ParsedQuery(kept)


def crude_stem(word):
    """A rough English stem, for text outside the full-text index (SQLite's rank, PostgreSQL's
    title pool)."""
    word = word.lower()
    for suffix in ("ations", "ation", "ings", "ing", "ers", "ies", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word
