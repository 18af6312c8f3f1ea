"""The posting lists that matching and ranking both read: per-term BM25 tables, phrases, prefixes, frequencies.

Each table is cached on the view. A term's table maps every document holding the term to its BM25 score, so its
keys are the term's documents: matching uses the keys, ranking the values, and the index is read once for both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet

from kb import whoosh_adapter
from kb.analysis import BM25_B, BM25_K1
from kb.search.view import View, text

Term = tuple[str, str]  # (field, term as the field indexes it)


class Postings:
    """Reads one view's postings; cheap to make per search."""

    def __init__(self, view: View) -> None:
        self.view = view

    def scores(self, field: str, term: str) -> dict[int, float]:
        """Each document's BM25 score for one term in one field: the figure of the searcher's weighting model
        (`kb.analysis.OkapiBM25F`), computed from the posting weights and the field lengths held by the view
        (asking Whoosh for each document's length was a third of the time). A test compares both."""
        key = (field, term)
        view = self.view
        found = view.score_cache.get(key)
        if found is None:
            found = {}
            reader = view.reader
            if key in reader:
                norms = self._norms(field)
                idf = view.searcher.idf(field, term)
                k1 = BM25_K1 + 1.0
                weights = whoosh_adapter.term_weights(reader, field, term)
                found = {d: idf * w * k1 / (w + norms[d]) for d, w in weights}
            view.score_cache.put(key, found)
        return found

    def summed(self, terms: Sequence[Term]) -> dict[int, float]:
        """One word's score over every field it is sought in, cached: a query then adds one table per word
        instead of one per word and field."""
        if len(terms) == 1:
            return self.scores(*terms[0])
        key = ("\x00sum", "\x00".join(f"{field}:{term}" for field, term in terms))
        found = self.view.score_cache.get(key)
        if found is None:
            found = {}
            for field, term in terms:
                for docnum, score in self.scores(field, term).items():
                    found[docnum] = found.get(docnum, 0.0) + score
            self.view.score_cache.put(key, found)
        return found

    def docs(self, field: str, term: str) -> AbstractSet[int]:
        return self.scores(field, term).keys()

    def all_of(self, terms: Iterable[Term]) -> set[int]:
        """Documents holding every one of the terms."""
        out: set[int] | None = None
        for field, term in sorted(terms, key=lambda t: len(self.docs(*t))):
            out = set(self.docs(field, term)) if out is None else out & self.docs(field, term)
            if not out:
                return set()
        return out or set()

    def phrase(self, field: str, words: Sequence[str]) -> frozenset[int]:
        """Documents with the words in a row in the field (as Whoosh's Phrase, slop 1), checked on the positions
        of the documents having every word only: Whoosh's span matcher took nearly a second for an 8-word phrase
        of common words at 10k entries."""
        key = (field, "\x00phrase\x00" + " ".join(words))
        found = self.view.phrase_cache.get(key)
        if found is None:
            distinct = list(dict.fromkeys(words))
            candidates = self.all_of((field, w) for w in distinct)
            positions = (
                {w: self._positions(field, w, sorted(candidates)) for w in distinct} if candidates else {}
            )
            out = set()
            for docnum in candidates:
                starts = set(positions[words[0]].get(docnum, ()))
                for offset, word in enumerate(words[1:], 1):
                    starts &= {p - offset for p in positions[word].get(docnum, ())}
                    if not starts:
                        break
                if starts:
                    out.add(docnum)
            found = frozenset(out)
            self.view.phrase_cache.put(key, found)
        return found

    def _positions(self, field: str, word: str, ordered: list[int]) -> dict[int, list[int]]:
        table: dict[int, list[int]] = {}
        matcher = self.view.reader.postings(field, word)
        for docnum in ordered:
            if matcher.id() < docnum:
                matcher.skip_to(docnum)
            if not matcher.is_active():
                break
            if matcher.id() == docnum:
                table[docnum] = matcher.value_as("positions")
        return table

    def expand_prefix(self, field: str, prefix: str, limit: int) -> list[str]:
        """At most `limit` indexed terms of the field starting with the prefix, in term order."""
        out: list[str] = []
        for term in self.view.reader.expand_prefix(field, prefix):
            if len(out) >= limit:
                break
            out.append(text(term))
        return out

    def frequency(self, field: str, term: str) -> int:
        return int(self.view.reader.doc_frequency(field, term))

    def _norms(self, field: str) -> list[float]:
        """BM25's length normalisation, K1 * (1 - B + B * length / average length), for every document."""
        found = self.view.norms.get(field)
        if found is None:
            lengths = whoosh_adapter.field_lengths(self.view.reader, field)
            average = self.view.searcher.avg_field_length(field) or 1
            found = [BM25_K1 * ((1 - BM25_B) + BM25_B * length / average) for length in lengths]
            self.view.norms[field] = found
        return found
