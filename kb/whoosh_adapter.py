"""Every use of Whoosh internals, in one place, each with a public-API twin that gives the same answer.

Whoosh 2.7.4 is unmaintained and pinned; reading its posting blocks and length columns directly made searching
several times faster, and remembering one file check made full reindexes a quarter faster. Those paths rely on
private attributes, so they run only when the installed Whoosh is the pinned version; any other version takes
the public path (slower, same results: the test suite runs the search tests on both paths).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from typing import Any

import whoosh
from whoosh.codec import whoosh3
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader
from whoosh.util.numeric import byte_to_length

PINNED_VERSION = "2.7.4"
_LENGTHS = [byte_to_length(b) for b in range(256)]
_state = {"private": whoosh.versionstring() == PINNED_VERSION and os.environ.get("KB_WHOOSH_PUBLIC") != "1"}


def private_paths() -> bool:
    """True when the fast paths over Whoosh internals are in use."""
    return _state["private"]


def use_private_paths(enabled: bool) -> None:
    """Choose the path (tests run both); the private one only ever with the pinned version."""
    _state["private"] = enabled and whoosh.versionstring() == PINNED_VERSION


def term_weights(reader: IndexReader, field: str, text: str) -> Iterator[tuple[int, float]]:
    """(document number, weight) of every live posting of a term, across segments."""
    for segment, offset in reader.leaf_readers():
        if (field, text) not in segment:
            continue
        if _state["private"]:
            yield from _block_weights(segment, field, text, offset)
        else:
            matcher = segment.postings(field, text)  # excludes deleted documents
            while matcher.is_active():
                yield matcher.id() + offset, matcher.weight()
                matcher.next()


def _block_weights(segment: Any, field: str, text: str, offset: int) -> Iterator[tuple[int, float]]:
    """A whole block of ids and weights at a time from the leaf matcher's arrays (its public API costs several
    Python calls per posting)."""
    matcher = segment.postings(field, text)
    deleted: frozenset[int] = frozenset()
    if isinstance(matcher, FilterMatcher) and matcher._exclude:
        deleted, matcher = frozenset(matcher._ids), matcher.child
    if not isinstance(matcher, whoosh3.W3LeafMatcher):  # some other matcher: the public way
        matcher = segment.postings(field, text)
        while matcher.is_active():
            yield matcher.id() + offset, matcher.weight()
            matcher.next()
        return
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


def field_lengths(reader: IndexReader, field: str) -> list[int]:
    """Every document's length in a field as BM25 sees it (Whoosh keeps it rounded to one byte)."""
    out = [1] * reader.doc_count_all()
    for segment, offset in reader.leaf_readers():
        raw = _length_bytes(segment, field) if _state["private"] else None
        if raw is not None:
            for i, byte in enumerate(raw):
                out[offset + i] = _LENGTHS[byte] if byte else 1
        else:
            for i in range(segment.doc_count_all()):
                out[offset + i] = segment.doc_field_length(i, field, 1) or 1
    return out


def _length_bytes(segment: Any, field: str) -> Iterable[int] | None:
    """A segment's one-byte-per-document length column in one read (2.7.4 seeks once per byte)."""
    perdoc = getattr(segment, "_perdoc", None)
    try:
        column = (
            perdoc._cached_reader(f"_{field}_len", whoosh3.LENGTHS_COLUMN) if perdoc is not None else None
        )
        if column is None:
            return None
        count, doccount = column._count, column._doccount
        raw = bytes(column._dbfile.get(column._basepos, count)) if column._fixedlen == 1 else None
    except AttributeError:
        return None
    if raw is None or len(raw) != count:
        return (int(b) for b in column)
    return raw + bytes(max(0, doccount - count))


@contextlib.contextmanager
def remembered_columns() -> Iterator[None]:
    """While a reindex writes: remember whether a segment has a column, per segment reader. Whoosh 2.7.4 asks the
    file system for every posting it writes (350,000 `stat` calls at 2,000 entries, a quarter of a full
    reindex); a segment's files never change once written. Only the writing process is affected, and only
    while the block runs."""
    if not _state["private"]:
        yield
        return
    reader_class = whoosh3.W3PerDocReader
    original = reader_class.has_column

    def has_column(self: Any, fieldname: str) -> bool:
        known: dict[str, bool] = self.__dict__.setdefault("_kb_columns", {})
        found = known.get(fieldname)
        if found is None:
            found = known[fieldname] = bool(original(self, fieldname))
        return found

    reader_class.has_column = has_column
    try:
        yield
    finally:
        reader_class.has_column = original
