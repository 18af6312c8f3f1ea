"""Facets: narrow the matches by the selected values (OR inside a facet, AND across facets), and count each
facet's values as if its own selection were not applied, so that the other values stay useful."""

from __future__ import annotations

from kb.filters import label_of
from kb.search.request import Selection
from kb.search.results import FacetValue
from kb.search.view import View, bitmap
from kb.taxonomy import Taxonomy, country_name
from kb.vocabulary import FACETS, Facet

FacetDocs = dict[str, set[int] | None]  # facet -> documents having any selected value; None: nothing selected


def facet_docs(view: View, selection: Selection) -> FacetDocs:
    out: FacetDocs = {}
    for facet in FACETS:
        keys = selection.selected[facet.name]
        if not keys:
            out[facet.name] = None
            continue
        docs: set[int] = set()
        for key in keys:
            docs |= view.facets[facet.name].get(key.lower(), frozenset())
        out[facet.name] = docs
    return out


def narrow(docs: set[int], selected: FacetDocs) -> set[int]:
    out = set(docs)
    for chosen in selected.values():
        if chosen is not None:
            out &= chosen
    return out


def count(
    view: View, base: set[int], selected: FacetDocs, selection: Selection, taxonomy: Taxonomy, lang: str
) -> dict[str, list[FacetValue]]:
    """Each value's count as the size of an intersection of bitmaps (one bit per document): some eighty values
    against thousands of matches cost a few big-integer ANDs instead of as many set intersections."""
    bits = view.facet_bits()
    chosen_bits = {name: bitmap(docs) for name, docs in selected.items() if docs is not None}
    base_bits = bitmap(base)
    out: dict[str, list[FacetValue]] = {}
    for facet in FACETS:
        docs = base_bits
        for name, other in chosen_bits.items():
            if name != facet.name:
                docs &= other
        values = []
        for key in keys(facet, taxonomy):
            found = (docs & bits[facet.name].get(key.lower(), 0)).bit_count()
            chosen = key in selection.selected[facet.name]
            if found or chosen:
                values.append(FacetValue(key, label(facet, key, taxonomy, lang), found, chosen))
        values.sort(key=lambda v: (-v.count, v.label))
        out[facet.name] = values
    return out


def keys(facet: Facet, taxonomy: Taxonomy) -> list[str]:
    if facet.name == "region":
        return list(taxonomy.regions)
    if facet.name == "theme":
        return list(taxonomy.themes)
    if facet.name == "target":
        return list(taxonomy.target_groups)
    if facet.kind == "country":
        return sorted(taxonomy.countries)
    return list(facet.choices)


def label(facet: Facet, key: str, taxonomy: Taxonomy, lang: str) -> str:
    if facet.kind == "taxonomy":
        return label_of(taxonomy, facet.name, key, lang)  # type: ignore[arg-type]
    if facet.kind == "country":
        return country_name(key, lang)
    return key.replace("-", " ").capitalize()


def totals(view: View) -> dict[str, dict[str, int]]:
    """Practices per facet value over the whole collection (home page, region and theme lists)."""
    return {f.name: {k: len(v) for k, v in view.facets[f.name].items()} for f in FACETS}
