"""Shared fixtures: settings over a temporary content folder and a real on-disk index."""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from whoosh import query
from whoosh.searching import Searcher

from kb.config import Settings
from kb.taxonomy import Taxonomy, load_taxonomy

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
ENTRIES = DATA / "entries"

# Under mutation testing (`make mutation`: mutmut runs the tests that reach a mutant with -x), the quick unit tests
# run first and the slow ones (a thesaurus map built, every score compared with Whoosh's collector) last, so that a
# killed mutant stops early. A file's tests stay together, so module-scoped fixtures are still built once.
MUTATION_ORDER = ("test_mutation_", "test_querylang", "test_folding", "test_render", "test_taxonomy", "test_search",
                  "test_loader", "test_crosslingual")  # fmt: skip
SLOW_UNDER_MUTATION = ("test_ranking_scores_every_match_as_whoosh_would",)


def _mutation_rank(item: pytest.Item) -> tuple[int, int]:
    name = item.path.name
    group = next((i for i, start in enumerate(MUTATION_ORDER) if name.startswith(start)), len(MUTATION_ORDER))
    return group, int(item.name.startswith(SLOW_UNDER_MUTATION))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "MUTANT_UNDER_TEST" not in os.environ:
        return
    # The search tests run on one Whoosh path only: the mutated modules read Whoosh through kb/whoosh_adapter.py,
    # which is not mutated, so the second path would test the same mutant again at twice the cost.
    public = [item for item in items if "[public" in item.nodeid]
    if public:
        config.hook.pytest_deselected(items=public)
        items[:] = [item for item in items if "[public" not in item.nodeid]
    items.sort(key=_mutation_rank)


@pytest.fixture
def taxonomy() -> Taxonomy:
    """The small test vocabulary (Mazovia, Haskovo, Oliveira de Azeméis; three themes)."""
    return load_taxonomy(DATA / "taxonomy.yaml")


@pytest.fixture
def real_taxonomy() -> Taxonomy:
    return load_taxonomy(ROOT / "practices" / "taxonomy.yaml")


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """An empty content folder with the test taxonomy."""
    folder = tmp_path / "practices"
    folder.mkdir()
    shutil.copy(DATA / "taxonomy.yaml", folder / "taxonomy.yaml")
    return folder


@pytest.fixture
def settings(tmp_path: Path, content_dir: Path) -> Settings:
    return Settings(content_dir=content_dir, index_dir=tmp_path / "index")


WriteEntry = Callable[..., Path]


@pytest.fixture
def write_entry(content_dir: Path) -> WriteEntry:
    """Write a valid entry (fields overridable) into the content folder."""
    return functools.partial(write_entry_file, content_dir)


def write_entry_file(content_dir: Path, slug: str, body: str = "", **fields: object) -> Path:
    """A valid entry file (fields overridable) in `content_dir`."""
    front: dict[str, object] = {
        "title": f"Practice {slug}",
        "summary": f"Summary of {slug}.",
        "regions": ["mazovia"],
        "themes": ["social-inclusion"],
        "organisation": "Example Association",
        "status": "ongoing",
        "start_year": 2015,
        "scope": "regional",
        "sources": ["https://example.org/practice", "https://example.org/report-2024"],
        "last_reviewed": "2026-11-01",
    }
    front.update(fields)
    lines = ["---"]
    for key, value in front.items():
        if isinstance(value, list):
            lines.append(f"{key}: [{', '.join(str(v) for v in value)}]")
        else:
            lines.append(f"{key}: {value}")
    lines.append("---")
    text = body or "Text."
    lines += ["", "## Description", "", text, "", "## Results", "", "Results.", "", "## Transferability", "",
              "Transfer."]  # fmt: skip
    path = content_dir / f"{slug}.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def similar_by_whoosh(searcher: Searcher, slug: str, limit: int = 5) -> list[str]:
    """The practices most like `slug` as Whoosh's `more_like` means to score them (its 20 key terms, each term's
    weight times its BM25 score, summed), from Whoosh's own single-term searches: what `similar` must list."""
    docnum = searcher.document_number(slug=slug)
    expected: dict[int, float] = {}
    for term, weight in searcher.key_terms([docnum], "body", numterms=20):
        for hit in searcher.search(query.Term("body", term, boost=weight), limit=None, optimize=False):
            expected[hit.docnum] = expected.get(hit.docnum, 0.0) + hit.score
    expected.pop(docnum, None)
    ranked = sorted(expected, key=lambda d: (-round(expected[d], 9), d))[:limit]
    return [searcher.stored_fields(d)["slug"] for d in ranked]
