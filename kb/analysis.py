"""Provisional text analysis (being replaced by the tuned version from the relevance work)."""

from __future__ import annotations

from whoosh.analysis import Analyzer, CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.scoring import BM25F, WeightingModel
from whoosh.support.charset import accent_map

FIELD_BOOSTS: dict[str, float] = {"title": 3.0, "summary": 2.0, "body": 1.0}


def stemming_analyzer() -> Analyzer:
    return RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map) | StopFilter() | StemFilter()


def folding_analyzer() -> Analyzer:
    return RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)


def weighting() -> WeightingModel:
    return BM25F()


def analyze(text: str) -> list[str]:
    return [t.text for t in stemming_analyzer()(text)]
