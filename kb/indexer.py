"""The only writer of the Whoosh index: its schema and version, documents from entries, incremental and full builds.

Layout: `<index_dir>/whoosh/CURRENT` names the folder readers use. An incremental run commits into that folder
(Whoosh commits are atomic: a new table of contents is written last). A full run builds a fresh folder and
switches CURRENT with an atomic rename only when the build is complete, so readers never see half a state.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from whoosh import fields, index
from whoosh.index import FileIndex
from whoosh.writing import LockError

from kb.analysis import folding_analyzer, stemming_analyzer
from kb.errors import IndexBusy, IndexNotBuilt, IndexUnwritable
from kb.folding import fold
from kb.models import Entry
from kb.searchable import TEXT_FIELDS
from kb.taxonomy import Taxonomy
from kb.vocabulary import FACETS, Facet
from kb.whoosh_adapter import remembered_columns

# Bump when the schema or the analysis changes: the next reindex then rebuilds from scratch.
INDEX_SCHEMA_VERSION = "5"  # 2: names join the spelling vocabulary; 3: tuned analysis; 4: scope, local names;
# 5: evidence (with not-stated), target group and organisation type facets
POINTER = "CURRENT"
OPEN_END = 9999
_WORDS = re.compile(r"\w+")
Progress = Callable[[int], None]


# Memory for the full rebuild's postings before Whoosh spills them to disk and merges: a 10k collection fits in
# 1,024 MB (full reindex 54 s, peak RSS about 1 GB); at 512 it spills and took 84 s, at 256 95 s.
WRITER_MEMORY_MB = 1024


def build_schema() -> fields.Schema:
    """The index schema: the searchable text fields of kb/searchable.py, the facets of kb/vocabulary.py, and
    what results and sorting need."""
    analyzers = {"stem": stemming_analyzer(), "plain": folding_analyzer()}
    text = {f.name: fields.TEXT(analyzer=analyzers[f.analysis], stored=f.stored, field_boost=f.boost)
            for f in TEXT_FIELDS}  # fmt: skip
    facets = {f.field: fields.KEYWORD(stored=True, commas=True, lowercase=True) for f in FACETS}
    return fields.Schema(
        slug=fields.ID(stored=True, unique=True, sortable=True),
        content_hash=fields.ID(stored=True, sortable=True),
        **text,
        **facets,
        spell=fields.KEYWORD(
            lowercase=False, scorable=False
        ),  # distinct lower-case words, for "did you mean"
        start_year=fields.NUMERIC(int, bits=32, stored=True, sortable=True, signed=False),
        end_year=fields.NUMERIC(int, bits=32, stored=True, sortable=True, signed=False),
        last_reviewed=fields.ID(stored=True, sortable=True),
        title_sort=fields.ID(sortable=True),
    )


def _facet_value(entry: Entry, facet: Facet) -> str:
    value = getattr(entry, facet.field)
    return (",".join(value) if isinstance(value, list) else str(value or "")) or facet.missing


def document(entry: Entry, taxonomy: Taxonomy) -> dict[str, Any]:
    """The Whoosh document of one entry; place and theme names are indexed so words like `Masowien` match."""
    text = {f.name: f.text(entry, taxonomy) for f in TEXT_FIELDS}
    spelled = " ".join(v for k, v in text.items() if k not in {"local"})
    return {
        "slug": entry.slug,
        "content_hash": entry.content_hash,
        **text,
        **{f.field: _facet_value(entry, f) for f in FACETS},
        # Each distinct word once: the spelling vocabulary needs words and document counts, not frequencies.
        "spell": " ".join({w for w in _WORDS.findall(spelled.lower()) if len(w) > 3}),
        "start_year": entry.start_year,
        # An ongoing practice is active up to now: an open end keeps `year:` filters simple.
        "end_year": entry.end_year if entry.end_year is not None else OPEN_END,
        "last_reviewed": entry.last_reviewed.isoformat(),
        "title_sort": fold(entry.title),
    }


_ANALYSED = (*(f.name for f in TEXT_FIELDS), "spell")
_SCHEMA: list[fields.Schema] = []


def prepared_document(entry: Entry, taxonomy: Taxonomy) -> dict[str, Any]:
    """The document with its text already analysed into terms, so the work can happen in the processes that
    parse entries: Whoosh indexes a list of strings as those terms, in that order (the same terms, positions and
    weights as its analyser gives: checked by a test), and `_stored_<field>` keeps the original text."""
    if not _SCHEMA:
        _SCHEMA.append(build_schema())
    schema = _SCHEMA[0]
    doc = document(entry, taxonomy)
    for name in _ANALYSED:
        value = doc[name]
        doc[name] = [token.text for token in schema[name].analyzer(value, mode="index")]
        if schema[name].stored:
            doc[f"_stored_{name}"] = value
    return doc


def whoosh_root(index_dir: Path) -> Path:
    return index_dir / "whoosh"


def current_folder(root: Path) -> Path | None:
    """The folder readers should use, or None when no complete index exists."""
    try:
        name = (root / POINTER).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    folder = root / name
    if not name or "/" in name or not folder.is_dir():
        return None
    return folder


def schema_version(folder: Path) -> str:
    try:
        return (folder / "VERSION").read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def open_current(root: Path) -> tuple[FileIndex, Path]:
    """The committed index readers should search, or IndexNotBuilt with the reason."""
    folder = current_folder(root)
    if folder is None:
        raise IndexNotBuilt(f"no search index in {root}")
    try:
        return index.open_dir(str(folder)), folder
    except Exception as exc:  # a damaged index fails in many ways (whoosh IndexError, unpickling, struct...)
        raise IndexNotBuilt(f"the search index in {folder} cannot be opened: {exc}") from None


def indexed_hashes(ix: FileIndex) -> dict[str, str]:
    """slug -> content hash of every live document, read from column storage (fast, skips deleted docs)."""
    with ix.reader() as reader:
        return reader_hashes(reader)


def reader_hashes(reader: Any) -> dict[str, str]:
    """slug -> content hash of every live document that this open reader sees (a reader is one generation)."""
    slugs = reader.column_reader("slug")
    hashes = reader.column_reader("content_hash")
    return {_text(slugs[d]): _text(hashes[d]) for d in reader.all_doc_ids()}


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


@contextlib.contextmanager
def _writer(ix: FileIndex, **kwargs: Any) -> Iterator[Any]:
    try:
        writer = ix.writer(timeout=0.0, compound=False, **kwargs)
    except LockError:
        raise IndexBusy("another process is writing the search index") from None
    try:
        with remembered_columns():
            yield writer
    except BaseException:
        writer.cancel()
        raise


def update_index(
    root: Path,
    taxonomy: Taxonomy,
    upserts: Sequence[Entry],
    removals: Sequence[str],
    progress: Progress,
    prepared: Mapping[str, dict[str, Any]] | None = None,
) -> None:
    """Apply changes to the current index in one commit (nothing is visible until the commit completes)."""
    ix, _folder = open_current(root)
    if not upserts and not removals:
        return
    try:
        with _writer(ix) as writer:
            for slug in removals:
                writer.delete_by_term("slug", slug)
            for entry in upserts:
                writer.update_document(**_document(entry, taxonomy, prepared))
                progress(1)
            writer.commit()
    except OSError as exc:
        raise IndexUnwritable(f"cannot write the search index: {exc.strerror or exc}") from None


def _document(
    entry: Entry, taxonomy: Taxonomy, prepared: Mapping[str, dict[str, Any]] | None
) -> dict[str, Any]:
    found = prepared.get(entry.slug) if prepared else None
    return found if found is not None else prepared_document(entry, taxonomy)


def build_fresh(
    root: Path,
    taxonomy: Taxonomy,
    documents: Iterable[tuple[Entry, dict[str, Any] | None]],
    progress: Progress,
) -> Path:
    """Build a complete index in a fresh folder from entries as they arrive; readers do not see it until
    `switch_to` makes it current (or `discard` removes it).

    Each entry comes with its `prepared_document` when the parsing processes made it. One writer, one segment:
    on this 2-core machine Whoosh's multi-process writer (procs=2, multisegment) measured no faster at 10k
    entries (106 s against about 100 s) and leaves segments to merge.
    """
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    folder = root / f"ix-{stamp}-{os.getpid()}"
    try:
        folder.mkdir(parents=True)
        ix = index.create_in(str(folder), build_schema())
        with _writer(ix, limitmb=WRITER_MEMORY_MB) as writer:
            for entry, prepared in documents:
                writer.add_document(**(prepared or prepared_document(entry, taxonomy)))
                progress(1)
            writer.commit()
        (folder / "VERSION").write_text(INDEX_SCHEMA_VERSION + "\n", encoding="utf-8")
    except OSError as exc:
        discard(folder)
        raise IndexUnwritable(f"cannot write the search index in {root}: {exc.strerror or exc}") from None
    except BaseException:
        discard(folder)
        raise
    return folder


def switch_to(root: Path, folder: Path) -> None:
    """Make a freshly built folder the one readers use (atomically), then remove older ones."""
    try:
        _switch(root, folder)
    except OSError as exc:
        discard(folder)
        raise IndexUnwritable(f"cannot write the search index in {root}: {exc.strerror or exc}") from None
    _prune(root, folder)


def discard(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def _switch(root: Path, folder: Path) -> None:
    tmp = root / f".{POINTER}.{os.getpid()}.tmp"
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write(folder.name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    tmp.replace(root / POINTER)  # atomic rename: readers see the old name or the new one


def _prune(root: Path, current: Path) -> None:
    """Remove old and abandoned index folders, keeping the previous one for readers that still have it open."""
    others = sorted((p for p in root.glob("ix-*") if p.is_dir() and p != current), reverse=True)
    previous = next((p for p in others if p.name < current.name), None)
    for old in others:
        if old != previous:
            shutil.rmtree(old, ignore_errors=True)
    for tmp in root.glob(f".{POINTER}.*.tmp"):
        tmp.unlink(missing_ok=True)


def needs_rebuild(root: Path) -> bool:
    folder = current_folder(root)
    return folder is None or schema_version(folder) != INDEX_SCHEMA_VERSION
