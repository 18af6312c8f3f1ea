"""The closed lists the whole product shares: statuses, scopes, evidence levels, organisation types, sorts, and the
facets."""

from __future__ import annotations

import dataclasses
from typing import Literal

STATUSES = ("ongoing", "completed", "pilot")
SCOPES = ("local", "regional", "national", "european")
EVIDENCE_LEVELS = ("anecdotal", "monitored", "evaluated", "replicated")
ORGANISATION_TYPES = (
    "cooperative", "association", "foundation", "social enterprise", "public body",
    "municipality", "network", "company", "university", "other",
)  # fmt: skip
NOT_STATED = "not-stated"  # the evidence facet's value for an entry without `evidence_level`
EVIDENCE_CHOICES = (*EVIDENCE_LEVELS, NOT_STATED)
SORTS = ("relevance", "newest", "title", "evidence")


@dataclasses.dataclass(frozen=True)
class Facet:
    """A dimension results can be narrowed by and counted on: a URL parameter, a `name:value` filter in the
    query, a keyword field of the index and a value (or list) of every entry."""

    name: str  # URL parameter, query filter and results key
    field: str  # the index field and the Entry attribute it is read from
    kind: Literal["taxonomy", "country", "choice"]  # typed names resolved fuzzily, a country, a closed list
    title: str  # shown in English where no translation is given
    choices: tuple[str, ...] = ()
    missing: str = ""  # indexed (and counted) for an entry that has no value, so that it can be chosen too


FACETS: tuple[Facet, ...] = (
    Facet("region", "regions", "taxonomy", "Region"),
    Facet("country", "countries", "country", "Country"),
    Facet("theme", "themes", "taxonomy", "Theme"),
    Facet("scope", "scope", "choice", "Scope", SCOPES),
    Facet("status", "status", "choice", "Status", STATUSES),
    Facet("evidence", "evidence_level", "choice", "Evidence level", EVIDENCE_CHOICES, missing=NOT_STATED),
    Facet("target", "target_groups", "taxonomy", "Target group"),
    Facet("organisation_type", "organisation_type", "choice", "Organisation type", ORGANISATION_TYPES),
)
FACET_BY_NAME = {f.name: f for f in FACETS}
