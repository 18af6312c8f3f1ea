"""Cross-lingual expansion: the thesaurus concepts a query names (in any of the 12 languages) add their English
labels and their preferred labels in the other languages as alternatives to the words that named them. A
document matching only an expansion ranks below the documents matching what was typed (kb/search/ranking.py).

Bounds: at most `crosslingual.MAX_CONCEPTS` concepts per query and `MAX_CLAUSES` added clauses in all, so an
expansion costs at most a few dozen posting lookups whatever is typed.
"""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

from kb import crosslingual
from kb.analysis import content_words
from kb.search.plan import ClausePlan, Group, Plan, words_units
from kb.search.results import Expansion
from kb.thesaurus import LANGUAGES

MAX_CLAUSES = 24


@dataclasses.dataclass(frozen=True)
class Expanded:
    plan: Plan
    expansions: list[Expansion]
    words: frozenset[str]  # typed words a concept was found in (known words: never "corrected")


class Expanders:
    """The index folder's thesaurus map, reloaded when a reindex rewrites it; safe to share between threads."""

    def __init__(self, index_dir: Path) -> None:
        self.path = index_dir / crosslingual.MAP_FILE
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._expander: crosslingual.Expander | None = None

    def current(self) -> crosslingual.Expander | None:
        try:
            stat = self.path.stat()
        except OSError:
            return None
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if stamp != self._stamp:
                self._expander = crosslingual.load_expander(self.path.parent)
                self._stamp = stamp
            return self._expander


def expand(plan: Plan, expander: crosslingual.Expander | None, lang: str) -> Expanded:
    if expander is None or not plan.has_text:
        return Expanded(plan, [], frozenset())
    tokens: list[str] = []
    owner: list[int] = []  # group of each token
    for index, group in enumerate(plan.groups):
        for clause in group.typed:
            for word in crosslingual.words(clause.typed):
                tokens.append(word)
                owner.append(index)
    added: dict[int, list[ClausePlan]] = {}
    replaced: dict[int, ClausePlan] = {}
    expansions: list[Expansion] = []
    known: set[str] = set()
    budget = MAX_CLAUSES
    for found in expander.find(tokens[:64]):
        typed_words = tokens[found.start : found.end]
        typed_text = " ".join(typed_words)
        labels = [label for label in crosslingual.labels_for(expander, found.concept, LANGUAGES)
                  if crosslingual.fold(label) != crosslingual.fold(typed_text)][:budget]  # fmt: skip
        clauses = [ClausePlan(label, units, typed_text) for label in labels
                   if (units := words_units(content_words(label)))]  # fmt: skip
        if not clauses:
            continue
        budget -= len(clauses)
        spanned = sorted({owner[i] for i in range(found.start, found.end)})
        if len(spanned) > 1 and all(len(plan.groups[g].clauses) == 1 for g in spanned):
            # The words name one concept together: as typed, they must stand together too (a Spanish entry
            # that has "cooperativa" in one place and "social" in another is not about social cooperatives).
            typed_words_units = words_units(content_words(typed_text), plain_only=found.lang != "en")
            together = ClausePlan(typed_text, typed_words_units)
            replaced.update(dict.fromkeys(spanned, together))
        for index in spanned:
            added.setdefault(index, []).extend(clauses)
        known.update(typed_words)
        english = expander.labels.get(found.concept, {}).get("en", [])
        concept_labels = expander.labels.get(found.concept, {})
        expansions.append(Expansion(typed=typed_text, concept=found.concept, language=found.lang,
                                    label=(concept_labels.get(lang) or english or [found.concept])[0],
                                    searched=[c.typed for c in clauses if c.typed in english]))  # fmt: skip
        if budget <= 0:
            break
    groups = tuple(
        Group(((replaced[i],) if i in replaced else g.clauses) + tuple(added.get(i, ())))
        for i, g in enumerate(plan.groups)
    )
    return Expanded(dataclasses.replace(plan, groups=groups), expansions, frozenset(known))
