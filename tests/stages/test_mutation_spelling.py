"""Spelling (kb/search/spelling.py): which words a correction may be, which typed words are corrected, and how the
correction is put back into the typed query."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kb import querylang
from kb.search.postings import Postings
from kb.search.spelling import _replace_word, correction, suggest, vocabulary

from .. import search_corpus

ENTRIES = dict(search_corpus.ENTRIES)
ENTRIES["year-in-text"] = {
    "title": "Bakers' year", "summary": "A bakery founded in 2015.", "regions": ["riga"],
    "themes": ["work-integration"], "start_year": 2015, "body": "Since 2015 the bakers bake rye bread at 5 am.",
}  # fmt: skip
ENTRIES["tailors"] = {
    "title": "Tailor and sailor", "summary": "A tailor's workshop.", "regions": ["riga"], "themes": ["work-integration"],
    "start_year": 2016, "body": "A retired sailor teaches young people to sew.",
}  # fmt: skip
ENTRIES["more-tailors"] = {
    "title": "Tailoring course", "summary": "Sewing for a living.", "regions": ["riga"], "themes": ["work-integration"],
    "start_year": 2017, "body": "Every tailor here trained in the course.",
}  # fmt: skip


@pytest.fixture(scope="module")
def postings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Postings]:
    with search_corpus.opened(Path(tmp_path_factory.mktemp("spelling")), ENTRIES) as engine:
        yield Postings(engine.view())


def test_the_vocabulary_is_the_words_of_four_letters_or_more_without_numbers(postings: Postings) -> None:
    words = vocabulary(postings.view)
    assert {"bakery", "cooperative", "bread", "since", "plot001"} <= set(words)
    assert not {"am", "to", "in", "5", "rye", "use"} & set(words)  # too short to correct into
    assert "2015" not in words  # a number is no word
    assert vocabulary(postings.view) is words  # read once per view


def test_an_unknown_word_is_corrected_to_the_closest_known_one(postings: Postings) -> None:
    assert correction(postings, "bakrey") == "bakery"  # two edits in a word of six letters
    assert correction(postings, "Cooperatve") == "cooperative"


def test_short_known_numeric_or_far_words_are_not_corrected(postings: Postings) -> None:
    assert correction(postings, "ryx") is None  # under four letters
    assert correction(postings, "bakery") is None  # known
    assert correction(postings, "b4kery") is None  # not a word of letters
    assert correction(postings, "bxkrey") is None  # three edits


def test_of_equally_close_words_the_one_in_more_entries_wins(postings: Postings) -> None:
    # "bailor" is one edit from "sailor" and from "tailor"; "tailor" is in two entries.
    assert correction(postings, "bailor") == "tailor"


def test_a_short_word_allows_one_edit_and_a_longer_one_two(postings: Postings) -> None:
    assert correction(postings, "bakrs") == "bakers"  # one edit in five letters
    assert correction(postings, "brxd") is None  # "bread": two edits from four letters
    assert correction(postings, "braed") is None  # two edits (a swap) from five letters
    assert correction(postings, "brxadx") == "bread"  # two edits from six letters


def test_the_typed_query_keeps_everything_but_the_corrected_word() -> None:
    assert _replace_word("social  bakry", "bakry", "bakery") == "social  bakery"  # two spaces stay two
    assert _replace_word("bakry, cooperative", "bakry", "bakery") == "bakery, cooperative"
    assert _replace_word("(Xanthy)", "Xanthy", "Xanthi") == "(Xanthi)"  # only punctuation is stripped
    assert _replace_word('"bakry" bakry', "bakry", "bakery") == '"bakry" bakery'  # not inside quotes
    assert _replace_word("bakery", "bakry", "bakery") == "bakery"  # not found: unchanged


def test_a_suggestion_corrects_every_unknown_word_and_never_a_known_one(postings: Postings) -> None:
    query = "bakrey cooperatve"
    assert suggest(postings, querylang.parse(query), query) == "bakery cooperative"
    assert suggest(postings, querylang.parse(query), query, frozenset({"bakrey"})) == "bakrey cooperative"
    assert suggest(postings, querylang.parse("bakery"), "bakery") is None
