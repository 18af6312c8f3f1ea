"""The bundled starter collection: valid under --strict, at least 30 entries, two per SECON region, every theme."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from kb import loader
from kb.taxonomy import Taxonomy

PRACTICES = Path(__file__).resolve().parent.parent / "practices"


def test_the_starter_collection_is_clean_and_covers_every_region_and_theme(real_taxonomy: Taxonomy) -> None:
    paths = loader.discover(PRACTICES)
    result = loader.collect(loader.load_files(paths, PRACTICES, real_taxonomy, 512 * 1024))
    assert [p.format() for p in result.problems] == []  # warnings too: the bundled set passes --strict
    entries = result.entries
    assert len(entries) >= 30
    regions = Counter(r for e in entries for r in e.regions)
    assert {k: regions[k] for k in real_taxonomy.regions if regions[k] < 2} == {}
    themes = {t for e in entries for t in e.themes}
    assert set(real_taxonomy.themes) - themes == set()
    for entry in entries:
        assert entry.sources, entry.slug
        assert entry.last_reviewed.year >= 2026, entry.slug
