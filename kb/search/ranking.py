"""Order the matching documents and keep one page: by relevance (BM25, as Whoosh would score the same query), by
newest start year, by title, or by evidence level (strongest first, then relevance or title).

Every match is scored from the per-term tables the view caches rather than by Whoosh's collector: walking its
nested matchers for every match was about nine tenths of a search's time on 10,000 entries. A document's score is
the sum of its matching terms' scores, a phrase's or a name's words counting only where the whole phrase or name
matches (as Whoosh's Or and And add their parts' scores); a test compares both on one and several segments.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable
from collections.abc import Set as AbstractSet

from kb.search.matching import Match, clause_docs, unit_docs
from kb.search.plan import Unit
from kb.search.postings import Postings
from kb.search.view import View
from kb.vocabulary import EVIDENCE_LEVELS


def units(found: Match) -> Iterable[Unit]:
    """Every scoring unit of the matched plan once (an expansion of several words stands in several groups)."""
    seen: set[int] = set()
    for group in found.plan.groups:
        for clause in group.clauses:
            if id(clause) in seen:
                continue
            seen.add(id(clause))
            yield from clause.units


def scores(postings: Postings, found: Match, docs: set[int]) -> dict[int, float]:
    out = dict.fromkeys(docs, 0.0)
    for unit in units(found):
        allowed: AbstractSet[int]
        if unit.need == "any":
            tables = [postings.summed(unit.terms)]
            allowed = out.keys()
        elif unit.need == "every":
            tables = [postings.summed(part) for part in unit.parts]
            allowed = out.keys() & unit_docs(postings, unit)
        else:
            tables = [postings.scores(field, term) for field, term in unit.terms]
            allowed = out.keys() & unit_docs(postings, unit)
        for table in tables:
            if len(table) < len(allowed):
                for docnum, score in table.items():
                    if docnum in allowed:
                        out[docnum] += score
            else:
                for docnum in allowed:
                    if docnum in table:
                        out[docnum] += table[docnum]
    return out


def typed_coverage(postings: Postings, found: Match, docs: set[int]) -> dict[int, int]:
    """Per document, the groups it matches through typed words; empty when nothing was expanded (all equal)."""
    groups = found.plan.groups
    if all(len(g.typed) == len(g.clauses) for g in groups):
        return {}
    counts: Counter[int] = Counter()
    for group in groups:
        matched: set[int] = set()
        for clause in group.typed:
            matched |= clause_docs(postings, clause)
        counts.update(matched & docs)
    return dict(counts)


def rank(
    postings: Postings, found: Match, docs: set[int], sort: str, wanted: int
) -> tuple[list[int], dict[int, float]]:
    """The first `wanted` documents in order, and the relevance scores (empty unless ranked by relevance).

    Relevance puts documents matching more of the words first when not all were required, then those matching
    more of the words as typed (rather than only through the thesaurus), then scores."""
    view = postings.view
    strength = evidence_strength(view) if sort == "evidence" else {}
    if sort in {"relevance", "evidence"} and found.plan.has_text:
        table = scores(postings, found, docs)
        coverage = found.coverage or {}
        typed = typed_coverage(postings, found, docs)
        if not (
            strength or coverage or typed
        ):  # the usual case: scores alone, without building a key per match
            return [d for _score, d in heapq.nsmallest(wanted, ((-v, d) for d, v in table.items()))], table
        keyed = [(-strength.get(d, 0), -coverage.get(d, 0), -typed.get(d, 0), -table[d], d) for d in docs]
        return [d for *_key, d in heapq.nsmallest(wanted, keyed)], table
    titles = view.titles()
    if sort == "evidence":
        return heapq.nsmallest(wanted, docs, key=lambda d: (-strength.get(d, 0), titles[d], d)), {}
    if sort == "newest":
        years = view.years()
        return heapq.nsmallest(wanted, docs, key=lambda d: (-years[d][0], titles[d], d)), {}
    return heapq.nsmallest(wanted, docs, key=lambda d: (titles[d], d)), {}


def evidence_strength(view: View) -> dict[int, int]:
    """Document -> 1 (anecdotal) to 4 (replicated); documents stating no evidence level are absent (0)."""
    values = view.facets["evidence"]
    return {d: rank for rank, level in enumerate(EVIDENCE_LEVELS, 1) for d in values.get(level, ())}
