"""The search pipeline: each stage hands its result to the next, once per request.

request (validate, resolve filters) -> plan (compile the parsed query) -> expansion (thesaurus) -> spelling ->
matching (fallback chain) -> facets (narrow and count) -> ranking (one page) -> hits (highlighted) -> results.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from pathlib import Path

from kb import querylang
from kb.search import browse, facets, highlight, matching, ranking, spelling
from kb.search.expansion import Expanders, expand
from kb.search.notes import notes_for
from kb.search.plan import compile_plan
from kb.search.postings import Postings
from kb.search.request import select, validate
from kb.search.results import Hit, SearchRequest, SearchResults
from kb.search.view import StaleView, View, Views
from kb.taxonomy import Taxonomy


class SearchEngine:
    """A long-lived reader over the current index; safe to share between threads of one process."""

    def __init__(self, index_dir: Path, taxonomy: Taxonomy, fuzzy_cutoff: float = 60.0) -> None:
        self.views = Views(index_dir)
        self.expanders = Expanders(index_dir)
        self.expanders.current()  # read the thesaurus map now (3 MB), not in the first reader's search
        self.taxonomy = taxonomy
        self.fuzzy_cutoff = fuzzy_cutoff

    def view(self) -> View:
        return self.views.current()

    def close(self) -> None:
        self.views.close()

    def search(self, request: SearchRequest) -> SearchResults:
        try:
            return self._search(request)
        except StaleView:
            # A column first read after a reindex deleted its segment: once more, on the new view.
            self.views.close()
            return self._search(request)

    def _search(self, request: SearchRequest) -> SearchResults:
        started = time.perf_counter()
        request = validate(request)
        view = self.views.current()
        postings = Postings(view)
        parsed = querylang.parse(request.q)
        selection = select(request, parsed, self.taxonomy, self.fuzzy_cutoff)
        expander = self.expanders.current() if request.expand else None
        typed = expand(compile_plan(parsed, postings), expander, request.lang)
        plan = typed.plan
        suggestion = spelling.suggest(postings, parsed, request.q, typed.words) if plan.has_text else None
        corrected = expand(compile_plan(querylang.parse(suggestion), postings), expander, request.lang).plan \
            if suggestion else None  # fmt: skip
        found = matching.match(plan, corrected, postings, view.live, selection.years)
        chosen = facets.facet_docs(view, selection)
        counts = facets.count(view, found.docs, chosen, selection, self.taxonomy, request.lang)
        final = facets.narrow(found.docs, chosen)
        size = request.page_size
        pages = max(1, math.ceil(len(final) / size))
        page = min(request.page, pages)
        sort = request.sort or ("relevance" if plan.has_text else "title")
        ranked, scores = ranking.rank(postings, found, final, sort, page * size)
        hits = highlight.hits(view, ranked[(page - 1) * size :], found.plan, scores)
        return SearchResults(
            query=request.q, total=len(final), page=page, pages=pages, page_size=size, sort=sort, hits=hits,
            facets=counts, selected=selection.selected, filters=selection.choices,
            suggestion=suggestion, corrected_from=request.q if found.corrected else None,
            match=found.stage, required=found.required, words=found.plan.words(), relaxed=found.stage != "all",
            complete=matching.complete(found, final),
            expansions=typed.expansions if not found.corrected else [], expand=request.expand,
            notes=notes_for(parsed, plan), elapsed_ms=round((time.perf_counter() - started) * 1000, 1),
        )  # fmt: skip

    def similar(self, slug: str, limit: int = 5) -> list[Hit]:
        return browse.similar(self.view(), slug, limit)

    def lookup(self, slugs: Sequence[str]) -> list[Hit]:
        return browse.lookup(self.view(), slugs)

    def slugs_like(self, typed: str, limit: int = 5) -> list[Hit]:
        return browse.slugs_like(self.view(), typed, limit)

    def counts(self) -> dict[str, dict[str, int]]:
        return facets.totals(self.view())

    def total(self) -> int:
        return len(self.view().live)
