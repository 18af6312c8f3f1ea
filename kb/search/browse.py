"""Reading the index without a query: similar practices, entries by address, near misses of a mistyped one."""

from __future__ import annotations

import heapq
from collections.abc import Sequence

from rapidfuzz import process

from kb.search.highlight import plain_hit
from kb.search.postings import Postings
from kb.search.results import Hit
from kb.search.view import View, text

SIMILAR_TERMS = 20


def similar(view: View, slug: str, limit: int) -> list[Hit]:
    """Practices sharing the most distinctive words of this one's text: Whoosh's `more_like` (its key terms, each
    term's BM25 score times the term's weight, summed), scored from the per-term tables the view caches rather than
    by Whoosh's collector, which took over half a second a practice page at 10k entries (a test compares both)."""
    docnum = view.searcher.document_number(slug=slug)
    if docnum is None:
        return []
    postings = Postings(view)
    scores: dict[int, float] = {}
    for term, weight in view.searcher.key_terms([docnum], "body", numterms=SIMILAR_TERMS):
        for other, score in postings.scores("body", term).items():
            scores[other] = scores.get(other, 0.0) + weight * score
    scores.pop(docnum, None)
    best = heapq.nsmallest(limit, ((-score, other) for other, score in scores.items()))
    return [plain_hit(view.searcher.stored_fields(other)) for _score, other in best]


def lookup(view: View, slugs: Sequence[str]) -> list[Hit]:
    out = []
    for slug in slugs:
        fields = view.searcher.document(slug=slug)
        if fields:
            out.append(plain_hit(fields))
    return out


def slugs_like(view: View, typed: str, limit: int) -> list[Hit]:
    """Entries whose address is closest to a mistyped one, for a helpful 404."""
    slugs = [text(s) for s in view.reader.lexicon("slug")]
    found = process.extract(typed[:100], slugs, limit=limit, score_cutoff=60)
    return lookup(view, [s for s, _score, _i in found])
