"""What a search is asked and what it answers: plain dataclasses, serialised as they are for the JSON API."""

from __future__ import annotations

import dataclasses
from typing import Any


@dataclasses.dataclass
class SearchRequest:
    q: str = ""
    # Facet name (kb.vocabulary.FACETS) -> values as typed: keys, names or aliases; several values of one facet
    # are alternatives (OR), different facets all apply (AND).
    filters: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    sort: str = ""  # "" means relevance with words, title without
    page: int = 1
    page_size: int = 10
    lang: str = "en"
    expand: bool = True  # also search the thesaurus's translations and synonyms of the typed words


@dataclasses.dataclass
class Segment:
    text: str
    match: bool


@dataclasses.dataclass
class Hit:
    slug: str
    title: str
    summary: str
    organisation: str
    regions: list[str]
    countries: list[str]
    themes: list[str]
    scope: str
    status: str
    start_year: int
    end_year: int | None
    organisation_type: str
    target_groups: list[str]
    evidence_level: str  # empty when the entry states none
    score: float | None
    snippet: list[Segment]
    title_marked: list[Segment]


@dataclasses.dataclass
class FacetValue:
    key: str
    label: str
    count: int
    selected: bool


@dataclasses.dataclass
class FilterChoice:
    """How one typed filter value was read: applied key, close alternatives, or nothing plausible."""

    kind: str
    typed: str
    status: str  # resolved, ambiguous, unknown
    key: str | None
    label: str | None
    exact: bool
    alternatives: list[dict[str, Any]]


@dataclasses.dataclass(frozen=True)
class Expansion:
    """Words the thesaurus recognised, and what was also searched for them."""

    typed: str  # the words as typed ("Sozialgenossenschaft")
    concept: str  # thesaurus concept id
    language: str  # the language whose label the typed words matched
    label: str  # the concept's preferred label in the interface language
    searched: list[str]  # the English labels also searched (its labels in other languages were searched too)


@dataclasses.dataclass(frozen=True)
class Note:
    """Something the reader should know about how the query was read; `code` lets an interface translate it."""

    code: str  # shortened, too-many-terms, common-words
    text: str  # in English
    params: dict[str, Any]


@dataclasses.dataclass
class SearchResults:
    query: str
    total: int
    page: int
    pages: int
    page_size: int
    sort: str
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    selected: dict[str, list[str]]
    filters: list[FilterChoice]
    suggestion: str | None  # a corrected query to offer ("Did you mean")
    corrected_from: str | None  # set when the results shown are for `suggestion` instead of the typed query
    # How the words had to match: all, most (a majority of them: at least `required` of `words`), or any.
    match: str
    required: int
    words: int
    relaxed: bool  # not every word had to match
    complete: int  # practices that contain every word (listed first when others follow)
    expansions: list[Expansion]  # what the thesaurus added (empty with expand=False)
    expand: bool  # whether expansion was asked for
    notes: list[Note]
    elapsed_ms: float
