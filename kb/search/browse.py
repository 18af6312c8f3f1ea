"""Reading the index without a query: similar practices, entries by address, near misses of a mistyped one."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import process

from kb.search.highlight import plain_hit
from kb.search.results import Hit
from kb.search.view import View, text


def similar(view: View, slug: str, limit: int = 5) -> list[Hit]:
    """Practices sharing the most distinctive words of this one's text."""
    docnum = view.searcher.document_number(slug=slug)
    if docnum is None:
        return []
    results = view.searcher.more_like(docnum, "body", top=limit, numterms=20)
    return [plain_hit(h.fields()) for h in results]


def lookup(view: View, slugs: Sequence[str]) -> list[Hit]:
    out = []
    for slug in slugs:
        fields = view.searcher.document(slug=slug)
        if fields:
            out.append(plain_hit(fields))
    return out


def slugs_like(view: View, typed: str, limit: int = 5) -> list[Hit]:
    """Entries whose address is closest to a mistyped one, for a helpful 404."""
    slugs = [text(s) for s in view.reader.lexicon("slug")]
    found = process.extract(typed[:100], slugs, limit=limit, score_cutoff=60)
    return lookup(view, [s for s, _score, _i in found])
