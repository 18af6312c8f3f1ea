"""How typed regions, themes and target groups resolve (kb/filters.py): what `kb resolve`, /api/resolve and the
search's filter notes show, score by score, at the edges of the thresholds."""

from __future__ import annotations

import pytest

from kb.filters import WINNER_MARGIN, WINNER_SCORE, Match, Resolution, label_of, resolve
from kb.taxonomy import Taxonomy, load_taxonomy

from ..conftest import DATA


@pytest.fixture(scope="module")
def targets_taxonomy() -> Taxonomy:
    """Three regions, three themes and four target groups with near neighbours (tests/data/taxonomy-targets.yaml)."""
    return load_taxonomy(DATA / "taxonomy-targets.yaml")


@pytest.mark.parametrize("typed", ["", "   ", "---", "()"])
def test_nothing_to_read_resolves_to_nothing(targets_taxonomy: Taxonomy, typed: str) -> None:
    assert resolve(targets_taxonomy, "theme", typed) == Resolution("theme", typed, None, [])


def test_an_exact_name_is_applied_and_says_what_was_typed(targets_taxonomy: Taxonomy) -> None:
    result = resolve(targets_taxonomy, "region", "MASOWIEN")
    assert result == Resolution(
        "region", "MASOWIEN", "mazovia", [Match("mazovia", "Mazovia", 100.0, "MASOWIEN")]
    )
    assert result.exact and result.status == "resolved"


def test_a_close_name_says_which_name_it_matched(targets_taxonomy: Taxonomy) -> None:
    result = resolve(targets_taxonomy, "target", "jobseeker")
    assert result.matches == [Match("unemployed", "Unemployed people", 94.7, "jobseekers")]
    assert result.chosen == "unemployed" and not result.exact


def test_target_groups_resolve_by_their_names_in_any_language(targets_taxonomy: Taxonomy) -> None:
    result = resolve(targets_taxonomy, "target", "arbeitslose")
    assert result.chosen == "unemployed" and result.exact
    assert result.matches[0] == Match("unemployed", "Unemployed people", 100.0, "arbeitslose")
    assert label_of(targets_taxonomy, "target", "unemployed", "de") == "Arbeitslose"


def test_an_exact_name_wins_over_a_close_runner_up(targets_taxonomy: Taxonomy) -> None:
    """`communities` names Local communities and is most of `Roma communities`: the exact name is applied."""
    result = resolve(targets_taxonomy, "target", "communities")
    assert [(m.key, m.score) for m in result.matches] == [("local-communities", 100.0), ("roma", 95.0)]
    assert result.matches[0].score - result.matches[1].score < WINNER_MARGIN
    assert result.chosen == "local-communities"


def test_two_close_candidates_are_offered_not_applied(targets_taxonomy: Taxonomy) -> None:
    result = resolve(targets_taxonomy, "theme", "digtal inclusion")
    assert [(m.key, m.score, m.matched) for m in result.matches] == [
        ("digitalisation", 97.0, "digital inclusion"),
        ("social-inclusion", 90.0, "inclusion"),
    ]
    assert result.chosen is None and result.status == "ambiguous"


def test_the_margin_and_the_winning_score_are_inclusive(targets_taxonomy: Taxonomy) -> None:
    margin = resolve(targets_taxonomy, "target", "unemployed for many yeas")  # one letter missing
    assert [m.score for m in margin.matches[:2]] == [98.0, 90.0]  # exactly the margin apart
    assert margin.chosen == "long-term-unemployed" and WINNER_MARGIN == 8.0
    at_threshold = resolve(targets_taxonomy, "target", "long-teim-utemeloyed")  # 17 of 20 letters right
    assert at_threshold.matches[0].score == WINNER_SCORE == 85.0
    assert at_threshold.chosen == "long-term-unemployed"


def test_scores_are_shown_to_one_decimal(targets_taxonomy: Taxonomy) -> None:
    assert resolve(targets_taxonomy, "region", "Rga").matches == [Match("riga", "Riga", 85.7, "Riga")]


def test_short_words_count_whole_and_longer_ones_may_be_part_of_a_name(targets_taxonomy: Taxonomy) -> None:
    # One letter is "part of" almost every name: below four letters only the whole typed text is compared.
    assert resolve(targets_taxonomy, "theme", "y").status == "unknown"
    # From four letters a name may contain the typed text: `inkl` is the start of Inklusion.
    four = resolve(targets_taxonomy, "theme", "inkl")
    assert four.matches[0] == Match("social-inclusion", "Social inclusion", 90.0, "Soziale Inklusion")
    assert four.chosen == "social-inclusion"


def test_the_default_cutoff_keeps_a_candidate_at_sixty(targets_taxonomy: Taxonomy) -> None:
    assert resolve(targets_taxonomy, "region", "has").matches == [
        Match("haskovo", "Haskovo", 60.0, "haskovo")
    ]
    assert resolve(targets_taxonomy, "region", "has", cutoff=61.0).matches == []


def test_at_most_five_candidates_are_offered(real_taxonomy: Taxonomy) -> None:
    assert len(resolve(real_taxonomy, "theme", "social").matches) == 5
    assert len(resolve(real_taxonomy, "theme", "social", limit=2).matches) == 2


def test_typed_text_is_read_up_to_two_hundred_characters(targets_taxonomy: Taxonomy) -> None:
    result = resolve(targets_taxonomy, "region", "Mazovia" + "-" * 300)  # separators fold away
    assert result.chosen == "mazovia" and result.matches[0].matched == "Mazovia" + "-" * 193
    assert result.text == "Mazovia" + "-" * 300


def test_labels_are_shown_in_the_readers_language(targets_taxonomy: Taxonomy) -> None:
    """What a match is labelled with: the English name by default, the item's name in the language asked."""
    assert [label_of(targets_taxonomy, "region", "mazovia", lang) for lang in ("en", "de", "fr")] == [
        "Mazovia", "Masowien", "Mazovia"]  # fmt: skip
    assert label_of(targets_taxonomy, "region", "riga") == "Riga"  # not the English name listed under names
    assert label_of(targets_taxonomy, "theme", "social-inclusion", "pl") == "Włączenie społeczne"
    assert label_of(targets_taxonomy, "target", "roma", "de") == "Roma"
