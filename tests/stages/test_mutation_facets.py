"""Facets (kb/search/facets.py): the selected values narrow the matches (OR inside a facet, AND across facets), and
each facet's values are counted over the matches narrowed by the other facets only, most practices first, then by
label in the reader's language; a selected value is listed even when no practice has it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kb.search import SearchEngine, SearchRequest, SearchResults

from .. import search_corpus

# The corpus's facet values:
#   bakery-training     haskovo  BG     work-integration                   regional pilot     anecdotal  unemployed
#   cooperative-bakery  mazovia  PL     work-integration                   local    ongoing   monitored  unemployed
#                                                                                                        (cooperative)
#   digital-skills      haskovo  BG     digitalisation, social-inclusion   regional ongoing   replicated local-communities
#                                                                                                        (association)
#   garden-club         riga     LV     social-inclusion                   european ongoing   monitored
#   genossenschaft      riga     LV     work-integration                   regional ongoing   (none)     (cooperative)
#   inclusion-fund      mazovia, haskovo  BG, PL  social-inclusion, work-integration  national ongoing evaluated
#                                                                  long-term-unemployed, roma (foundation)
#   repair-cafe         riga     LV     social-inclusion                   local    completed (none)     (network)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchEngine]:
    with search_corpus.opened(tmp_path_factory.mktemp("facets")) as opened:
        yield opened


def counts(found: SearchResults, facet: str) -> list[tuple[str, str, int, bool]]:
    return [(v.key, v.label, v.count, v.selected) for v in found.facets[facet]]


def slugs(found: SearchResults) -> set[str]:
    return {h.slug for h in found.hits}


def test_without_a_selection_every_value_is_counted_over_the_whole_collection(engine: SearchEngine) -> None:
    found = engine.search(SearchRequest())
    assert found.total == 7
    # Most practices first, then by label: Haskovo and Riga (3 each) before Mazovia (2), unlike the taxonomy order.
    assert counts(found, "region") == [
        ("haskovo", "Haskovo", 3, False), ("riga", "Riga", 3, False), ("mazovia", "Mazovia", 2, False),
    ]  # fmt: skip
    assert counts(found, "country") == [
        ("BG", "Bulgaria", 3, False), ("LV", "Latvia", 3, False), ("PL", "Poland", 2, False),
    ]  # fmt: skip
    assert counts(found, "theme") == [
        ("social-inclusion", "Social inclusion", 4, False), ("work-integration", "Work integration", 4, False),
        ("digitalisation", "Digitalisation", 1, False),
    ]  # fmt: skip
    assert counts(found, "scope") == [
        ("regional", "Regional", 3, False), ("local", "Local", 2, False), ("european", "European", 1, False),
        ("national", "National", 1, False),
    ]  # fmt: skip
    assert counts(found, "status") == [
        ("ongoing", "Ongoing", 5, False), ("completed", "Completed", 1, False), ("pilot", "Pilot", 1, False),
    ]  # fmt: skip
    # An entry without a level is counted under "Not stated" (the key's hyphen shown as a space).
    assert counts(found, "evidence") == [
        ("monitored", "Monitored", 2, False), ("not-stated", "Not stated", 2, False),
        ("anecdotal", "Anecdotal", 1, False), ("evaluated", "Evaluated", 1, False),
        ("replicated", "Replicated", 1, False),
    ]  # fmt: skip
    # Target groups are labelled from the taxonomy ("Unemployed people"), not from their keys.
    assert counts(found, "target") == [
        ("unemployed", "Unemployed people", 2, False), ("local-communities", "Local communities", 1, False),
        ("long-term-unemployed", "Long-term unemployed people", 1, False), ("roma", "Roma", 1, False),
    ]  # fmt: skip
    # Values no practice has (company, public body...) are not listed.
    assert counts(found, "organisation_type") == [
        ("cooperative", "Cooperative", 2, False), ("association", "Association", 1, False),
        ("foundation", "Foundation", 1, False), ("network", "Network", 1, False),
    ]  # fmt: skip


def test_labels_are_in_the_readers_language_and_sorted_in_it(engine: SearchEngine) -> None:
    found = engine.search(SearchRequest(lang="de"))
    assert counts(found, "region") == [
        ("haskovo", "Chaskowo", 3, False), ("riga", "Riga", 3, False), ("mazovia", "Masowien", 2, False),
    ]  # fmt: skip
    assert counts(found, "country") == [
        ("BG", "Bulgarien", 3, False), ("LV", "Lettland", 3, False), ("PL", "Polen", 2, False),
    ]  # fmt: skip
    # "Arbeitsintegration" sorts before "Soziale Inklusion" in German (the other way round in English).
    assert counts(found, "theme") == [
        ("work-integration", "Arbeitsintegration", 4, False), ("social-inclusion", "Soziale Inklusion", 4, False),
        ("digitalisation", "Digitalisierung", 1, False),
    ]  # fmt: skip
    assert counts(found, "target")[:2] == [
        ("unemployed", "Arbeitslose", 2, False), ("long-term-unemployed", "Langzeitarbeitslose", 1, False),
    ]  # fmt: skip
    assert counts(found, "scope")[0] == ("regional", "Regional", 3, False)


def test_a_selected_region_narrows_the_results_but_not_its_own_counts(engine: SearchEngine) -> None:
    found = engine.search(SearchRequest(filters={"region": ["riga"]}))
    assert slugs(found) == {"garden-club", "genossenschaft", "repair-cafe"} and found.total == 3
    # The other regions keep their counts over the whole collection, so that they stay useful to switch to.
    assert counts(found, "region") == [
        ("haskovo", "Haskovo", 3, False), ("riga", "Riga", 3, True), ("mazovia", "Mazovia", 2, False),
    ]  # fmt: skip
    # The other facets count Riga's practices only.
    assert counts(found, "country") == [("LV", "Latvia", 3, False)]
    assert counts(found, "theme") == [
        ("social-inclusion", "Social inclusion", 2, False), ("work-integration", "Work integration", 1, False),
    ]  # fmt: skip
    assert counts(found, "status") == [("ongoing", "Ongoing", 2, False), ("completed", "Completed", 1, False)]


def test_values_of_one_facet_are_alternatives(engine: SearchEngine) -> None:
    found = engine.search(SearchRequest(filters={"region": ["riga", "mazovia"]}))
    assert slugs(found) == {
        "garden-club",
        "genossenschaft",
        "repair-cafe",
        "cooperative-bakery",
        "inclusion-fund",
    }
    assert [(v.key, v.selected) for v in found.facets["region"]] == [
        ("haskovo", False), ("riga", True), ("mazovia", True),
    ]  # fmt: skip


def test_a_country_selected_by_its_code(engine: SearchEngine) -> None:
    found = engine.search(SearchRequest(filters={"country": ["PL"]}))
    assert slugs(found) == {"cooperative-bakery", "inclusion-fund"}
    assert counts(found, "country") == [
        ("BG", "Bulgaria", 3, False), ("LV", "Latvia", 3, False), ("PL", "Poland", 2, True),
    ]  # fmt: skip
    assert counts(found, "region") == [("mazovia", "Mazovia", 2, False), ("haskovo", "Haskovo", 1, False)]


def test_a_facet_narrows_the_matches_of_the_words_and_counts_within_them(engine: SearchEngine) -> None:
    # "cooperative" is in the bakery, the digital skills courses and the canteen; work integration keeps two.
    found = engine.search(
        SearchRequest(q="cooperative", filters={"theme": ["work-integration"]}, expand=False)
    )
    assert slugs(found) == {"cooperative-bakery", "genossenschaft"} and found.total == 2
    # The theme's values are counted over the three matches of the word (its own selection set aside)...
    assert counts(found, "theme") == [
        ("work-integration", "Work integration", 2, True), ("digitalisation", "Digitalisation", 1, False),
        ("social-inclusion", "Social inclusion", 1, False),
    ]  # fmt: skip
    # ...and the regions over the two left by the theme, never over practices the words do not match.
    assert counts(found, "region") == [("mazovia", "Mazovia", 1, False), ("riga", "Riga", 1, False)]
    assert counts(found, "organisation_type") == [("cooperative", "Cooperative", 2, False)]


def test_two_facets_both_apply_and_each_is_counted_under_the_other(engine: SearchEngine) -> None:
    found = engine.search(SearchRequest(filters={"region": ["riga"], "theme": ["work-integration"]}))
    assert slugs(found) == {"genossenschaft"} and found.total == 1
    # Regions under work integration (bakery-training, cooperative-bakery, genossenschaft, inclusion-fund).
    assert counts(found, "region") == [
        ("haskovo", "Haskovo", 2, False), ("mazovia", "Mazovia", 2, False), ("riga", "Riga", 1, True),
    ]  # fmt: skip
    # Themes in Riga (garden-club, genossenschaft, repair-cafe).
    assert counts(found, "theme") == [
        ("social-inclusion", "Social inclusion", 2, False), ("work-integration", "Work integration", 1, True),
    ]  # fmt: skip
    assert counts(found, "scope") == [("regional", "Regional", 1, False)]


def test_a_selected_value_no_practice_has_is_listed_with_none(engine: SearchEngine) -> None:
    found = engine.search(SearchRequest(filters={"organisation_type": ["company"]}))
    assert found.total == 0 and found.hits == []
    # Its own facet still counts the other values; the selected one is listed last, with nothing.
    assert counts(found, "organisation_type") == [
        ("cooperative", "Cooperative", 2, False), ("association", "Association", 1, False),
        ("foundation", "Foundation", 1, False), ("network", "Network", 1, False), ("company", "Company", 0, True),
    ]  # fmt: skip
    assert all(found.facets[name] == [] for name in found.facets if name != "organisation_type")


def test_totals_per_value_over_the_whole_collection(engine: SearchEngine) -> None:
    totals = engine.counts()
    assert totals["region"] == {"haskovo": 3, "mazovia": 2, "riga": 3}
    assert totals["evidence"]["not-stated"] == 2 and "company" not in totals["organisation_type"]
