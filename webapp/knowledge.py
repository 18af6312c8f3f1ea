"""The read-only view the web app has of the knowledge base: taxonomy, search engine and database."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from kb import indexer, store
from kb.config import Settings
from kb.errors import IndexNotBuilt, TaxonomyError
from kb.search import SearchEngine
from kb.taxonomy import Taxonomy, load_taxonomy


class Knowledge:
    """Shared by the threads of one worker. The taxonomy is reloaded when its file changes, and the search
    engine reopens the index by itself after a reindex, so nothing needs a restart."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._taxonomy: Taxonomy | None = None
        self._engine: SearchEngine | None = None
        self._index_state: tuple[tuple[Path, int], str] | None = None

    def _current(self) -> tuple[Taxonomy, SearchEngine]:
        path: Path = self.settings.taxonomy_path
        try:
            stat = path.stat()
        except OSError:
            raise IndexNotBuilt(f"no taxonomy at {path}") from None
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if self._stamp != stamp or self._taxonomy is None or self._engine is None:
                try:
                    taxonomy = load_taxonomy(path)
                except TaxonomyError as exc:
                    raise IndexNotBuilt(
                        f"the taxonomy {path} is invalid: {exc.problems[0].format()}"
                    ) from None
                if self._engine is not None:
                    self._engine.close()
                self._taxonomy = taxonomy
                self._engine = SearchEngine(self.settings.index_dir, taxonomy, self.settings.fuzzy_cutoff)
                self._stamp = stamp
            return self._taxonomy, self._engine

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.close()
            self._engine, self._taxonomy, self._stamp = None, None, None

    def state(self) -> str:
        """A digest of everything the pages are made from now: the taxonomy file, the database and the search
        index, each by what it holds (content hashes), not by when or where it was built. Two replicas with the
        same content give the same state, and any reindex that changes something changes it. While a reindex is
        between its database and its index commit the two digests differ, and that mix has a state of its own.

        The index part is read once per index generation, from the very reader that searches use, so a state
        never names a newer index than the one that answered."""
        taxonomy, engine = self._current()
        view = engine.view()
        key = (view.folder, view.generation)
        with self._lock:
            known = self._index_state
        if known is None or known[0] != key:
            known = (
                key,
                _index_digest(
                    view.searcher.reader(), len(view.live), f"{view.folder.name}:{view.generation}"
                ),
            )
            with self._lock:
                self._index_state = known
        return hashlib.sha256(
            f"{taxonomy.digest}|{store.state_digest(self.db)}|{known[1]}".encode()
        ).hexdigest()

    @property
    def taxonomy(self) -> Taxonomy:
        return self._current()[0]

    @property
    def engine(self) -> SearchEngine:
        return self._current()[1]

    @property
    def db(self) -> Engine:
        return store.open_for_reading(self.settings.effective_database_url)


def _index_digest(reader: Any, live: int, identity: str) -> str:
    """The content digest of what this reader sees, or, when its columns cannot all be read, the reader's own
    identity (folder and generation: unique, but not shared with other replicas). Whoosh reads a column file
    when first asked, and a concurrent reindex may already have merged that segment away and deleted the file:
    Whoosh then raises, or quietly reads the column as empty."""
    try:
        hashes = indexer.reader_hashes(reader)
    except OSError:  # the column file of a merged segment is gone
        return identity
    if len(hashes) != live or not all(hashes) or not all(hashes.values()):
        return identity
    return store.content_digest(hashes)
