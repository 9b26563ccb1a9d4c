"""The query language, the same on every database: words, "phrases", -exclusions and `or`."""

import re
import tomllib
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

MAX_TERMS = 12
PREFIX_MIN_LENGTH = 5
GLOSSARY = tomllib.loads((Path(__file__).parent / "glossary.toml").read_text(encoding="utf-8"))
STOP_WORDS = frozenset(" ".join(GLOSSARY["stop_words"].values()).split())
TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
WORD = re.compile(r"[^\W_]+")
POSSESSIVE = re.compile(r"['’]s\b", re.IGNORECASE)


def fold(text):
    """`text` without accents: "Género" is "Genero"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


TRANSLATIONS = {}  # {folded French or Spanish form: [English words]}
for english, forms in GLOSSARY["translations"].items():
    for form in forms:
        TRANSLATIONS.setdefault(fold(form).lower(), []).append(english)


@dataclass(frozen=True)
class Term:
    """A word or phrase, possibly excluded, also matching any term of `also` (its English words)."""

    words: tuple[str, ...]
    negated: bool = False
    prefix: bool = False
    also: tuple["Term", ...] = ()

    def forms(self):
        return (replace(self, also=()), *self.also)


def word_term(word, negated=False):
    also = tuple(word_term(english) for english in TRANSLATIONS.get(fold(word).lower(), ()))
    return Term((word,), negated, len(word) >= PREFIX_MIN_LENGTH, also)


@dataclass(frozen=True)
class ParsedQuery:
    """A web-search query as alternatives (split by `or`), each a conjunction of terms."""

    groups: tuple[tuple[Term, ...], ...] = ()

    def __bool__(self):
        return bool(self.groups)

    def terms(self):
        return [term for group in self.groups for term in group if not term.negated]

    def either(self, alternative):
        """This query or `alternative` (a corrected query), as one query."""
        return replace(self, groups=self.groups + alternative.groups) if alternative else self

    def corrected(self, corrections):
        """The same query with misspelt words replaced, or None if nothing changes."""

        def fix(term):
            return replace(term, words=tuple(corrections.get(w, w) for w in term.words))

        groups = (tuple(t if t.negated else fix(t) for t in group) for group in self.groups)
        return ParsedQuery(tuple(groups)) if corrections else None


def parse_query(text):
    """Parse web-search syntax; never fails. Words are runs of letters and digits only, so no
    quote, operator or SQL character reaches a database as syntax."""
    if isinstance(text, ParsedQuery):
        return text
    groups, current = [[]], 0
    for match in TOKEN.finditer(str(text or "")):
        minus, phrase, bare = match.groups()
        if bare is not None and bare.lower() == "or":
            groups.append([])
            continue
        words = tuple(WORD.findall(POSSESSIVE.sub("", bare if phrase is None else phrase)))
        negated = bool(minus) if phrase is not None else bare.startswith("-") and len(bare) > 1
        if current < MAX_TERMS and not all(word.lower() in STOP_WORDS for word in words):
            unquoted = phrase is None and len(words) == 1
            groups[-1].append(word_term(words[0], negated) if unquoted else Term(words, negated))
            current += 1
    return ParsedQuery(tuple(tuple(g) for g in groups if any(not t.negated for t in g)))


def boolean(parsed, form, both, either, unless, group="({})".format, exclusions=True):
    """`parsed` in a database's syntax: `form` writes a word or phrase, `both` and `either` join
    terms, `group` wraps an alternative's wanted terms and `unless` adds its exclusions."""

    def term(t):
        forms = [form(f) for f in t.forms()]
        return forms[0] if len(forms) == 1 else "(" + either.join(forms) + ")"

    alternatives = []
    for terms in parsed.groups:
        wanted = group(both.join(term(t) for t in terms if not t.negated))
        excluded = [term(t) for t in terms if t.negated and exclusions]
        alternatives.append(unless(wanted, either.join(excluded)) if excluded else wanted)
    return either.join(alternatives)


def crude_stem(word):
    """A rough English stem, for text outside the full-text index."""
    word = word.lower()
    for suffix in ("ations", "ation", "ings", "ing", "ers", "ies", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word
