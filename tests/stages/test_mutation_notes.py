"""Notes on how a query was read (kb/search/notes.py): the code an interface translates, its values, and the
English text, for each reason a query was not searched as typed."""

from __future__ import annotations

from kb import querylang
from kb.search.notes import TEXTS, note, notes_for
from kb.search.plan import ClausePlan, Group, Plan
from kb.search.results import Note

WORDS = Plan((Group((ClausePlan("bakery", ()),)),), (), True)  # a plan that still has words to search
NOTHING = Plan((), (), False)


def test_a_query_read_as_typed_has_no_notes() -> None:
    assert notes_for(querylang.parse("bakery"), WORDS) == []
    assert notes_for(querylang.parse(""), NOTHING) == []


def test_a_shortened_query_says_how_long_it_may_be() -> None:
    assert notes_for(querylang.parse("bakery " + "x" * 300), WORDS) == [
        Note("shortened", "Your query was shortened to its first 300 characters.", {"chars": 300})
    ]


def test_terms_beyond_the_cap_say_how_many_were_used() -> None:
    assert notes_for(querylang.parse(" ".join(f"w{i}" for i in range(17))), WORDS) == [
        Note("too-many-terms", "Only the first 16 search terms were used.", {"terms": 16})
    ]


def test_common_words_only_are_named() -> None:
    parsed = querylang.parse('the OR of "to be"')
    assert notes_for(parsed, Plan((), (), True)) == [
        Note(
            "common-words",
            "Some words are too common to search for and were left out: the, of, to be",
            {"words": "the, of, to be"},
        )
    ]


def test_both_limits_are_noted_in_order() -> None:
    parsed = querylang.parse(" ".join(["word"] * 100))
    assert [n.code for n in notes_for(parsed, WORDS)] == ["shortened", "too-many-terms"]


def test_every_code_has_a_text_with_its_values() -> None:
    assert note("shortened", chars=5).text == TEXTS["shortened"].format(chars=5)
    assert set(TEXTS) == {"shortened", "too-many-terms", "common-words"}
