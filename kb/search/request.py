"""Check a search request and resolve its filters: typed regions and themes to keys (fuzzily), countries to codes,
closed lists to their values, years to spans. Filters come from the request and from `name:value` in the query."""

from __future__ import annotations

import dataclasses
import re

from kb.errors import QueryError
from kb.filters import label_of, resolve
from kb.folding import fold
from kb.querylang import ParsedQuery
from kb.search.results import FilterChoice, SearchRequest
from kb.taxonomy import Taxonomy
from kb.vocabulary import FACET_BY_NAME, FACETS, SORTS

MAX_PAGE_SIZE = 100
MAX_FILTER_VALUES = 20
MAX_PAGE = 10_000
_LIST_SEPARATORS = re.compile(r"\s*[,;]\s*")


@dataclasses.dataclass
class Selection:
    choices: list[FilterChoice]  # how each typed region or theme was read
    selected: dict[str, list[str]]  # facet name -> keys applied
    years: list[tuple[int, int]]  # spans a practice must be active in


def validate(request: SearchRequest) -> SearchRequest:
    if request.sort and request.sort not in SORTS:
        raise QueryError(f"unknown sort {request.sort[:30]!r}; use one of {', '.join(SORTS)}")
    if request.page < 1:
        raise QueryError("page must be 1 or more")
    if not 1 <= request.page_size <= MAX_PAGE_SIZE:
        raise QueryError(f"page size must be between 1 and {MAX_PAGE_SIZE}")
    unknown = sorted(set(request.filters) - set(FACET_BY_NAME))
    if unknown:
        raise QueryError(f"unknown filter {unknown[0][:30]!r}; use one of {', '.join(FACET_BY_NAME)}")
    return dataclasses.replace(request, page=min(request.page, MAX_PAGE))


def select(request: SearchRequest, parsed: ParsedQuery, taxonomy: Taxonomy, cutoff: float) -> Selection:
    typed: dict[str, list[str]] = {f.name: list(request.filters.get(f.name, [])) for f in FACETS}
    years: list[tuple[int, int]] = []
    for field, value in parsed.filters:
        if field == "year":
            years.append(parse_years(value))
        else:
            typed[field].append(value)
    selection = Selection([], {f.name: [] for f in FACETS}, years[:4])
    for facet in FACETS:
        for value in typed[facet.name][:MAX_FILTER_VALUES]:
            for key in _read(facet.name, value, taxonomy, cutoff, request.lang, selection.choices):
                if key not in selection.selected[facet.name]:
                    selection.selected[facet.name].append(key)
    return selection


def _read(
    facet: str, value: str, taxonomy: Taxonomy, cutoff: float, lang: str, choices: list[FilterChoice]
) -> list[str]:
    spec = FACET_BY_NAME[facet]
    if spec.kind == "taxonomy":
        # `Lakonia, Messinia`: several names in one value are read one by one.
        parts = [p for p in _LIST_SEPARATORS.split(value) if p] or [value]
        found = [resolve_choice(taxonomy, facet, part, cutoff, lang) for part in parts]
        choices.extend(found)
        return [c.key for c in found if c.key]
    if spec.kind == "country":
        code = country_code(value, taxonomy.countries)
        if code is None:
            raise QueryError(
                f"unknown country {value[:40]!r}; use one of {', '.join(sorted(taxonomy.countries))}"
            )
        return [code]
    choice = value.strip().lower()
    if choice not in spec.choices:
        raise QueryError(f"unknown {facet} {value[:40]!r}; use one of {', '.join(spec.choices)}")
    return [choice]


def resolve_choice(taxonomy: Taxonomy, kind: str, value: str, cutoff: float, lang: str) -> FilterChoice:
    res = resolve(taxonomy, kind, value, cutoff=cutoff)  # type: ignore[arg-type]
    key = res.chosen
    return FilterChoice(
        kind=kind, typed=value, status=res.status, key=key,
        label=label_of(taxonomy, kind, key, lang) if key else None, exact=res.exact,  # type: ignore[arg-type]
        alternatives=[{"key": m.key, "label": label_of(taxonomy, kind, m.key, lang),  # type: ignore[arg-type]
                       "score": m.score} for m in res.matches if m.key != key],
    )  # fmt: skip


def country_code(value: str, countries: dict[str, str]) -> str | None:
    folded = fold(value)
    for code, name in countries.items():
        if folded in {code.lower(), fold(name)} or (code == "GR" and folded == "el"):
            return code
    return None


def parse_years(value: str) -> tuple[int, int]:
    found = [int(y) for y in re.findall(r"\d{4}", value)][:2]
    if not found:
        raise QueryError(
            f"year filter {value[:20]!r} needs a four-digit year, such as year:2015 or year:2015-2020"
        )
    return (min(found), max(found))
