"""The bundled starter collection: valid under --strict, and spread as the project asks (kb stats minimums)."""

from __future__ import annotations

from pathlib import Path

from kb import loader, parallel
from kb.listkinds import is_homepage
from kb.stats import collection_stats
from kb.taxonomy import Taxonomy

PRACTICES = Path(__file__).resolve().parent.parent / "practices"


def test_the_starter_collection_is_clean_and_covers_every_region_and_theme(real_taxonomy: Taxonomy) -> None:
    paths = loader.discover(PRACTICES)
    result = loader.collect(parallel.load_files(paths, PRACTICES, real_taxonomy, 512 * 1024))
    assert [p.format() for p in result.problems] == []  # warnings too: the bundled set passes --strict
    entries = result.entries
    assert len(entries) >= 80
    found = collection_stats(entries, real_taxonomy)
    assert (
        found.shortfalls == []
    )  # every region >= 6 (4 local or regional), every theme >= 6, three themes >= 8
    for entry in entries:
        assert len(entry.sources) >= 2, entry.slug
        assert any(s["url"] and not is_homepage(s["url"]) for s in entry.sources), entry.slug
        assert entry.last_reviewed.year >= 2026, entry.slug
        if entry.local_title or entry.local_summary:
            assert entry.local_title and entry.local_language, entry.slug
