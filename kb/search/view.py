"""The committed index a search reads, opened once per generation, and what is derived from it and kept with it.

Readers never write: they open the folder that `CURRENT` names and reopen it as soon as a reindex commits a new
generation or switches folders. Everything cached lives on the view, so a new generation starts clean.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Generic, TypeVar

from whoosh.index import FileIndex
from whoosh.searching import Searcher

from kb.analysis import weighting
from kb.errors import IndexNotBuilt
from kb.indexer import current_folder, open_current, whoosh_root
from kb.vocabulary import FACETS

# Per-view caches of posting tables, bounded by the documents they hold (a common word's table at 10k entries
# holds 10k), so that any mix of queries keeps a worker's memory bounded: about 100 MB each at most.
SCORE_CACHE_POSTINGS = 1_000_000
PHRASE_CACHE_POSTINGS = 500_000
# Words of the texts highlighted recently (popular entries come back on many result pages): about 30 MB at most.
SPANS_CACHE_WORDS = 300_000

_V = TypeVar("_V", frozenset[int], dict[int, float], list[tuple[str | None, int, int]])


class SizedCache(Generic[_V]):
    """Least recently used first out, bounded by the total size of the values (documents held)."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.size = 0
        self._items: dict[tuple[str, str], _V] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> _V | None:
        with self._lock:
            found = self._items.pop(key, None)
            if found is not None:
                self._items[key] = found  # most recently used last
            return found

    def put(self, key: tuple[str, str], value: _V) -> None:
        with self._lock:
            old = self._items.pop(key, None)
            self.size -= len(old) if old is not None else 0
            while self._items and self.size + len(value) > self.budget:
                self.size -= len(self._items.pop(next(iter(self._items))))
            self._items[key] = value
            self.size += len(value)

    def __len__(self) -> int:
        return len(self._items)


class StaleView(IndexNotBuilt):
    """The view was opened on a generation a reindex has since replaced; a newer view answers."""


def unreadable(folder: Path, exc: Exception) -> IndexNotBuilt:
    return IndexNotBuilt(f"the search index in {folder} cannot be read: {reason(exc)}")


def reason(exc: Exception) -> str:
    """What went wrong, for the operator: the message, or the kind of error when it has none."""
    return str(exc) or type(exc).__name__


@dataclasses.dataclass
class View:
    """One opened searcher and what is derived from it: live documents, facet postings, caches."""

    ix: FileIndex
    searcher: Searcher
    folder: Path
    generation: int
    live: frozenset[int]
    facets: dict[str, dict[str, frozenset[int]]]  # facet name -> value -> documents
    phrase_cache: SizedCache[frozenset[int]] = dataclasses.field(
        default_factory=lambda: SizedCache(PHRASE_CACHE_POSTINGS)
    )
    score_cache: SizedCache[dict[int, float]] = dataclasses.field(
        default_factory=lambda: SizedCache(SCORE_CACHE_POSTINGS)
    )
    spans_cache: SizedCache[list[tuple[str | None, int, int]]] = dataclasses.field(
        default_factory=lambda: SizedCache(SPANS_CACHE_WORDS)
    )
    # Read when first needed (reading every document's columns is a tenth of a second at 10k entries, which the
    # first search after a reindex would otherwise pay): docnum -> (start, end or OPEN_END); docnum -> sort title.
    _years: dict[int, tuple[int, int]] | None = None
    _titles: dict[int, str] | None = None
    norms: dict[str, list[float]] = dataclasses.field(default_factory=dict)
    vocabulary: list[str] | None = None
    _facet_bits: dict[str, dict[str, int]] | None = None

    def facet_bits(self) -> dict[str, dict[str, int]]:
        """The facet postings as bitmaps (bit n set: document n has the value), made once per view."""
        if self._facet_bits is None:
            self._facet_bits = {name: {value: bitmap(docs) for value, docs in values.items()}
                                for name, values in self.facets.items()}  # fmt: skip
        return self._facet_bits

    @property
    def reader(self) -> Any:
        return self.searcher.reader()

    def years(self) -> dict[int, tuple[int, int]]:
        if self._years is None:
            try:
                starts, ends = self.reader.column_reader("start_year"), self.reader.column_reader("end_year")
                self._years = {d: (int(starts[d]), int(ends[d])) for d in self.live}
            except Exception as exc:  # a damaged index fails in many ways; all mean "rebuild the index"
                raise self.failed(exc) from None
        return self._years

    def titles(self) -> dict[int, str]:
        if self._titles is None:
            try:
                column = self.reader.column_reader("title_sort")
                self._titles = {d: text(column[d]) for d in self.live}
            except Exception as exc:
                raise self.failed(exc) from None
        return self._titles

    def failed(self, exc: Exception) -> IndexNotBuilt:
        """A read that failed: StaleView when a reindex has committed since this view was opened (merged
        segments are deleted then), else the index is damaged."""
        if _generation(self.ix) != self.generation or current_folder(self.folder.parent) != self.folder:
            return StaleView(f"the search index in {self.folder} changed while it was read: {reason(exc)}")
        return unreadable(self.folder, exc)


