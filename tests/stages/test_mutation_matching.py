"""Which entries a query matches (kb/search/matching.py): every word, or along the one fallback chain (the
correction, most of the words, the correction's most, any one word), without excluded words, in the chosen years."""

from __future__ import annotations

from collections.abc import Iterator, Set
from pathlib import Path

import pytest

from kb.querylang import parse
from kb.search.matching import FEW, Match, allowed_docs, complete, majority, match, stages, unit_docs
from kb.search.plan import Plan, Unit, compile_plan, every_word_unit
from kb.search.postings import Postings

from .. import search_corpus


@pytest.fixture(scope="module")
def postings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Postings]:
    with search_corpus.opened(tmp_path_factory.mktemp("matching")) as engine:
        yield Postings(engine.view())


def plan_of(postings: Postings, query: str) -> Plan:
    return compile_plan(parse(query), postings)


def slugs(postings: Postings, docs: Set[int]) -> list[str]:
    return sorted(postings.view.searcher.stored_fields(d)["slug"] for d in docs)


def docs_of(postings: Postings, *names: str) -> set[int]:
    wanted = set(names)
    return {d for d in postings.view.live if postings.view.searcher.stored_fields(d)["slug"] in wanted}


def run(postings: Postings, query: str, corrected: str | None = None, years: list[tuple[int, int]] | None = None
        ) -> Match:  # fmt: skip
    fixed = plan_of(postings, corrected) if corrected is not None else None
    return match(plan_of(postings, query), fixed, postings, postings.view.live, years or [])


@pytest.mark.parametrize(("words", "needed"), [(1, 1), (2, 2), (3, 2), (4, 3), (5, 3), (6, 4)])
def test_most_of_the_words_is_more_than_half(words: int, needed: int) -> None:
    assert majority(words) == needed


def test_the_fallback_chain_in_order(postings: Postings) -> None:
    one, two, three = plan_of(postings, "a1"), plan_of(postings, "a1 b2"), plan_of(postings, "a1 b2 c3")
    fixed = plan_of(postings, "x1 y2 z3")
    assert stages(one, None) == [(one, 1, False)]
    assert stages(two, None) == [(two, 2, False), (two, 1, False)]  # one of two
    assert stages(three, None) == [(three, 3, False), (three, 2, False), (three, 1, False)]
    assert stages(three, fixed) == [(three, 3, False), (fixed, 3, True), (three, 2, False), (fixed, 2, True),
                                    (three, 1, False), (fixed, 1, True)]  # fmt: skip
    assert stages(three, plan_of(postings, "the")) == stages(three, None)  # a correction with no words


def test_every_word_must_match_first(postings: Postings) -> None:
    found = run(postings, "cooperative laptops")
    assert (slugs(postings, found.docs), found.stage, found.required, found.corrected) == (
        ["digital-skills"], "all", 2, False)  # fmt: skip
    assert found.coverage is None and complete(found, found.docs) == 1


def test_few_full_matches_of_a_long_query_widen_to_most_words(postings: Postings) -> None:
    found = run(postings, "cooperative young people laptops")  # all four in digital-skills only
    assert found.stage == "most" and found.required == 3 == majority(4)
    assert slugs(postings, found.docs) == ["cooperative-bakery", "digital-skills", "genossenschaft"]
    assert found.coverage is not None and found.coverage[min(docs_of(postings, "digital-skills"))] == 4
    assert complete(found, found.docs) == 1 and FEW == 5


def test_no_wider_match_keeps_the_full_ones(postings: Postings) -> None:
    found = run(postings, "cooperative young people")  # three full matches, and no entry has just two
    assert found.stage == "all" and found.required == 3 and found.coverage is None
    assert complete(found, found.docs) == 3


def test_two_words_relax_to_either(postings: Postings) -> None:
    found = run(postings, "laptops bicycles")
    assert (slugs(postings, found.docs), found.stage, found.required) == (
        ["digital-skills", "repair-cafe"],
        "any",
        1,
    )
    assert complete(found, found.docs) == 0


def test_most_words_before_any_word(postings: Postings) -> None:
    found = run(postings, "bakery refugees bicycles laptops")  # at most two of four in any entry
    assert found.stage == "any" and found.required == 1
    assert found.coverage == {min(docs_of(postings, s)): n for s, n in (
        ("bakery-training", 2), ("cooperative-bakery", 1), ("repair-cafe", 1), ("digital-skills", 1))}  # fmt: skip
    most = run(postings, "bakery kitchen refugees laptops")  # three in bakery-training
    assert (slugs(postings, most.docs), most.stage, most.required) == (["bakery-training"], "most", 3)


