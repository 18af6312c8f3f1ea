"""Resolve what a person typed for a region, theme or target group (`Masowien`, `rhein nekar`, `Хасково`, `seniors`)
to canonical keys."""

from __future__ import annotations

import dataclasses
import functools
from typing import Literal

from rapidfuzz import fuzz, process

from kb.folding import translit, variants
from kb.taxonomy import Region, Taxonomy, Theme

Kind = Literal["region", "theme", "target"]  # "target": a target group
WINNER_SCORE = 85.0  # at or above this, with a clear margin, the top match is applied without asking
WINNER_MARGIN = 8.0
SHORTEST_PARTIAL = 4


@dataclasses.dataclass(frozen=True)
class Match:
    key: str
    label: str
    score: float
    matched: str  # the name or alias that matched


@dataclasses.dataclass(frozen=True)
class Resolution:
    """`chosen` is the applied key when there is a clear winner; `matches` ranks every plausible key."""

    kind: Kind
    text: str
    chosen: str | None
    matches: list[Match]

    @property
    def exact(self) -> bool:
        return bool(self.matches) and self.matches[0].score >= 100.0

    @property
    def status(self) -> Literal["resolved", "ambiguous", "unknown"]:
        if self.chosen:
            return "resolved"
        return "ambiguous" if self.matches else "unknown"


@functools.cache
def _choices(taxonomy: Taxonomy, kind: Kind) -> tuple[list[str], list[str], list[str]]:
    """Parallel lists (folded name, key, original name) over every name and alias of every item."""
    items = _items(taxonomy, kind)
    forms: list[str] = []
    keys: list[str] = []
    originals: list[str] = []
    for key, item in items.items():
        for name in item.all_names():
            for form in variants(name):
                forms.append(form)
                keys.append(key)
                originals.append(name)
    return forms, keys, originals


def _items(taxonomy: Taxonomy, kind: Kind) -> dict[str, Region] | dict[str, Theme]:
    if kind == "region":
        return taxonomy.regions
    return taxonomy.themes if kind == "theme" else taxonomy.target_groups


def _exact(taxonomy: Taxonomy, kind: Kind, typed: str) -> str | None:
    if kind == "region":
        return taxonomy.resolve_region(typed)
    return taxonomy.resolve_theme(typed) if kind == "theme" else taxonomy.resolve_target_group(typed)


def label_of(taxonomy: Taxonomy, kind: Kind, key: str, lang: str = "en") -> str:
    if kind == "region":
        return taxonomy.regions[key].name_in(lang)
    return (taxonomy.themes if kind == "theme" else taxonomy.target_groups)[key].label_in(lang)


def _scorer(query: str, choice: str, *, processor: object = None, score_cutoff: float | None = None) -> float:
    # WRatio handles partial and reordered words and never scores below the plain ratio, which keeps short typos
    # honest. Below four letters partial matching means nothing ("y" is "part of" policy), so only the plain ratio
    # counts.
    if len(query) < SHORTEST_PARTIAL:
        return float(fuzz.ratio(query, choice))
    return float(fuzz.WRatio(query, choice))


def resolve(taxonomy: Taxonomy, kind: Kind, text: str, cutoff: float = 60.0, limit: int = 5) -> Resolution:
    """Rank every region, theme or target group against the typed text; apply the top one only when it clearly
    wins."""
    typed = text.strip()[:200]
    query = translit(typed)
    if not query:
        return Resolution(kind, text, None, [])
    exact = _exact(taxonomy, kind, typed)
    forms, keys, originals = _choices(taxonomy, kind)
    best: dict[str, Match] = {}
    for _form, score, i in process.extract(query, forms, scorer=_scorer, limit=None, score_cutoff=cutoff):
        key = keys[i]
        if key not in best or score > best[key].score:
            best[key] = Match(key, label_of(taxonomy, kind, key), round(float(score), 1), originals[i])
    if exact is not None:
        best[exact] = Match(exact, label_of(taxonomy, kind, exact), 100.0, typed)
    ranked = sorted(best.values(), key=lambda m: (-m.score, m.label))[:limit]
    chosen = None
    if ranked and ranked[0].score >= WINNER_SCORE:
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        if ranked[0].score - runner_up >= WINNER_MARGIN or ranked[0].score >= 100.0:
            chosen = ranked[0].key  # an exact name scores 100: it is applied here whatever the runner-up
    return Resolution(kind, text, chosen, ranked)
