"""The read-only view the web app has of the knowledge base: taxonomy, search engine and database."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import Engine

from kb import store
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

    @property
    def taxonomy(self) -> Taxonomy:
        return self._current()[0]

    @property
    def engine(self) -> SearchEngine:
        return self._current()[1]

    @property
    def db(self) -> Engine:
        return store.open_for_reading(self.settings.effective_database_url)
