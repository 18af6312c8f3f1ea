"""Bring the database and the search index to the state the entry files describe, incrementally or in full.

Two steps: `plan` hashes every file and compares it with what each store holds, so that only changed files are
parsed; then the change set is applied, in one transaction and one commit for an incremental run, or by building
a fresh index that replaces the old one when complete for a full one.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import filelock
from sqlalchemy import Engine

from kb import crosslingual, indexer, loader, parallel, store
from kb.config import Settings
from kb.errors import IndexBusy, IndexNotBuilt, IndexUnwritable, Problem
from kb.models import Entry
from kb.taxonomy import Taxonomy, load_taxonomy
from kb.thesaurus import FILE as THESAURUS_FILE
from kb.thesaurus import read_thesaurus

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


@dataclasses.dataclass
class Plan:
    """What a run has to do: the files to parse, and what each store holds now."""

    full: bool
    to_parse: list[Path]
    wanted: dict[
        str, str
    ]  # slug -> content hash of every entry the stores should hold (unchanged ones so far)
    db_state: dict[str, str]
    ix_state: dict[str, str]
    problems: list[Problem]
    failed: int


@dataclasses.dataclass
class Parsed:
    """Entries parsed by this run, with their prepared index documents, and the files that failed."""

    entries: list[Entry] = dataclasses.field(default_factory=list)
    prepared: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    failed: int = 0

    def take(self, result: loader.FileResult, plan: Plan) -> Entry | None:
        plan.problems.extend(result.problems)
        if result.entry is None:
            self.failed += 1
            return None
        self.entries.append(result.entry)
        self.prepared[result.slug] = result.prepared
        plan.wanted[result.slug] = result.entry.content_hash
        return result.entry


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
        engine = store.open_for_writing(settings.effective_database_url)
        change = plan(settings, taxonomy, engine, full)
        results = parallel.load_files(change.to_parse, settings.content_dir, taxonomy, settings.max_file_bytes,
                                      jobs or os.cpu_count() or 1, prepare=indexer.prepared_document)  # fmt: skip
        apply = apply_full if change.full else apply_incremental
        summary = apply(settings, taxonomy, engine, change, results, strict, progress)
        refresh_thesaurus(settings, taxonomy, summary, strict)
    finally:
        lock.release()
    summary.seconds = time.perf_counter() - started
    return summary


def plan(settings: Settings, taxonomy: Taxonomy, engine: Engine, full: bool) -> Plan:
    """Hash every file (cheap); parse only what either store does not already hold in that exact version."""
    root = indexer.whoosh_root(settings.index_dir)
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
    change = Plan(full, [], {}, db_state, ix_state, [], 0)
    owners: dict[str, str] = {}
    for path in loader.discover(settings.content_dir):
        data, refused = loader.read_bytes(path, settings.content_dir, settings.max_file_bytes)
        taken = loader.claim_slug(owners, path.stem, loader.display(path)) if data is not None else None
        if refused is not None or taken is not None:
            change.problems.append(refused or taken)  # type: ignore[arg-type]
            change.failed += 1
            continue
        assert data is not None
        digest = loader.entry_hash(data, taxonomy)
        if not full and db_state.get(path.stem) == digest and ix_state.get(path.stem) == digest:
            change.wanted[path.stem] = digest
        else:
            change.to_parse.append(path)
    return change


def summarise(change: Plan, parsed: Parsed, strict: bool) -> ReindexSummary:
    old = change.ix_state
    added = sum(1 for e in parsed.entries if e.slug not in old)
    updated = sum(1 for e in parsed.entries if e.slug in old and old[e.slug] != e.content_hash)
    return ReindexSummary(
        added=added, updated=updated, removed=sum(1 for slug in old if slug not in change.wanted),
        unchanged=len(change.wanted) - added - updated, failed=change.failed + parsed.failed, full=change.full,
        applied=not (strict and change.problems), problems=change.problems,
    )  # fmt: skip


def apply_incremental(
    settings: Settings, taxonomy: Taxonomy, engine: Engine, change: Plan,
    results: Iterable[loader.FileResult], strict: bool, progress: ProgressFactory,
) -> ReindexSummary:  # fmt: skip
    """New rows first, then the index, then removals: a search hit always has a practice page behind it."""
    parsed = Parsed()
    for result in results:
        parsed.take(result, change)
    summary = summarise(change, parsed, strict)
    if not summary.applied:
        return summary
    db_upserts = [e for e in parsed.entries if change.db_state.get(e.slug) != e.content_hash]
    ix_upserts = [e for e in parsed.entries if change.ix_state.get(e.slug) != e.content_hash]
    ix_removals = [s for s in change.ix_state if s not in change.wanted]
    store.apply_changes(engine, taxonomy, db_upserts, [], replace_all=False)
    root = indexer.whoosh_root(settings.index_dir)
    indexer.update_index(root, taxonomy, ix_upserts, ix_removals, progress(len(ix_upserts)), parsed.prepared)
    db_removals = [s for s in change.db_state if s not in change.wanted]
    if db_removals:
        store.apply_changes(engine, taxonomy, [], db_removals, replace_all=False)
    return summary


def apply_full(
    settings: Settings, taxonomy: Taxonomy, engine: Engine, change: Plan,
    results: Iterable[loader.FileResult], strict: bool, progress: ProgressFactory,
) -> ReindexSummary:  # fmt: skip
    """Index entries as the parsing processes deliver them, into a fresh folder readers do not see; replace the
    database once the index is complete, just before the switch, so that a search hit has a practice page
    behind it for all but that last moment."""
    root = indexer.whoosh_root(settings.index_dir)
    parsed = Parsed()
    tick = progress(len(change.to_parse))
    folder = indexer.build_fresh(root, taxonomy, _documents(results, parsed, change, tick), tick)
    try:
        summary = summarise(change, parsed, strict)
        if summary.applied:
            store.apply_changes(engine, taxonomy, parsed.entries, [], replace_all=True)
    except BaseException:
        indexer.discard(folder)
        raise
    if not summary.applied:
        indexer.discard(folder)
        return summary
    indexer.switch_to(root, folder)
    return summary


def _documents(
    results: Iterable[loader.FileResult], parsed: Parsed, change: Plan, tick: indexer.Progress
) -> Iterator[tuple[Entry, dict[str, Any] | None]]:
    """The good entries as they are parsed, with their prepared documents (a failed file only ticks)."""
    for result in results:
        entry = parsed.take(result, change)
        if entry is None:
            tick(1)
        else:
            yield entry, result.prepared


def refresh_thesaurus(settings: Settings, taxonomy: Taxonomy, summary: ReindexSummary, strict: bool) -> None:
    """Rebuild the cross-lingual map when the thesaurus changed. Its valid concepts are used even when others
    have problems (they are reported, and count as one failed file); `--strict` then writes nothing."""
    found, problems = read_thesaurus(settings.content_dir / THESAURUS_FILE, taxonomy)
    summary.problems.extend(problems)
    if any(p.severity == "error" for p in problems):
        summary.failed += 1
    if strict and problems:
        return
    try:
        crosslingual.refresh(settings.index_dir, found)
    except OSError as exc:
        raise IndexUnwritable(f"cannot write {settings.index_dir}: {exc.strerror or exc}") from None


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
