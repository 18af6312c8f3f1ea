"""Bring the database and the search index to the state the entry files describe, incrementally or in full."""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import filelock

from kb import indexer, loader, store
from kb.config import Settings
from kb.errors import IndexBusy, IndexNotBuilt, IndexUnwritable, Problem
from kb.models import Entry
from kb.taxonomy import Taxonomy, load_taxonomy

# Called once with the number of entries to write, then returns the per-entry progress callback.
ProgressFactory = Callable[[int], indexer.Progress]


@dataclasses.dataclass
class ReindexSummary:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    failed: int = 0
    seconds: float = 0.0
    full: bool = False
    applied: bool = True
    problems: list[Problem] = dataclasses.field(default_factory=list)

    def line(self) -> str:
        kind = "full rebuild" if self.full else "incremental"
        text = (
            f"{kind}: {self.added} added, {self.updated} updated, {self.removed} removed, "
            f"{self.unchanged} unchanged, {self.failed} failed in {self.seconds:.2f} s"
        )
        return text if self.applied else text + " (nothing written: --strict and problems found)"


def _no_progress(_total: int) -> indexer.Progress:
    return lambda _n: None


def lock_for(settings: Settings) -> filelock.FileLock:
    return filelock.FileLock(settings.index_dir / ".reindex.lock", timeout=0)


def reindex(
    settings: Settings, *, full: bool = False, strict: bool = False,
    progress: ProgressFactory = _no_progress, jobs: int | None = None,
) -> ReindexSummary:  # fmt: skip
    """One reindex under an exclusive lock; raises IndexBusy if another one runs."""
    started = time.perf_counter()
    taxonomy = load_taxonomy(settings.taxonomy_path)
    try:
        settings.index_dir.mkdir(parents=True, exist_ok=True)
        lock = lock_for(settings)
        lock.acquire()
    except filelock.Timeout:
        raise IndexBusy(
            f"another `kb reindex` is running (lock {settings.index_dir / '.reindex.lock'})"
        ) from None
    except OSError as exc:
        raise IndexUnwritable(f"cannot write in {settings.index_dir}: {exc.strerror or exc}") from None
    try:
        summary = _reindex(settings, taxonomy, full, strict, progress, jobs or os.cpu_count() or 1)
    finally:
        lock.release()
    summary.seconds = time.perf_counter() - started
    return summary


def _reindex(
    settings: Settings, taxonomy: Taxonomy, full: bool, strict: bool,
    progress: ProgressFactory, jobs: int,
) -> ReindexSummary:  # fmt: skip
    root = indexer.whoosh_root(settings.index_dir)
    engine = store.open_for_writing(settings.effective_database_url)
    full = (
        full
        or indexer.needs_rebuild(root)
        or store.meta(engine).get("schema_version") != store.SCHEMA_VERSION
    )
    db_state = {} if full else store.stored_hashes(engine)
    ix_state: dict[str, str] = {}
    if not full:
        try:
            ix_state = indexer.indexed_hashes(indexer.open_current(root)[0])
        except IndexNotBuilt:
            full = True

    # Hash every file (cheap); parse only what either store does not already hold in that exact version.
    paths = loader.discover(settings.content_dir)
    problems: list[Problem] = []
    wanted: dict[str, str] = {}
    to_parse: list[Path] = []
    owners: dict[str, str] = {}
    failed = 0
    for path in paths:
        data, refused = loader.read_bytes(path, settings.content_dir, settings.max_file_bytes)
        if data is None:
            assert refused is not None
            problems.append(refused)
            failed += 1
            continue
        slug, shown = path.stem, loader.display(path)
        first = owners.setdefault(slug, shown)
        if first != shown:
            problems.append(
                Problem(
                    shown,
                    1,
                    "slug",
                    f"slug {slug!r} is already used by {first}",
                    "rename one of the files; a slug is a permanent address",
                )
            )
            failed += 1
            continue
        digest = loader.entry_hash(data, taxonomy)
        if not full and db_state.get(slug) == digest and ix_state.get(slug) == digest:
            wanted[slug] = digest
        else:
            to_parse.append(path)

    parsed: list[Entry] = []
    results = loader.load_files(to_parse, settings.content_dir, taxonomy, settings.max_file_bytes, jobs,
                                prepare=indexer.prepared_document)  # fmt: skip

    def take(result: loader.FileResult) -> Entry | None:
        nonlocal failed
        problems.extend(result.problems)
        if result.entry is None:
            failed += 1
            return None
        parsed.append(result.entry)
        wanted[result.slug] = result.entry.content_hash
        return result.entry

    def summarise() -> ReindexSummary:
        summary = ReindexSummary(full=full, problems=problems, failed=failed)
        old = ix_state
        summary.added = sum(1 for e in parsed if e.slug not in old)
        summary.updated = sum(1 for e in parsed if e.slug in old and old[e.slug] != e.content_hash)
        summary.removed = sum(1 for slug in old if slug not in wanted)
        summary.unchanged = len(wanted) - summary.added - summary.updated
        summary.applied = not (strict and problems)
        return summary

    if full:
        # Entries are indexed as the parsing processes deliver them, into a fresh folder that readers do not
        # see; the database is replaced once the index is complete, just before the switch, so a search hit
        # has a practice page behind it for all but that last moment.
        tick = progress(len(to_parse))
        done: list[ReindexSummary] = []

        def documents() -> Iterator[tuple[Entry, dict[str, Any] | None]]:
            for result in results:
                entry = take(result)
                if entry is None:
                    tick(1)
                else:
                    yield entry, result.prepared

        def before_switch() -> bool:
            done.append(summarise())
            if done[0].applied:
                store.apply_changes(engine, taxonomy, parsed, [], replace_all=True)
            return done[0].applied

        indexer.rebuild_index(root, taxonomy, documents(), tick, before_switch)
        return done[0]

    prepared: dict[str, dict[str, Any]] = {}
    for result in results:
        if take(result) is not None:
            prepared[result.slug] = result.prepared
    summary = summarise()
    if not summary.applied:
        return summary
    db_upserts = [e for e in parsed if db_state.get(e.slug) != e.content_hash]
    db_removals = [s for s in db_state if s not in wanted]
    ix_upserts = [e for e in parsed if ix_state.get(e.slug) != e.content_hash]
    ix_removals = [s for s in ix_state if s not in wanted]
    # New rows first, then the index, then removals: a search hit always has a practice page behind it.
    store.apply_changes(engine, taxonomy, db_upserts, [], replace_all=False)
    indexer.update_index(root, taxonomy, ix_upserts, ix_removals, progress(len(ix_upserts)), prepared)
    if db_removals:
        store.apply_changes(engine, taxonomy, [], db_removals, replace_all=False)
    return summary


def ensure_built(settings: Settings, progress: ProgressFactory = _no_progress) -> ReindexSummary | None:
    """Build the index when there is none yet (first `kb serve`); None when one already exists."""
    root = indexer.whoosh_root(settings.index_dir)
    try:
        store.open_for_reading(settings.effective_database_url)
        indexer.open_current(root)
        if not indexer.needs_rebuild(root):
            return None
    except IndexNotBuilt:
        pass
    return reindex(settings, full=True, progress=progress)
