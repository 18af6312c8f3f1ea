"""How the collection is spread: entries per region, theme, scope, evidence level and status, and where it falls
short of the minimums the project set for a useful starter collection."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence

from kb.models import Entry
from kb.taxonomy import Taxonomy
from kb.vocabulary import EVIDENCE_LEVELS, SCOPES, STATUSES

MIN_PER_REGION = 6
MIN_PLACE_BASED_PER_REGION = (
    4  # local or regional scope: run in the region, not a national frame applied there
)
MIN_PER_THEME = 6
MIN_PER_PRIORITY_THEME = 8
PRIORITY_THEMES = ("sustainability", "digitalisation", "community-led-initiatives")
NOT_STATED = "not-stated"


@dataclasses.dataclass
class Stats:
    entries: int
    regions: dict[str, int]
    place_based: dict[str, int]  # per region: entries of local or regional scope
    themes: dict[str, int]
    scopes: dict[str, int]
    evidence: dict[str, int]
    statuses: dict[str, int]
    shortfalls: list[str]  # one line per minimum not reached


def collection_stats(entries: Sequence[Entry], taxonomy: Taxonomy) -> Stats:
    regions = Counter(r for e in entries for r in e.regions)
    place_based = Counter(r for e in entries if e.scope in {"local", "regional"} for r in e.regions)
    themes = Counter(t for e in entries for t in e.themes)
    stats = Stats(
        entries=len(entries),
        regions={k: regions[k] for k in taxonomy.regions},
        place_based={k: place_based[k] for k in taxonomy.regions},
        themes={k: themes[k] for k in taxonomy.themes},
        scopes=_ordered(Counter(e.scope for e in entries), SCOPES),
        evidence=_ordered(
            Counter(e.evidence_level or NOT_STATED for e in entries), (*EVIDENCE_LEVELS, NOT_STATED)
        ),
        statuses=_ordered(Counter(e.status for e in entries), STATUSES),
        shortfalls=[],
    )
    for key, count in stats.regions.items():
        if count < MIN_PER_REGION:
            stats.shortfalls.append(f"region {key}: {count} entries, fewer than {MIN_PER_REGION}")
        if stats.place_based[key] < MIN_PLACE_BASED_PER_REGION:
            stats.shortfalls.append(f"region {key}: {stats.place_based[key]} local or regional entries, fewer than "
                                    f"{MIN_PLACE_BASED_PER_REGION}")  # fmt: skip
    for key, count in stats.themes.items():
        wanted = MIN_PER_PRIORITY_THEME if key in PRIORITY_THEMES else MIN_PER_THEME
        if count < wanted:
            stats.shortfalls.append(f"theme {key}: {count} entries, fewer than {wanted}")
    return stats


def _ordered(counts: Counter[str], order: Sequence[str]) -> dict[str, int]:
    return {k: counts[k] for k in order}
