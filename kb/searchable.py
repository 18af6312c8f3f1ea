"""What of an entry is searchable: one declaration per indexed text field drives the index schema, the documents
the indexer writes, and how the search reads a query for that field. To make a field searchable, add it here
(and bump `INDEX_SCHEMA_VERSION` in kb/indexer.py so that the next reindex rebuilds)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Literal

from kb.models import Entry
from kb.taxonomy import Taxonomy


@dataclasses.dataclass(frozen=True)
class TextField:
    name: str
    # stem: words lower-cased, accent-folded, English stop words out, Snowball-stemmed (prose);
    # plain: lower-cased and accent-folded only (names: organisations and places, in any language).
    analysis: Literal["stem", "plain"]
    boost: float
    stored: bool  # kept in the index for result lists and highlighting (positions are kept for every field)
    text: Callable[[Entry, Taxonomy], str]


def _places(entry: Entry, taxonomy: Taxonomy) -> str:
    names = [entry.city or ""]
    for key in entry.regions:
        region = taxonomy.regions[key]
        names.extend([region.country_name, *region.all_names()])
    return " ".join(dict.fromkeys(names))


def _topics(entry: Entry, taxonomy: Taxonomy) -> str:
    return " ".join(dict.fromkeys(name for key in entry.themes for name in taxonomy.themes[key].all_names()))


def _local(entry: Entry, _taxonomy: Taxonomy) -> str:
    return " ".join(t for t in (entry.local_title, entry.local_summary) if t)


# Weights: Whoosh scores each field on its own and adds the scores; a word is rare in short fields, so a title
# match already counts for far more than a body match at weight 1 (tuned on SciFact: bench/README.md).
TEXT_FIELDS: tuple[TextField, ...] = (
    TextField("title", "stem", 0.5, True, lambda e, _t: e.title),
    TextField("summary", "stem", 0.5, True, lambda e, _t: e.summary),
    TextField("body", "stem", 1.0, True, lambda e, _t: e.body_text),
    TextField("organisation", "plain", 1.0, True, lambda e, _t: e.organisation),
    TextField("keywords", "stem", 1.0, False, lambda e, _t: " ".join(e.keywords + e.target_groups)),
    TextField("places", "plain", 1.0, False, _places),
    TextField("topics", "stem", 0.5, False, _topics),
    TextField("local", "plain", 0.5, False, _local),
)
FIELD_BY_NAME = {f.name: f for f in TEXT_FIELDS}
# Prefixes (`coop*`) are looked up in the fields a reader sees on a result.
PREFIX_FIELDS = ("title", "summary", "body", "organisation")
