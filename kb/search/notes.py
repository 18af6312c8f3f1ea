"""Notes on how a query was read, each with a code and its values so that an interface can translate it."""

from __future__ import annotations

from typing import Any

from kb.querylang import MAX_CLAUSES, MAX_QUERY_CHARS, ParsedQuery
from kb.search.plan import Plan
from kb.search.results import Note

TEXTS = {
    "shortened": "Your query was shortened to its first {chars} characters.",
    "too-many-terms": "Only the first {terms} search terms were used.",
    "common-words": "Some words are too common to search for and were left out: {words}",
}


def note(code: str, **params: Any) -> Note:
    return Note(code, TEXTS[code].format(**params), params)


def notes_for(parsed: ParsedQuery, plan: Plan) -> list[Note]:
    out = []
    if parsed.shortened:
        out.append(note("shortened", chars=MAX_QUERY_CHARS))
    if parsed.dropped_terms:
        out.append(note("too-many-terms", terms=MAX_CLAUSES))
    if plan.typed_words and not plan.has_text:
        out.append(note("common-words", words=", ".join(c.text for g in parsed.groups for c in g)))
    return out
