"""Text analysis and scoring shared by the indexer and the search engine.

Tuned with `bench/relevance.py` on the SciFact training split (BEIR); see bench/README.md for every configuration
measured. Changing anything here that affects indexed terms or field boosts needs `INDEX_SCHEMA_VERSION` bumped in
kb/indexer.py so the next reindex rebuilds from scratch; `weighting()` is query-time only.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from math import log
from typing import Any

from whoosh.analysis import Analyzer, CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.lang import stemmer_for_language
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader
from whoosh.scoring import BM25F, WeightingModel
from whoosh.support.charset import accent_map
from whoosh.util.numeric import byte_to_length

# Index-time weights of a term occurrence in each field (Whoosh multiplies the term frequency, before BM25's
# saturation). Every field is scored on its own and the scores add up, and a word is rare in short fields, so a
# title match already counts for much more than a body match at weight 1: weights below 1 balance that. SciFact
# nDCG@10 with the rest as below (K1 1.5): title 1.0 -> 0.674, 0.5 -> 0.686, 0.35 -> 0.691, 0.25 -> 0.690; 3.0 (the
# provisional weight) cost about 0.02. 0.5 rather than the optimum: the product's queries are a few words, where
# the title says most about an entry, and the difference is 0.003. SciFact has no summary; it is a short field too,
# so it gets the title's weight (not measured).
FIELD_BOOSTS: dict[str, float] = {"title": 0.5, "summary": 0.5, "body": 1.0}

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


_LENGTHS = [byte_to_length(b) for b in range(256)]


def field_lengths(reader: IndexReader, field: str) -> list[int]:
    """Every document's length in a field as BM25 sees it (Whoosh keeps it rounded to one byte), by document
    number. Read from each segment's length column at once; one document at a time when a segment keeps its
    lengths some other way."""
    out = [1] * reader.doc_count_all()
    for segment, offset in reader.leaf_readers():
        perdoc = getattr(segment, "_perdoc", None)
        column = perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN) if perdoc is not None else None
        if column is not None:
            for i, byte in enumerate(_column_bytes(column)):
                out[offset + i] = _LENGTHS[byte] if byte else 1
        else:
            for i in range(segment.doc_count_all()):
                out[offset + i] = segment.doc_field_length(i, field, 1) or 1
    return out


def _column_bytes(column: Any) -> Iterable[int]:
    """A one-byte-per-document column in one read (Whoosh 2.7.4's reader fetches each byte with a seek)."""
    try:
        count, doccount = column._count, column._doccount
        raw = bytes(column._dbfile.get(column._basepos, count)) if column._fixedlen == 1 else None
    except AttributeError:
        raw = None
    if raw is None or len(raw) != count:
        return (int(b) for b in column)
    return iter(raw + bytes(max(0, doccount - count)))


def term_weights(reader: IndexReader, field: str, text: str) -> Iterator[tuple[int, float]]:
    """(document number, weight) of every live posting of a term, a whole block of postings at a time.

    Whoosh 2.7.4's matcher API costs several Python calls per posting; its leaf matcher keeps each block's ids and
    weights in arrays, read here directly (the version is pinned; any other matcher goes the slow, public way).
    """
    for segment, offset in reader.leaf_readers():
        if (field, text) not in segment:
            continue
        matcher = segment.postings(field, text)
        deleted: frozenset[int] = frozenset()
        if isinstance(matcher, FilterMatcher) and matcher._exclude:
            deleted, matcher = frozenset(matcher._ids), matcher.child
        if not isinstance(matcher, W3LeafMatcher):
            matcher = segment.postings(field, text)
            while matcher.is_active():
                yield matcher.id() + offset, matcher.weight()
                matcher.next()
            continue
        while matcher.is_active():
            if matcher._ids is None:
                matcher._read_ids()
            if matcher._weights is None:
                matcher._read_weights()
            start = matcher._i
            for docnum, weight in zip(matcher._ids[start:], matcher._weights[start:], strict=True):
                if docnum not in deleted:
                    yield docnum + offset, weight
            matcher._next_block()
