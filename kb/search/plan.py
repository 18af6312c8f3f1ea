"""The project's own query plan, compiled once from `querylang`'s parse: for every clause, the terms to look up in
each field, analysed exactly as that field was indexed, and how they must occur. No Whoosh objects: matching and
ranking read the plan, and the search package owns what a query means."""

from __future__ import annotations

import dataclasses
from typing import Literal

from kb.analysis import content_words, stem_english
from kb.folding import fold
from kb.querylang import Clause, ParsedQuery
from kb.search.postings import Postings, Term
from kb.searchable import PREFIX_FIELDS, TEXT_FIELDS

MAX_PREFIX_TERMS = 64  # terms a `prefix*` may stand for in each field


@dataclasses.dataclass(frozen=True)
class Unit:
    """One way a clause can match, scored as one (the sum of its terms' BM25 scores).

    any: a word sought in several fields (documents having any of the terms); phrase: the words in a row in one
    field.
    """

    need: Literal["any", "phrase"]
    terms: tuple[Term, ...]


@dataclasses.dataclass(frozen=True)
class ClausePlan:
    typed: str  # the words as the reader typed them (or, for an expansion, the label searched for)
    units: tuple[Unit, ...]
    expansion_of: str = ""  # for a clause the thesaurus added: the typed words it stands for


@dataclasses.dataclass(frozen=True)
class Group:
    """Alternatives: a document matches the group when it matches any clause (typed words `OR` and the
    expansions of a word)."""

    clauses: tuple[ClausePlan, ...]

    @property
    def typed(self) -> tuple[ClausePlan, ...]:
        return tuple(c for c in self.clauses if not c.expansion_of)


@dataclasses.dataclass(frozen=True)
class Plan:
    groups: tuple[Group, ...]  # all of these, or in relaxed matching most of them
    excluded: tuple[ClausePlan, ...]
    typed_words: bool  # the query had words (a query of stop words only has them but no groups)

    @property
    def has_text(self) -> bool:
        return bool(self.groups)

    def words(self) -> int:
        return len(self.groups)


def compile_plan(parsed: ParsedQuery, postings: Postings) -> Plan:
    groups = []
    for group in parsed.groups:
        clauses = tuple(c for c in (compile_clause(c, postings) for c in group) if c is not None)
        if clauses:
            groups.append(Group(clauses))
    excluded = tuple(c for c in (compile_clause(c, postings) for c in parsed.excluded) if c is not None)
    return Plan(tuple(groups), excluded, parsed.has_text)


def compile_clause(clause: Clause, postings: Postings) -> ClausePlan | None:
    """The clause's units; None when it has no word that carries meaning (stop words, punctuation)."""
    if clause.kind == "prefix":
        stem = fold(clause.text)
        terms = tuple(
            (f, t) for f in PREFIX_FIELDS for t in postings.expand_prefix(f, stem, MAX_PREFIX_TERMS)
        )
        return ClausePlan(clause.text, (Unit("any", terms),))
    units = words_units(content_words(clause.text))
    return ClausePlan(clause.text, units) if units else None


def words_units(words: list[str], plain_only: bool = False) -> tuple[Unit, ...]:
    """Units for content words (folded, no stop words): one word in every field; several words in a row, in
    each field. `plain_only`: only the fields that keep words unstemmed (names and local-language text), for
    words of another language than English, which the English stemmer would only mangle."""
    if not words:
        return ()
    stems = [stem_english(w) for w in words]
    fields = [f for f in TEXT_FIELDS if f.analysis == "plain" or not plain_only]
    if len(words) == 1:
        return (Unit("any", tuple((f.name, stems[0] if f.analysis == "stem" else words[0]) for f in fields)),)
    return tuple(
        Unit("phrase", tuple((f.name, w) for w in (stems if f.analysis == "stem" else words))) for f in fields
    )
