"""The search box's small, bounded grammar: words, "phrases", OR, -exclusion, prefix*, and field:value filters.

Whoosh's own query parser accepts wildcards, fuzzy terms, ranges and nesting whose cost has no bound (measured on
10k entries: `*a*` over 60 s, `abc~3` 48 s, 2,000 nested parentheses a RecursionError). This grammar has no
nesting and caps every dimension, so any string a person can type is parsed in linear time into a bounded query.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from typing import Literal

from kb.vocabulary import FACETS

MAX_QUERY_CHARS = 300
MAX_CLAUSES = 16
MAX_PHRASE_WORDS = 8
MIN_PREFIX_CHARS = 3
FILTER_FIELDS = (*(f.name for f in FACETS), "year")
FIELD_ALIASES = {"regions": "region", "themes": "theme", "countries": "country", "land": "country",
                 "thema": "theme", "jahr": "year"}  # fmt: skip

_TOKEN = re.compile(r'(?P<neg>[-!])?(?:(?P<field>[A-Za-z]+):)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')
_WORD_CHARS = re.compile(r"[^\w*'’-]+")
_LETTERS = re.compile(r"[^\W_]")


@dataclasses.dataclass(frozen=True)
class Clause:
    kind: Literal["word", "phrase", "prefix"]
    text: str


@dataclasses.dataclass
class ParsedQuery:
    """`groups` are AND-ed; the clauses inside one group are OR-ed. Filters are (field, value) pairs."""

    groups: list[list[Clause]] = dataclasses.field(default_factory=list)
    excluded: list[Clause] = dataclasses.field(default_factory=list)
    filters: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    shortened: bool = False  # the text was cut to MAX_QUERY_CHARS
    dropped_terms: int = 0  # terms beyond MAX_CLAUSES, left out

    @property
    def has_text(self) -> bool:
        return bool(self.groups)

    def words(self) -> list[str]:
        return [c.text for g in self.groups for c in g if c.kind == "word"]


def clean(text: str) -> str:
    """Drop control characters and lone surrogates, normalise to NFC, and cap the length."""
    text = text.encode("utf-8", "ignore").decode("utf-8", "ignore") if _has_surrogate(text) else text
    text = "".join(
        " " if unicodedata.category(c) in {"Cc", "Cf", "Cs", "Co", "Cn"} else c for c in text[:2000]
    )
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= c <= "\udfff" for c in text)


def parse(text: str) -> ParsedQuery:
    parsed = ParsedQuery()
    text = clean(text)
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        parsed.shortened = True
    pending_or = False
    dropped = 0
    for match in _TOKEN.finditer(text):
        negated = bool(match["neg"])
        field = FIELD_ALIASES.get((match["field"] or "").lower(), (match["field"] or "").lower())
        phrase, word = match["phrase"], match["word"]
        if word == "OR" and not negated and not field:
            pending_or = bool(parsed.groups)
            continue
        value = phrase if phrase is not None else word or ""
        if field in FILTER_FIELDS:
            if value.strip():
                parsed.filters.append((field, value.strip()[:100]))
            continue
        if field:  # an unknown field: read `body:[a TO zzzz]` as plain words
            value = f"{match['field']} {value}"
        clause = _clause(value, phrase is not None and not field)
        if clause is None:
            continue
        if negated:
            parsed.excluded.append(clause)
        elif pending_or and parsed.groups:
            parsed.groups[-1].append(clause)
        elif len(parsed.groups) >= MAX_CLAUSES:
            dropped += 1
        else:
            parsed.groups.append([clause])
        pending_or = False
    parsed.dropped_terms = dropped
    parsed.excluded = parsed.excluded[:MAX_CLAUSES]
    parsed.filters = parsed.filters[:MAX_CLAUSES]
    return parsed


def _clause(value: str, is_phrase: bool) -> Clause | None:
    words = _WORD_CHARS.sub(" ", value).replace("*", " * ").split()
    if is_phrase:
        words = [w for w in words if w != "*"][:MAX_PHRASE_WORDS]
        if len(words) > 1:
            return Clause("phrase", " ".join(words))
        return Clause("word", words[0]) if words else None
    text = _WORD_CHARS.sub(" ", value).strip()
    if text.endswith("*"):
        stem = text.rstrip("*").strip()
        if len(stem) >= MIN_PREFIX_CHARS and " " not in stem and "*" not in stem:
            return Clause("prefix", stem)
    text = " ".join(text.replace("*", " ").split())
    if not _LETTERS.search(text):  # punctuation only: nothing to search for
        return None
    if " " in text:
        return Clause("phrase", " ".join(text.split()[:MAX_PHRASE_WORDS]))
    return Clause("word", text)
