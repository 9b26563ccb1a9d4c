"""The query language, the same on every database: words, "quoted phrases", -exclusions, `or`,
and longer words that also find the longer words they begin ("leaders" finds "leadership")."""

import re
from dataclasses import dataclass, field, replace

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
    """One word, or a phrase (several words in order), possibly excluded."""

    words: tuple[str, ...]
    negated: bool = False
    quoted: bool = False
    # On PostgreSQL, the term as tsquery input in lexemes as stored (postgres.with_lexemes).
    tsquery: str | None = None

    @property
    def prefix(self):
        return not self.quoted and len(self.words) == 1 and len(self.words[0]) >= PREFIX_MIN_LENGTH


@dataclass(frozen=True)
class ParsedQuery:
    """A web-search query as alternatives (split by `or`), each a conjunction of terms."""

    text: str
    groups: tuple[tuple[Term, ...], ...] = field(default=())
    # The database alias its terms were looked up in (postgres.with_lexemes), so that a query
    # passed on is not looked up again.
    lexemes_in: str | None = None

    def __bool__(self):
        return bool(self.groups)

    def positive_words(self):
        """The words looked for (not excluded), each once, in order."""
        words = {}
        for term in self.terms():
            for word in term.words:
                words.setdefault(word.lower(), word)
        return list(words.values())

    def terms(self):
        """The looked-for terms of every alternative."""
        return [term for group in self.groups for term in group if not term.negated]

    def either(self, alternative):
        """This query or `alternative` (a corrected query), as one query."""
        if not alternative:
            return self
        return replace(self, groups=self.groups + alternative.groups)

    def corrected(self, corrections):
        """The same query with misspelt words replaced, or None if nothing changes."""
        if not corrections:
            return None
        groups = tuple(
            tuple(
                term
                if term.negated
                else replace(
                    term, words=tuple(corrections.get(w, w) for w in term.words), tsquery=None
                )
                for term in group
            )
            for group in self.groups
        )
        text = " ".join(corrections.get(w, w) for w in self.positive_words())
        return ParsedQuery(text=text, groups=groups)


def parse_query(text):
    """Parse web-search syntax; never fails. Words are reduced to runs of letters and digits, so
    no quote, operator or SQL character reaches a database as syntax. An alternative with nothing
    to look for (only exclusions, stop words or punctuation) is dropped."""
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


def crude_stem(word):
    """A rough English stem, for ranking and marking text outside the full-text index."""
    word = word.lower()
    for suffix in ("ations", "ation", "ings", "ing", "ers", "ies", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word
