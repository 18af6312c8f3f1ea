"""A full or read-only index folder gives a clear error and never a half-written index."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.generate import generate
from kb.config import Settings
from kb.errors import IndexUnwritable
from kb.reindex import reindex
from kb.search import SearchEngine, SearchRequest
from kb.taxonomy import Taxonomy

from .conftest import DATA


@contextlib.contextmanager
def tmpfs(path: Path, size: str) -> Iterator[Path]:
    """A real small file system (root only): the honest way to fill a disk or make it read-only."""
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                                           capture_output=True, check=False).returncode != 0:  # fmt: skip
        pytest.skip("needs root to mount a small tmpfs")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


# The index is written before the database now, so the disk fills inside Whoosh's commit; Whoosh 2.7.4
# (unmaintained) leaves that segment's files open when a write fails, closed later with a ResourceWarning. The
# failing `kb reindex` exits right after; the web app never writes.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_full_disk_gives_a_clear_error_and_no_index(settings: Settings, tmp_path: Path) -> None:
    generate(settings.content_dir, 150, seed=4, taxonomy=DATA / "taxonomy.yaml")
    with tmpfs(tmp_path / "small", "300k") as small:
        full = Settings(content_dir=settings.content_dir, index_dir=small / "index")
        with pytest.raises(IndexUnwritable, match="cannot write"):
            reindex(full, full=True)
        assert not (small / "index" / "whoosh" / "CURRENT").exists()  # nothing half-built is served


def test_read_only_index_keeps_serving_the_previous_state(
    settings: Settings, tmp_path: Path, taxonomy: Taxonomy
) -> None:
    generate(settings.content_dir, 20, seed=4, taxonomy=DATA / "taxonomy.yaml")
    built = tmp_path / "built"
    assert reindex(Settings(content_dir=settings.content_dir, index_dir=built)).added == 20
    view = tmp_path / "read-only"
    view.mkdir()
    if (
        os.geteuid() != 0
        or subprocess.run(["mount", "--bind", str(built), str(view)], check=False).returncode
    ):
        pytest.skip("needs root to bind-mount a read-only view")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(view)], check=True)
        ro = Settings(content_dir=settings.content_dir, index_dir=view)
        generate(settings.content_dir, 25, seed=9, taxonomy=DATA / "taxonomy.yaml")
        with pytest.raises(IndexUnwritable):
            reindex(ro)
        engine = SearchEngine(ro.index_dir, taxonomy)
        try:
            assert engine.search(SearchRequest()).total == 20
        finally:
            engine.close()
    finally:
        subprocess.run(["umount", "-l", str(view)], check=False)


def test_index_dir_that_is_a_file_is_reported(settings: Settings, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(IndexUnwritable, match="cannot write in"):
        reindex(Settings(content_dir=settings.content_dir, index_dir=blocker / "index"))
