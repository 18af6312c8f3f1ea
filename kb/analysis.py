"""Text analysis and scoring shared by the indexer and the search engine.

Tuned with `bench/relevance.py` on the SciFact training split (BEIR); see bench/README.md for every configuration
measured (field weights: kb/searchable.py). Changing anything here that affects indexed terms needs
`INDEX_SCHEMA_VERSION` bumped in kb/indexer.py so the next reindex rebuilds from scratch; `weighting()` is
query-time only.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from math import log
from typing import Any

from whoosh.analysis import Analyzer, CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.lang import stemmer_for_language
from whoosh.scoring import BM25F, WeightingModel
from whoosh.support.charset import accent_map

# Lucene's English stop words (EnglishAnalyzer's default set), the list behind the published BM25 baselines.
# Unlike Whoosh's default list it keeps `us`, `can`, `may`, `from`, `have` and `we`, which carry meaning
# (the US, "can" as a container, the month of May).
ENGLISH_STOP_WORDS: frozenset[str] = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not", "of",
    "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was", "will", "with",
})  # fmt: skip

BM25_K1 = 1.2
BM25_B = 0.75


def stemming_analyzer() -> Analyzer:
    """Words, lower-cased and accent-folded, without stop words, stemmed with Snowball English (Porter2)."""
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(stoplist=ENGLISH_STOP_WORDS)
        | StemFilter(stemfn=stem_english, cachesize=None)
    )


_SNOWBALL_ENGLISH = stemmer_for_language("en")


@functools.lru_cache(maxsize=200_000)
def stem_english(word: str) -> str:
    """Snowball English (Porter2), as `StemFilter(lang="en")`, behind a bounded C-level cache: Whoosh's own
    cache wrapper counted every use in Python and cost about a fifth of indexing time."""
    return str(_SNOWBALL_ENGLISH(word))


_WORD = RegexTokenizer().expression


def stemmed_spans(text: str) -> Iterator[tuple[str | None, int, int]]:
    """(term, start, end) of every word as `stemming_analyzer()` sees it, the term None for a stop word.

    The same steps without Whoosh's chain of token generators (several times faster): highlighting runs this
    over the opening of every hit's body. A test compares both on the bundled entries.
    """
    for match in _WORD.finditer(text):
        word = match.group().lower().translate(accent_map)
        if len(word) < 2 or word in ENGLISH_STOP_WORDS:
            yield None, match.start(), match.end()
        else:
            yield stem_english(word), match.start(), match.end()


def folding_analyzer() -> Analyzer:
    return RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)


class OkapiBM25F(BM25F):  # type: ignore[misc]  # whoosh is untyped
    """Whoosh's per-field BM25 with the Robertson-Sparck Jones IDF of Okapi BM25 (as Lucene and Anserini).

    Whoosh's own IDF, log(N / (n + 1)) + 1, adds 1 to every term and so flattens the gap between rare and common
    terms. N counts deleted documents too, as the document frequencies do until segments merge, so IDF stays > 0.
    """

    def idf(self, searcher: Any, fieldname: str, text: Any) -> float:
        parent = searcher.get_parent()
        n = parent.doc_frequency(fieldname, text)
        total = parent.doc_count_all()
        return log(1.0 + (total - n + 0.5) / (n + 0.5))


def weighting() -> WeightingModel:
    return OkapiBM25F(B=BM25_B, K1=BM25_K1)


def analyze(text: str) -> list[str]:
    return [t.text for t in stemming_analyzer()(text)]


def fold_word(word: str) -> str:
    """Lower-cased and accent-folded as the index folds it (`Spółdzielnia` -> `spoldzielnia`)."""
    return word.lower().translate(accent_map)


# Words that make a query a question ("how to finance social enterprises") but say nothing about the practice
# sought: left out of a query that has other words. Query-time only: the index and its analysis are unchanged.
QUESTION_WORDS = frozenset({"how", "what", "which", "where", "who", "why", "when"})


def content_words(text: str) -> list[str]:
    """The words of a query that carry meaning, lower-cased and accent-folded: what the stemming analyser keeps
    before stemming (no stop words, no single letters). Names are indexed without removing stop words, but a
    stop word is never required of them either: `cooperatives of people` must not need an organisation called
    "... of ..."."""
    words = [w for w in (m.group().lower().translate(accent_map) for m in _WORD.finditer(text))
             if len(w) >= 2 and w not in ENGLISH_STOP_WORDS]  # fmt: skip
    meaningful = [w for w in words if w not in QUESTION_WORDS]
    return meaningful or words