def test_a_correction_is_tried_before_relaxing(postings: Postings) -> None:
    found = run(postings, "bakrey cooperative", corrected="bakery cooperative")
    assert (slugs(postings, found.docs), found.stage, found.corrected) == (
        ["cooperative-bakery"],
        "all",
        True,
    )
    assert found.plan.words() == 2 and found.required == 2
    relaxed = run(postings, "cooperatve zzzqqq", corrected="cooperative zzzqqq")
    assert relaxed.corrected and relaxed.stage == "any"
    assert slugs(postings, relaxed.docs) == ["cooperative-bakery", "digital-skills", "genossenschaft"]


def test_nothing_found_is_the_strict_stage_empty(postings: Postings) -> None:
    found = run(postings, "zzz qqq xxx")
    assert (found.docs, found.stage, found.corrected, found.required, found.coverage) == (
        set(),
        "all",
        False,
        3,
        None,
    )
    assert complete(found, found.docs) == 0


def test_without_words_every_allowed_entry_matches_unless_words_were_left_out(postings: Postings) -> None:
    everything = run(postings, "region:riga")
    assert (
        everything.docs == set(postings.view.live) and everything.stage == "all" and everything.required == 0
    )
    assert not everything.corrected
    assert run(postings, "the of").docs == set()  # stop words only: nothing, not everything
    assert complete(everything, everything.docs) == len(postings.view.live)


def test_excluded_words_remove_entries(postings: Postings) -> None:
    assert slugs(postings, run(postings, "cooperative -laptops -bicycles").docs) == [
        "cooperative-bakery", "genossenschaft"]  # fmt: skip
    assert slugs(postings, run(postings, "-cooperative").docs) == [
        "bakery-training", "garden-club", "inclusion-fund", "repair-cafe"]  # fmt: skip


@pytest.mark.parametrize(
    ("years", "found"),
    [([(2020, 2020)], ["bakery-training", "cooperative-bakery", "digital-skills", "garden-club", "genossenschaft",
                       "repair-cafe"]),  # repair-cafe ended in 2020: still active that year
     ([(2021, 2021)], ["bakery-training", "cooperative-bakery", "digital-skills", "garden-club", "genossenschaft",
                       "inclusion-fund"]),  # inclusion-fund started in 2021
     ([(2016, 2016)], ["bakery-training", "cooperative-bakery", "genossenschaft", "repair-cafe"]),
     ([(2010, 2011)], ["bakery-training"]),
     ([(2012, 2012), (2019, 2019)], ["bakery-training", "cooperative-bakery"]),  # active in both years
     ([(1990, 2009)], [])],
)  # fmt: skip
def test_years_keep_the_practices_active_then(
    postings: Postings, years: list[tuple[int, int]], found: list[str]
) -> None:
    plan = plan_of(postings, "")
    assert slugs(postings, allowed_docs(plan, postings, postings.view.live, years)) == found


def test_a_label_of_several_words_needs_each_somewhere(postings: Postings) -> None:
    (unit,) = every_word_unit(["social", "cooperative"])  # digital-skills: "social" in a theme name counts
    assert slugs(postings, unit_docs(postings, unit)) == ["cooperative-bakery", "digital-skills"]
    (absent,) = every_word_unit(["social", "zzz"])
    assert unit_docs(postings, absent) == set()
    assert unit_docs(postings, Unit("every", (), ())) == set()


def soap_entry(n: int, body: str) -> dict[str, object]:
    return {"title": f"Workshop {n}", "summary": "A workshop.", "regions": ["riga"], "themes": ["work-integration"],
            "start_year": 2015, "body": body}  # fmt: skip


def test_five_full_matches_are_enough_and_four_are_widened(tmp_path: Path) -> None:
    """A query of three words that FEW (5) entries match in full lists those; with fewer, it is widened to the
    entries having most of the words, the full matches first."""
    full = {f"full-{n}": soap_entry(n, "Lavender honey soap made by hand.") for n in range(5)}
    partial = {f"partial-{n}": soap_entry(10 + n, "Lavender honey candles.") for n in range(2)}
    (tmp_path / "five").mkdir()
    (tmp_path / "four").mkdir()
    with search_corpus.opened(tmp_path / "five", full | partial) as engine:
        five = Postings(engine.view())
        found = run(five, "lavender honey soap")
        assert (len(found.docs), found.stage, found.required) == (5, "all", 3)
        assert complete(found, found.docs) == 5
    fewer = dict(list(full.items())[:4]) | partial
    with search_corpus.opened(tmp_path / "four", fewer) as engine:
        four = Postings(engine.view())
        widened = run(four, "lavender honey soap")
        assert (len(widened.docs), widened.stage, widened.required) == (6, "most", 2)
        assert complete(widened, widened.docs) == 4
