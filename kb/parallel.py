"""Parse many entry files, in several processes when there are many (parsing is CPU-bound), in order."""

from __future__ import annotations

import concurrent.futures
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from kb.loader import FileResult, load_file
from kb.models import Entry
from kb.taxonomy import Taxonomy

PARALLEL_FROM = 200  # fewer files are parsed faster in this process than by starting others


def load_files(
    paths: Sequence[Path],
    content_dir: Path,
    taxonomy: Taxonomy,
    max_bytes: int,
    jobs: int = 1,
    prepare: Callable[[Entry, Taxonomy], Any] | None = None,
) -> Iterator[FileResult]:
    """Parse many files, in several processes when there are many (parsing is CPU-bound), in order.

    `prepare` (a module-level function) runs on each good entry in the same process, for work that should be
    spread over the cores too; results arrive as they are ready, so the caller works while the rest is parsed.
    """
    if jobs <= 1 or len(paths) < PARALLEL_FROM:
        for p in paths:
            yield _load_one((p, content_dir, taxonomy, max_bytes, prepare))
        return
    chunk = max(1, min(64, len(paths) // (jobs * 8)))
    pool = concurrent.futures.ProcessPoolExecutor(
        max_workers=jobs, initializer=_exit_with_parent, initargs=(os.getpid(),)
    )
    try:
        yield from pool.map(
            _load_one, [(p, content_dir, taxonomy, max_bytes, prepare) for p in paths], chunksize=chunk
        )
    finally:  # when the caller stops early (an error while indexing), files not yet parsed are not parsed
        pool.shutdown(wait=True, cancel_futures=True)


def _exit_with_parent(parent: int) -> None:
    """Make a worker end when its parent does: after a `kill -9` of `kb reindex` a worker would otherwise wait
    for work forever, holding the parent's stdout and stderr open (seen as a hung CI run)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, name="kb-exit-with-parent", daemon=True).start()


def _load_one(args: tuple[Path, Path, Taxonomy, int, Callable[[Entry, Taxonomy], Any] | None]) -> FileResult:
    path, content_dir, taxonomy, max_bytes, prepare = args
    result = load_file(path, content_dir, taxonomy, max_bytes)
    if prepare is not None and result.entry is not None:
        result.prepared = prepare(result.entry, taxonomy)
    return result
