"""A small collection indexed on disk for the tests of the search package's stages (tests/stages/).

Seven entries between them hold every facet kind (three regions in three countries, three themes, target groups,
scopes, statuses, evidence levels and organisation types), an ended practice, a local-language name, a body longer
than the part searched for a snippet, seventy words of one start, and words that stand in a row in one entry and
apart in another. A small thesaurus map (two concepts) is written next to the index as `kb reindex` would, so that
expansion runs for real.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kb import crosslingual
from kb.config import Settings
from kb.reindex import reindex
from kb.search import SearchEngine
from kb.taxonomy import Taxonomy, load_taxonomy

from .conftest import DATA, write_entry_file

TAXONOMY = DATA / "taxonomy-targets.yaml"
# Words past the first 2,000 characters of a body are searched but never shown in a snippet.
FILLER = " ".join(["Members meet every week to plan the next season."] * 45)
PLOTS = " ".join(f"plot{n:03d}" for n in range(1, 71))  # more words of one start than a prefix stands for

ENTRIES: dict[str, dict[str, Any]] = {
    "cooperative-bakery": {
        "title": "Cooperative bakery for young people", "summary": "A bakery run as a social cooperative.",
        "regions": ["mazovia"], "themes": ["work-integration"], "target_groups": ["unemployed"],
        "start_year": 2012, "scope": "local", "organisation": "Piekarnia Społeczna", "organisation_type": "cooperative",
        "evidence_level": "monitored", "city": "Warsaw",
        "body": "Young people without work learn baking in a social cooperative in Warsaw.",
    },
    "digital-skills": {
        "title": "Digital skills for seniors", "summary": "Courses on phones and computers.",
        "regions": ["haskovo"], "themes": ["digitalisation", "social-inclusion"],
        "target_groups": ["local-communities"], "start_year": 2019, "organisation_type": "association",
        "evidence_level": "replicated",
        "body": "Volunteers teach older people to use online public services. Young volunteers help. "
        "A cooperative lends laptops.",
    },
    "repair-cafe": {
        "title": "Repair café network", "summary": "Neighbours repair things together.", "regions": ["riga"],
        "themes": ["social-inclusion"], "start_year": 2016, "status": "completed", "end_year": 2020,
        "scope": "local", "organisation_type": "network",
        "body": "Monthly meetings where volunteers repair clothes and bicycles.",
    },
    "inclusion-fund": {
        "title": "Inclusion fund", "summary": "Grants for social enterprises.", "regions": ["mazovia", "haskovo"],
        "themes": ["social-inclusion", "work-integration"], "target_groups": ["long-term-unemployed", "roma"],
        "start_year": 2021, "scope": "national", "organisation_type": "foundation",
        "evidence_level": "evaluated",
        "body": "Small grants help social enterprises hire people with disabilities. Social economy support "
        "centres advise applicants.",
    },
    "bakery-training": {
        "title": "Training kitchen", "summary": "Cooking courses.", "regions": ["haskovo"],
        "themes": ["work-integration"], "target_groups": ["unemployed"], "start_year": 2010, "status": "pilot", "evidence_level": "anecdotal",
        "body": "A training kitchen where refugees learn to cook; the bakery next door hires graduates.",
    },
    "genossenschaft": {
        "title": "Musterstadt canteen", "summary": "A canteen known by its German name.", "regions": ["riga"],
        "themes": ["work-integration"], "start_year": 2016, "local_language": "de",
        "local_title": "Sozialgenossenschaft Musterstadt", "organisation_type": "cooperative",
        "body": "The canteen cooks for schools. Cooperative members are young people. Young cooks train "
        "people from the neighbourhood.",
    },
    "garden-club": {
        "title": "Community garden club", "summary": "Gardens shared by neighbours.", "regions": ["riga"],
        "themes": ["social-inclusion"], "start_year": 2018, "scope": "european",
        "evidence_level": "monitored",
        "body": FILLER + " Late in the text: beekeeping. Plots " + PLOTS + ".",
    },
}  # fmt: skip


def expander_map() -> dict[str, Any]:
    """A thesaurus map as `crosslingual.build` writes it, for two concepts (built by hand: building one from a
    thesaurus loads simplemma's dictionaries, seconds per test module)."""
    return {
        "version": crosslingual.BUILD_VERSION,
        "digest": "corpus",
        "lemmatiser": crosslingual.lemmatiser_version(),
        "concepts": {
            "social-cooperative": {"en": ["social cooperative", "social co-operative"],
                                   "de": ["Sozialgenossenschaft"], "pl": ["spółdzielnia socjalna"]},
            "bakery": {"en": ["bakery", "bakehouse"], "de": ["Bäckerei"]},
        },
        "forms": {
            "en": {"social": ["social"], "cooperative": ["cooperative"], "cooperatives": ["cooperative"],
                   "co": ["co"], "operative": ["operative"], "bakery": ["bakery"], "bakeries": ["bakery"],
                   "bakehouse": ["bakehouse"]},
            "de": {"sozialgenossenschaft": ["sozialgenossenschaft"], "sozialgenossenschaften": ["sozialgenossenschaft"],
                   "backerei": ["backerei"], "backereien": ["backerei"]},
            "pl": {"spoldzielnia": ["spoldzielnia"], "spoldzielni": ["spoldzielnia"], "socjalna": ["socjalna"],
                   "socjalnej": ["socjalna"]},
        },
        "stems": {},
        "phrases": [
            ["social-cooperative", "en", ["social", "cooperative"]],
            ["social-cooperative", "en", ["social", "co", "operative"]],
            ["social-cooperative", "de", ["sozialgenossenschaft"]],
            ["social-cooperative", "pl", ["spoldzielnia", "socjalna"]],
            ["bakery", "en", ["bakery"]], ["bakery", "en", ["bakehouse"]], ["bakery", "de", ["backerei"]],
        ],
    }  # fmt: skip


def build(base: Path, entries: dict[str, dict[str, Any]] | None = None, thesaurus: bool = True) -> Settings:
    """The entries indexed in a fresh folder under `base` (all of ENTRIES by default), with the thesaurus map."""
    content = base / "practices"
    content.mkdir()
    shutil.copy(TAXONOMY, content / "taxonomy.yaml")
    for slug, fields in (ENTRIES if entries is None else entries).items():
        write_entry_file(content, slug, **fields)
    settings = Settings(content_dir=content, index_dir=base / "index")
    summary = reindex(settings, full=True)
    assert summary.failed == 0
    if thesaurus:
        crosslingual.write_map(settings.index_dir, expander_map())
    return settings


@contextlib.contextmanager
def opened(base: Path, entries: dict[str, dict[str, Any]] | None = None) -> Iterator[SearchEngine]:
    """An engine over `build(base, entries)`, closed afterwards."""
    settings = build(base, entries)
    engine = SearchEngine(settings.index_dir, taxonomy())
    try:
        yield engine
    finally:
        engine.close()


def taxonomy() -> Taxonomy:
    return load_taxonomy(TAXONOMY)
