"""Answer a search: bounded query, fuzzy filters, a fallback chain, facet counts, ranking, highlights.

Only this package, the indexer and the Whoosh adapter import Whoosh. `engine.py` reads as the pipeline.
"""

from kb.search.engine import SearchEngine
from kb.search.request import MAX_FILTER_VALUES, MAX_PAGE_SIZE
from kb.search.results import (
    Expansion,
    FacetValue,
    FilterChoice,
    Hit,
    Note,
    SearchRequest,
    SearchResults,
    Segment,
)  # fmt: skip
from kb.vocabulary import SORTS, STATUSES

__all__ = [
    "MAX_FILTER_VALUES", "MAX_PAGE_SIZE", "SORTS", "STATUSES", "Expansion", "FacetValue", "FilterChoice", "Hit", "Note",
    "SearchEngine", "SearchRequest", "SearchResults", "Segment",
]  # fmt: skip
