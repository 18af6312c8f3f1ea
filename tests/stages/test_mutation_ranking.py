"""How results are ordered (kb/search/ranking.py): by relevance, by evidence level (strongest first, then relevance
with words or title without), by newest start year, by title; a page is the first `wanted` of that order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kb.search import SearchEngine, SearchRequest

from .. import search_corpus

# The corpus's evidence levels: replicated (4) digital-skills; evaluated (3) inclusion-fund; monitored (2)
# cooperative-bakery and garden-club; anecdotal (1) bakery-training; none stated: genossenschaft, repair-cafe.


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchEngine]:
    with search_corpus.opened(tmp_path_factory.mktemp("ranking")) as opened:
        yield opened


def order(engine: SearchEngine, q: str = "", sort: str = "", page_size: int = 10) -> list[str]:
    return [h.slug for h in engine.search(SearchRequest(q=q, sort=sort, page_size=page_size)).hits]


def test_strongest_evidence_first_then_title_and_entries_without_a_level_last(engine: SearchEngine) -> None:
    assert order(engine, sort="evidence") == [
        "digital-skills",  # replicated
        "inclusion-fund",  # evaluated
        "garden-club",  # monitored: "Community garden club" before "Cooperative bakery for young people"
        "cooperative-bakery",
        "bakery-training",  # anecdotal
        "genossenschaft",  # no level stated: "Musterstadt canteen" before "Repair café network"
        "repair-cafe",
    ]


def test_strongest_evidence_first_among_the_matches_of_words(engine: SearchEngine) -> None:
    # "cooperative" is in the bakery (monitored), the digital skills courses (replicated) and the canteen (none).
    found = engine.search(SearchRequest(q="cooperative", sort="evidence", expand=False))
    assert [h.slug for h in found.hits] == ["digital-skills", "cooperative-bakery", "genossenschaft"]
    assert all(h.score is not None and h.score > 0 for h in found.hits)  # still scored, shown as relevance


def test_a_page_of_the_evidence_order_is_its_start(engine: SearchEngine) -> None:
    assert order(engine, sort="evidence", page_size=2) == ["digital-skills", "inclusion-fund"]


def test_newest_start_year_first_then_title(engine: SearchEngine) -> None:
    assert order(engine, sort="newest") == [
        "inclusion-fund",  # 2021
        "digital-skills",  # 2019
        "garden-club",  # 2018
        "genossenschaft",  # 2016: "Musterstadt canteen" before "Repair café network"
        "repair-cafe",
        "cooperative-bakery",  # 2012
        "bakery-training",  # 2010
    ]


def test_by_title_and_without_words_by_title_too(engine: SearchEngine) -> None:
    titles = ["garden-club", "cooperative-bakery", "digital-skills", "inclusion-fund", "genossenschaft",
              "repair-cafe", "bakery-training"]  # fmt: skip
    assert order(engine, sort="title") == titles
    assert order(engine) == titles


def test_relevance_orders_by_score_and_a_page_is_the_best_scored(engine: SearchEngine) -> None:
    found = engine.search(SearchRequest(q="young people", expand=False))
    scores = [h.score for h in found.hits]
    assert len(scores) == 3 and None not in scores and scores == sorted(scores, reverse=True)  # type: ignore[type-var]
    assert order(engine, "young people", page_size=1) == [found.hits[0].slug]


def test_without_words_no_hit_has_a_score(engine: SearchEngine) -> None:
    assert {h.score for h in engine.search(SearchRequest(sort="evidence")).hits} == {None}


def test_evidence_order_when_a_level_is_held_by_no_entry(tmp_path: Path) -> None:
    entries = {slug: fields for slug, fields in search_corpus.ENTRIES.items() if slug != "digital-skills"}
    with search_corpus.opened(tmp_path, entries) as engine:  # nothing replicated
        assert order(engine, sort="evidence")[:2] == ["inclusion-fund", "garden-club"]


def test_an_expansion_shared_by_several_typed_words_is_scored_once(engine: SearchEngine) -> None:
    """`spółdzielnia socjalna` (two words, one concept) adds the same English labels as `Sozialgenossenschaft` (one
    word): an entry found only through those labels scores the same for both, not twice as much for two words."""

    def scores(q: str) -> dict[str, float | None]:
        return {h.slug: h.score for h in engine.search(SearchRequest(q=q)).hits}

    one_word, two_words = scores("Sozialgenossenschaft"), scores("spółdzielnia socjalna")
    for slug in ("cooperative-bakery", "digital-skills"):  # neither holds the typed words
        assert one_word[slug] == two_words[slug] and (two_words[slug] or 0) > 0, slug


def test_an_entry_found_through_an_english_label_scores_as_if_the_label_were_typed(
    engine: SearchEngine,
) -> None:
    """The thesaurus's English label `social cooperative` is sought as every word somewhere, as typed words are."""
    expanded = {h.slug: h.score for h in engine.search(SearchRequest(q="Sozialgenossenschaft")).hits}
    typed = {h.slug: h.score for h in engine.search(SearchRequest(q="social cooperative", expand=False)).hits}
    assert set(typed) == {"cooperative-bakery", "digital-skills"}
    for slug, score in typed.items():
        assert expanded[slug] == score, slug


def test_entries_matching_the_typed_words_come_before_those_found_only_through_the_thesaurus(
    engine: SearchEngine,
) -> None:
    found = engine.search(SearchRequest(q="Sozialgenossenschaft")).hits
    assert [h.slug for h in found] == ["genossenschaft", "cooperative-bakery", "digital-skills"]
    first, second = found[0].score, found[1].score
    assert first is not None and second is not None
    assert first < second  # the local name first, whatever the score


@pytest.mark.parametrize("q", ["young people laptops", "bakery laptops", "cooperative bicycles beekeeping"])
def test_a_widened_match_scores_each_entry_by_the_words_it_holds(engine: SearchEngine, q: str) -> None:
    """When not every word is required (most of the words, or any), an entry's score is the sum of the scores its
    words alone would give it (as Whoosh's Or adds its parts)."""

    def scores(words: str) -> dict[str, float]:
        return {h.slug: h.score or 0.0 for h in engine.search(SearchRequest(q=words, expand=False)).hits}

    together = scores(q)
    alone = [scores(word) for word in q.split()]
    assert len(together) > 1
    for slug, score in together.items():
        assert score == pytest.approx(sum(s.get(slug, 0.0) for s in alone), abs=3e-4), slug


def test_every_alternative_typed_counts_as_typed(engine: SearchEngine) -> None:
    """`Sozialgenossenschaft OR laptops`: the canteen (its local name) and the digital skills courses (laptops) hold
    a typed word; the bakery only the thesaurus's `social cooperative`, so it comes last whatever its score."""
    found = engine.search(SearchRequest(q="Sozialgenossenschaft OR laptops")).hits
    assert {h.slug for h in found[:2]} == {"genossenschaft", "digital-skills"}
    assert [h.slug for h in found[2:]] == ["cooperative-bakery"]