def bitmap(docs: Iterable[int]) -> int:
    """A set of document numbers as an integer whose bit n is set when n is in the set."""
    numbers = docs if isinstance(docs, set | frozenset) else set(docs)
    if not numbers:
        return 0
    found = bytearray((max(numbers) >> 3) + 1)
    for docnum in numbers:
        found[docnum >> 3] |= _BITS[docnum & 7]
    return int.from_bytes(found, "little")


_BITS = tuple(1 << i for i in range(8))


def text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value or "")


def open_view(ix: FileIndex, folder: Path) -> View:
    try:
        searcher = ix.searcher(weighting=weighting())
        reader = searcher.reader()
        pin_files(reader)
        live = frozenset(reader.all_doc_ids())
        facets: dict[str, dict[str, frozenset[int]]] = {}
        for facet in FACETS:
            values: dict[str, frozenset[int]] = {}
            for term in reader.lexicon(facet.field):
                docs = frozenset(reader.postings(facet.field, term).all_ids()) & live
                if docs:
                    values[text(term)] = docs
            facets[facet.name] = values
        return View(ix, searcher, folder, ix.latest_generation(), live, facets)
    except Exception as exc:  # damaged segments fail in many ways; all mean "rebuild the index"
        raise unreadable(folder, exc) from None


def pin_files(reader: Any) -> None:
    """Open now every file of the view that Whoosh would otherwise open on first use (stored fields, lengths,
    columns). An incremental reindex that merges segments deletes the merged ones when it commits; a file
    first opened after that is gone, and a search failed with a 500 (seen 14 times in 3,744 requests during
    670 back-to-back incremental reindexes; none with the files opened here). An open file stays readable after
    it is deleted, so the view reads what it was opened on until it is closed."""
    for leaf, _offset in reader.leaf_readers():
        if not leaf.doc_count_all():
            continue
        leaf.stored_fields(0)
        for name, field in leaf.schema.items():
            if field.scorable:
                leaf.doc_field_length(0, name)
            if field.column_type is not None and leaf.has_column(name):
                leaf.column_reader(name)


OPEN_ATTEMPTS = 3


def _generation(ix: FileIndex) -> int:
    try:
        return int(ix.latest_generation())
    except (OSError, ValueError):
        return -2


class Views:
    """Hands out the current view of the index under `index_dir`; safe to share between threads."""

    def __init__(self, index_dir: Path) -> None:
        self.root = whoosh_root(index_dir)
        self._lock = threading.Lock()
        self._view: View | None = None

    def current(self) -> View:
        """The current view, reopened when a reindex committed (new generation) or switched folders.

        A full rebuild into a fresh folder starts again at the same generation number, so the folder and the
        generation are compared together.
        """
        with self._lock:
            folder = current_folder(self.root)
            if folder is None:
                self._close()
                raise IndexNotBuilt(f"no search index in {self.root}")
            view = self._view
            if view is not None and view.folder == folder:
                try:
                    generation = view.ix.latest_generation()
                except (OSError, ValueError):
                    generation = -2
                if generation == view.generation:
                    return view
            self._close()
            self._view = self._open()
            return self._view

    def _open(self) -> View:
        """Open the current generation; when a reindex commits while it is being opened (and deletes merged
        segments), open the newer one instead, a few times at most."""
        for attempt in range(OPEN_ATTEMPTS):
            ix, folder = open_current(self.root)
            generation = _generation(ix)
            try:
                return open_view(ix, folder)
            except IndexNotBuilt:
                moved = current_folder(self.root) != folder or _generation(ix) != generation
                if attempt == OPEN_ATTEMPTS - 1 or not moved:
                    raise
        raise AssertionError("not reached")  # pragma: no cover

    def _close(self) -> None:
        if self._view is not None:
            self._view.searcher.close()
            self._view = None

    def close(self) -> None:
        with self._lock:
            self._close()
