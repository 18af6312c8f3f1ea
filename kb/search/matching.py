"""Which documents match a plan, by set algebra over cached posting tables, with one explicit fallback chain.

When no entry has every word, the chain tries, in order: the spelling correction (a typo is the likelier
cause), most of the words (a majority, as `minimum_should_match` does in Lucene-based engines; one of two), the
correction with most of its words, and finally any one word of either. The first stage that finds something is
the answer; documents matching more of the words rank first.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Set as AbstractSet

from kb.search.plan import ClausePlan, Group, Plan, Unit
from kb.search.postings import Postings


@dataclasses.dataclass
class Match:
    plan: Plan  # the plan the documents match: the typed one or the corrected one
    docs: set[int]
    stage: str  # all, most, any
    corrected: bool
    required: int  # groups (words) a document had to match
    coverage: dict[int, int] | None = None  # groups each document matches, when fewer than all were required


def unit_docs(postings: Postings, unit: Unit) -> AbstractSet[int]:
    if unit.need == "any":
        return postings.summed(unit.terms).keys()
    if unit.need == "every":
        found: set[int] | None = None
        for part in sorted(unit.parts, key=lambda p: len(postings.summed(p))):
            docs = postings.summed(part).keys()
            found = set(docs) if found is None else found & docs
            if not found:
                return set()
        return found or set()
    field = unit.terms[0][0]
    return postings.phrase(field, [t for _f, t in unit.terms])


def clause_docs(postings: Postings, clause: ClausePlan) -> set[int]:
    out: set[int] = set()
    for unit in clause.units:
        out.update(unit_docs(postings, unit))
    return out


def group_docs(postings: Postings, group: Group) -> set[int]:
    out: set[int] = set()
    for clause in group.clauses:
        out |= clause_docs(postings, clause)
    return out


def allowed_docs(
    plan: Plan, postings: Postings, live: AbstractSet[int], years: list[tuple[int, int]]
) -> set[int]:
    """The documents any stage may return: live, without the excluded words, active in the chosen years."""
    docs = set(live)
    for clause in plan.excluded:
        docs -= clause_docs(postings, clause)
    if years:
        # Years are filtered from in-memory columns: Whoosh 2.7.4's NumericRange returned documents outside
        # wide ranges (1000-2018 matched 2019 and 2021), and a practice is "active" over a span anyway.
        spans = postings.view.years()
        for lo, hi in years:
            docs = {d for d in docs if spans[d][0] <= hi and spans[d][1] >= lo}
    return docs


FEW = 5  # full matches below this many widen a query of three or more words to most of its words


def majority(words: int) -> int:
    """Most of the words: more than half, so that with three or more words at least two must match."""
    return words // 2 + 1


def attempt(
    plan: Plan, postings: Postings, allowed: set[int], need: int
) -> tuple[set[int], dict[int, int] | None]:
    """Documents matching at least `need` of the plan's groups (all of them: a plain intersection)."""
    sets = [group_docs(postings, g) for g in plan.groups]
    if need >= len(sets):
        docs = set(allowed)
        for found in sorted(sets, key=len):
            docs &= found
        return docs, None
    counts: Counter[int] = Counter()
    for found in sets:
        counts.update(found & allowed)
    return {d for d, n in counts.items() if n >= need}, dict(counts)


def stages(plan: Plan, corrected: Plan | None) -> list[tuple[Plan, int, bool]]:
    """(plan, words required, corrected?) in the order they are tried: every word, then the correction; most
    of the words (for two words: one of them), then the correction's; finally any one word."""
    plans = [(plan, False)] + ([(corrected, True)] if corrected is not None and corrected.has_text else [])
    out = [(p, p.words(), c) for p, c in plans]
    for relaxed in (majority, lambda _n: 1):
        for p, c in plans:
            need = relaxed(p.words())  # most of two words is both: the next pass asks for one
            if need < p.words() and (p, need, c) not in out:
                out.append((p, need, c))
    return out


def match(
    plan: Plan,
    corrected: Plan | None,
    postings: Postings,
    live: AbstractSet[int],
    years: list[tuple[int, int]],
) -> Match:
    """The first stage of the fallback chain that finds documents (or the strict one, empty).

    A sentence-like query of three or more words that fewer than FEW documents match in full is widened to the
    documents having most of its words: the full matches still come first (they match more words), and the
    reader is not left with one result when an entry words one idea differently."""
    allowed = allowed_docs(plan, postings, live, years)
    if not plan.has_text:
        return Match(plan, set() if plan.typed_words else allowed, "all", False, 0)
    for candidate, need, is_corrected in stages(plan, corrected):
        docs, coverage = attempt(candidate, postings, allowed, need)
        if not docs:
            continue
        words = candidate.words()
        if need == words and len(docs) < FEW and words >= 3:
            wider, wider_coverage = attempt(candidate, postings, allowed, majority(words))
            if len(wider) > len(docs):
                return Match(candidate, wider, "most", is_corrected, majority(words), wider_coverage)
        stage = "all" if need >= words else "any" if need == 1 else "most"
        return Match(candidate, docs, stage, is_corrected, need, coverage)
    return Match(plan, set(), "all", False, plan.words())


def complete(found: Match, docs: set[int]) -> int:
    """How many of these documents match every word of the plan."""
    if found.coverage is None:  # every word was required
        return len(docs)
    words = found.plan.words()
    return sum(1 for d in docs if found.coverage.get(d, 0) >= words)
