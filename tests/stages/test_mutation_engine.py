"""The search pipeline end to end (kb/search/engine.py): what one search answers on the small collection, field by
field: the query and how its words had to match, the correction and the thesaurus's additions, filters, facets and
years, pages and their clamping, the order asked or the default one, notes, the time taken, and a view that went
stale during a search."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import kb.search.engine
from kb import crosslingual
from kb.search import SearchEngine, SearchRequest, SearchResults
from kb.search.results import Expansion, FacetValue, Note
from kb.search.view import StaleView, View

from .. import search_corpus

# The corpus's practices by title: Community garden club (garden-club), Cooperative bakery for young people
# (cooperative-bakery), Digital skills for seniors (digital-skills), Inclusion fund (inclusion-fund), Musterstadt
# canteen (genossenschaft), Repair café network (repair-cafe), Training kitchen (bakery-training).
BY_TITLE = ["garden-club", "cooperative-bakery", "digital-skills", "inclusion-fund", "genossenschaft", "repair-cafe",
            "bakery-training"]  # fmt: skip


def thesaurus_map() -> dict[str, Any]:
    """The corpus's map and a concept named by German words close to words of the entries (the taxonomy's
    "Soziale Inklusion" is in the topics of the social-inclusion practices)."""
    data = search_corpus.expander_map()
    data["concepts"]["social-inclusion"] = {"en": ["social inclusion"], "de": ["soziale Inklusion"]}
    data["forms"]["de"].update({"soziale": ["sozial"], "sozialen": ["sozial"], "inklusion": ["inklusion"]})
    data["phrases"].append(["social-inclusion", "de", ["sozial", "inklusion"]])
    return data


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchEngine]:
    with search_corpus.opened(tmp_path_factory.mktemp("engine")) as opened:
        crosslingual.write_map(opened.expanders.path.parent, thesaurus_map())  # read again at the next search
        yield opened


def search(engine: SearchEngine, q: str = "", **fields: object) -> SearchResults:
    return engine.search(SearchRequest(q=q, **fields))  # type: ignore[arg-type]


def slugs(results: SearchResults) -> list[str]:
    return [h.slug for h in results.hits]


def test_the_engine_keeps_what_it_was_given(engine: SearchEngine) -> None:
    assert engine.fuzzy_cutoff == 60.0 and engine.taxonomy.regions.keys() == {"mazovia", "haskovo", "riga"}
    assert engine.expanders.current() is not None and engine.total() == 7


def test_every_word_found_as_typed(engine: SearchEngine) -> None:
    found = search(engine, "laptops cooperative", expand=False)
    assert (found.query, found.total, found.page, found.pages, found.page_size, found.sort) == (
        "laptops cooperative", 1, 1, 1, 10, "relevance")  # fmt: skip
    assert slugs(found) == ["digital-skills"]
    assert (found.match, found.required, found.words, found.relaxed, found.complete) == (
        "all", 2, 2, False, 1)  # fmt: skip
    assert found.relaxed is False
    assert (found.suggestion, found.corrected_from, found.expansions, found.expand, found.notes) == (
        None, None, [], False, [])  # fmt: skip
    hit = found.hits[0]
    assert hit.score is not None and hit.score > 0
    assert any(s.match and s.text.lower() == "laptops" for s in hit.snippet)  # the words found are marked
    assert isinstance(found.elapsed_ms, float) and found.elapsed_ms >= 0
    assert found.selected == {f: [] for f in found.selected} and found.filters == []
    assert set(found.facets) >= {"region", "theme", "country"}


def test_a_misspelt_word_is_corrected_and_the_results_say_so(engine: SearchEngine) -> None:
    found = search(engine, "bakrey cooperative")
    assert (found.suggestion, found.corrected_from) == ("bakery cooperative", "bakrey cooperative")
    assert (found.query, slugs(found), found.match, found.required, found.words, found.relaxed, found.complete) == (
        "bakrey cooperative", ["cooperative-bakery"], "all", 2, 2, False, 1)  # fmt: skip
    # The words of the correction are marked.
    assert any(s.match and s.text.lower() == "bakery" for s in found.hits[0].title_marked)


def test_the_correction_is_expanded_too_and_its_additions_are_not_listed(engine: SearchEngine) -> None:
    # "Sozialgenossenschaft" is known to the thesaurus (never corrected); with "bakery" only the bakery's social
    # cooperative has both, through the label "social cooperative".
    found = search(engine, "Sozialgenossenschaft bakrey")
    assert (found.suggestion, found.corrected_from) == (
        "Sozialgenossenschaft bakery", "Sozialgenossenschaft bakrey")  # fmt: skip
    assert (slugs(found), found.match, found.relaxed) == (["cooperative-bakery"], "all", False)
    # What the thesaurus added to the typed words is not listed: those words were not what was searched.
    assert found.expansions == [] and found.expand


def test_what_the_thesaurus_added_is_listed_in_the_interface_language(engine: SearchEngine) -> None:
    found = search(engine, "Sozialgenossenschaften", lang="de")
    assert found.expansions == [Expansion("Sozialgenossenschaften", "social-cooperative", "de", "Sozialgenossenschaft",
                                          ["social cooperative", "social co-operative"])]  # fmt: skip
    assert found.expand is True and found.suggestion is None and found.corrected_from is None
    # The typed word is in no entry: found through the labels (the canteen's German local name is one of them).
    assert sorted(slugs(found)) == ["cooperative-bakery", "digital-skills", "genossenschaft"]
    off = search(engine, "Sozialgenossenschaften", lang="de", expand=False)
    assert off.expansions == [] and off.expand is False and "cooperative-bakery" not in slugs(off)


def test_most_of_the_words(engine: SearchEngine) -> None:
    found = search(engine, "cooperative young people laptops", expand=False)
    assert (found.match, found.required, found.words, found.relaxed, found.complete, found.total) == (
        "most", 3, 4, True, 1, 3)  # fmt: skip
    assert slugs(found)[0] == "digital-skills"  # the one with every word first


def test_any_one_word(engine: SearchEngine) -> None:
    found = search(engine, "laptops bicycles", expand=False)
    assert (found.match, found.required, found.words, found.relaxed, found.complete) == ("any", 1, 2, True, 0)
    assert sorted(slugs(found)) == ["digital-skills", "repair-cafe"]


def test_nothing_found(engine: SearchEngine) -> None:
    found = search(engine, "zzzqqq")
    assert (found.total, found.page, found.pages, found.hits, found.match, found.relaxed) == (
        0, 1, 1, [], "all", False)  # fmt: skip


def test_one_result_is_one_page(engine: SearchEngine) -> None:
    found = search(engine, "laptops", page=3)
    assert (found.total, found.page, found.pages, slugs(found)) == (1, 1, 1, ["digital-skills"])


def test_without_words_every_practice_by_title(engine: SearchEngine) -> None:
    found = search(engine)
    assert (found.sort, found.total, found.pages, slugs(found)) == ("title", 7, 1, BY_TITLE)
    assert (found.match, found.required, found.words, found.relaxed, found.complete) == (
        "all", 0, 0, False, 7)  # fmt: skip
    assert all(h.score is None for h in found.hits) and found.suggestion is None and found.expansions == []


@pytest.mark.parametrize(("page", "shown", "wanted"), [(1, 1, BY_TITLE[:2]), (2, 2, BY_TITLE[2:4]),
                                                       (4, 4, BY_TITLE[6:]), (9, 4, BY_TITLE[6:])])  # fmt: skip
def test_pages_of_the_title_order(engine: SearchEngine, page: int, shown: int, wanted: list[str]) -> None:
    found = search(engine, page=page, page_size=2)
    assert (found.page, found.pages, found.page_size, found.total, slugs(found)) == (shown, 4, 2, 7, wanted)


def test_pages_of_the_relevance_order(engine: SearchEngine) -> None:
    everything = slugs(search(engine, "cooperative", expand=False))
    assert len(everything) == 3
    second = search(engine, "cooperative", expand=False, page=2, page_size=2)
    assert (second.page, second.pages, slugs(second)) == (2, 2, everything[2:])
    assert second.hits[0].score is not None


def test_the_order_asked_for(engine: SearchEngine) -> None:
    newest = search(engine, sort="newest")
    assert newest.sort == "newest" and slugs(newest)[:2] == ["inclusion-fund", "digital-skills"]  # 2021, 2019
    by_title = search(engine, "cooperative", sort="title", expand=False)
    assert by_title.sort == "title"
    assert slugs(by_title) == ["cooperative-bakery", "digital-skills", "genossenschaft"]


def test_filters_narrow_and_facets_count_in_the_interface_language(engine: SearchEngine) -> None:
    found = search(engine, "young", filters={"region": ["Masowien"]}, lang="de", expand=False)
    assert slugs(found) == ["cooperative-bakery"] and found.total == 1
    assert found.selected["region"] == ["mazovia"] and found.selected["theme"] == []
    (choice,) = found.filters
    assert (choice.kind, choice.typed, choice.status, choice.key) == (
        "region", "Masowien", "resolved", "mazovia")  # fmt: skip
    # Facet counts: the other regions as if this one were not chosen ("young" is in the bakery, the digital
    # skills courses in Haskovo and the canteen in Riga), the other facets within Mazovia.
    assert found.facets["region"] == [FacetValue("haskovo", "Chaskowo", 1, False),
                                      FacetValue("mazovia", "Masowien", 1, True),
                                      FacetValue("riga", "Riga", 1, False)]  # fmt: skip
    assert found.facets["country"] == [FacetValue("PL", "Polen", 1, False)]
    assert found.facets["theme"] == [FacetValue("work-integration", "Arbeitsintegration", 1, False)]


def test_a_filter_in_the_query(engine: SearchEngine) -> None:
    found = search(engine, "region:mazowsze")
    assert (found.query, found.sort, found.words, found.selected["region"]) == ("region:mazowsze", "title", 0,
                                                                                 ["mazovia"])  # fmt: skip
    assert slugs(found) == ["cooperative-bakery", "inclusion-fund"]


def test_the_years_a_practice_was_active(engine: SearchEngine) -> None:
    assert slugs(search(engine, "year:2011")) == ["bakery-training"]  # the only practice started before 2012
    assert slugs(search(engine, "cooperative year:2011")) == []
    assert "repair-cafe" not in slugs(search(engine, "year:2021"))  # ended in 2020


def test_a_close_runner_up_at_the_default_cutoff_is_offered(engine: SearchEngine) -> None:
    """`rija` is Riga at 75 and Mazovia (as Masovia) at 60: the default cutoff (60, as the setting's) offers both."""
    (choice,) = search(engine, filters={"region": ["rija"]}).filters
    assert (choice.status, choice.key) == ("ambiguous", None)
    assert [(a["key"], a["score"]) for a in choice.alternatives] == [("riga", 75.0), ("mazovia", 60.0)]


def test_common_words_only(engine: SearchEngine) -> None:
    # "there" is in no entry and "where" is: a word that is never searched is not corrected either.
    found = search(engine, "there")
    assert (found.total, found.words, found.sort, found.suggestion) == (0, 0, "title", None)
    assert found.notes == [Note("common-words", "Some words are too common to search for and were left out: there",
                                {"words": "there"})]  # fmt: skip


def test_a_prefix(engine: SearchEngine) -> None:
    assert sorted(slugs(search(engine, "bake*"))) == ["bakery-training", "cooperative-bakery"]


def test_a_correction_keeps_the_prefix(engine: SearchEngine) -> None:
    found = search(engine, "bakrey coop*")
    assert (found.suggestion, found.corrected_from, slugs(found)) == (
        "bakery coop*", "bakrey coop*", ["cooperative-bakery"])  # fmt: skip


def test_words_the_thesaurus_knows_are_not_corrected(engine: SearchEngine) -> None:
    # "sozialen" is in no entry, "soziale" is (a theme's German name); together with "Inklusion" it names a concept.
    found = search(engine, "sozialen Inklusion")
    assert (found.suggestion, found.corrected_from) == (None, None)
    assert [(e.typed, e.concept, e.language) for e in found.expansions] == [
        ("sozialen Inklusion", "social-inclusion", "de")]  # fmt: skip
    assert search(engine, "sozialen Inklusion", expand=False).suggestion == "soziale Inklusion"


def test_a_long_query_is_shortened_and_said_so(engine: SearchEngine) -> None:
    found = search(engine, "cooperative " + "." * 300 + " laptops")  # the second word is past 300 characters
    assert [n.code for n in found.notes] == ["shortened"] and found.total == 3 and found.words == 1


def test_the_time_taken_in_milliseconds_to_one_decimal(
    engine: SearchEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticks = iter([100.0, 100.0123456])

    class Clock:
        @staticmethod
        def perf_counter() -> float:
            return next(ticks)

    monkeypatch.setattr(kb.search.engine, "time", Clock)
    assert search(engine, "cooperative").elapsed_ms == 12.3


def test_a_view_gone_stale_is_searched_again_on_a_new_one(
    engine: SearchEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    current = engine.views.current
    calls: list[str] = []

    def stale_once() -> View:
        calls.append("current")
        if len(calls) == 1:
            raise StaleView("the search index changed while it was read")
        return current()

    monkeypatch.setattr(engine.views, "current", stale_once)
    found = search(engine, "laptops")
    assert slugs(found) == ["digital-skills"] and found.query == "laptops" and len(calls) == 2


def test_browsing_reads_the_current_view(engine: SearchEngine) -> None:
    similar = [h.slug for h in engine.similar("cooperative-bakery")]
    assert len(similar) == 5 and "cooperative-bakery" not in similar  # five of the six others by default
    assert [h.slug for h in engine.similar("cooperative-bakery", 2)] == similar[:2]
    assert [h.slug for h in engine.lookup(["repair-cafe", "no-such-practice", "garden-club"])] == [
        "repair-cafe", "garden-club"]  # fmt: skip
    assert [h.slug for h in engine.slugs_like("bakery")] == ["bakery-training", "cooperative-bakery"]
    assert [h.slug for h in engine.slugs_like("bakery", 1)] == ["bakery-training"]
    assert len(engine.slugs_like("a")) == 5  # six addresses have an "a" (score 60): five by default
    assert engine.counts()["region"] == {"haskovo": 3, "mazovia": 2, "riga": 3}
