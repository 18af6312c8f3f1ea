"""Spelling: a corrected query when a typed word is in no entry and a close, frequent word is.

The vocabulary is every distinct word of the entries (lower-case, accents kept), read once per view when a
query first has an unknown word. A word typed without its accents (`spoldzielnia`) is not a typo: search folds
accents, so it is never "corrected" into itself.
"""

from __future__ import annotations

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from kb.analysis import fold_word
from kb.querylang import ParsedQuery
from kb.search.postings import Postings
from kb.search.view import View, text

FIELD = "spell"
SHORTEST = 4  # shorter words are too easily "corrected" into other real words


def vocabulary(view: View) -> list[str]:
    """The words, read once per view (the terms only: asking a multi-segment index for every term's document
    count took over half a second at 10k entries). The indexer keeps words of four letters or more; numbers
    are no words to correct into."""
    if view.vocabulary is None:
        words = [text(t) for t in view.reader.lexicon(FIELD)]
        view.vocabulary = [w for w in words if not w.isdigit()]
    return view.vocabulary


def correction(postings: Postings, word: str) -> str | None:
    """The closest known word (then the most frequent), or None when the word is known or nothing is close."""
    typed = word.lower()
    if len(typed) < SHORTEST or not typed.isalpha() or postings.frequency(FIELD, typed) > 0:
        return None
    limit = 1 if len(typed) <= 5 else 2
    found = process.extract(typed, vocabulary(postings.view), scorer=Levenshtein.distance,
                            score_cutoff=limit, limit=20)  # fmt: skip
    if not found:
        return None
    folded = fold_word(typed)
    if any(fold_word(candidate) == folded for candidate, _distance, _i in found):
        return None  # the same word with other accents: search already finds it
    best = min(found, key=lambda f: (f[1], -postings.frequency(FIELD, f[0]), f[0]))
    return str(best[0])


def suggest(
    postings: Postings, parsed: ParsedQuery, query: str, known: frozenset[str] = frozenset()
) -> str | None:
    """The typed query with each unknown word replaced by its correction; None when nothing changes. `known` words
    (the thesaurus recognised them, in another language) are never corrected."""
    corrected = query
    changed = False
    for word in parsed.words():
        better = correction(postings, word) if word not in known else None
        if better is not None:
            corrected = _replace_word(corrected, word, better)
            changed = True
    return corrected if changed else None


def _replace_word(query: str, word: str, better: str) -> str:
    """Replace the first whole-word occurrence of `word` (outside quotes, as the parser read it)."""
    tokens = query.split(" ")
    for i, token in enumerate(tokens):
        bare = token.strip(",;.!?()[]")
        if bare == word:
            tokens[i] = token.replace(word, better, 1)
            return " ".join(tokens)
    return query
