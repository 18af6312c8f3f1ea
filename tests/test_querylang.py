"""The search box's grammar, clause by clause: what a typed query becomes, and every bound it keeps."""

from __future__ import annotations

import pytest

from kb import querylang
from kb.querylang import Clause, parse


def groups(text: str) -> list[list[tuple[str, str]]]:
    return [[(c.kind, c.text) for c in group] for group in parse(text).groups]


def test_words_are_and_ed_groups_in_order() -> None:
    assert groups("social cooperative") == [[("word", "social")], [("word", "cooperative")]]
    assert parse("social cooperative").words() == ["social", "cooperative"]


def test_or_joins_the_neighbours_into_one_group() -> None:
    assert groups("bakery OR kitchen training") == [
        [("word", "bakery"), ("word", "kitchen")], [("word", "training")]]  # fmt: skip
    assert groups("a OR b OR c") == [[("word", "a"), ("word", "b"), ("word", "c")]]


def test_or_at_the_start_or_in_lower_case_is_a_word() -> None:
    assert groups("OR bakery") == [[("word", "bakery")]]
    assert groups("bakery or kitchen") == [[("word", "bakery")], [("word", "or")], [("word", "kitchen")]]


def test_quoted_phrase_and_unclosed_quote() -> None:
    assert groups('"social cooperative" Warsaw') == [[("phrase", "social cooperative")], [("word", "Warsaw")]]
    assert groups('"social cooperative') == [[("phrase", "social cooperative")]]
    assert groups('"bakery"') == [[("word", "bakery")]]  # one quoted word is a word
    assert groups('""') == []


def test_phrase_keeps_at_most_eight_words() -> None:
    words = [f"w{i}" for i in range(12)]
    assert groups('"' + " ".join(words) + '"') == [[("phrase", " ".join(words[:8]))]]
    assert querylang.MAX_PHRASE_WORDS == 8


@pytest.mark.parametrize("minus", ["-", "!"])
def test_minus_and_bang_exclude(minus: str) -> None:
    parsed = parse(f'cooperative {minus}laptops {minus}"digital skills"')
    assert [(c.kind, c.text) for c in parsed.excluded] == [("word", "laptops"), ("phrase", "digital skills")]
    assert groups(f"cooperative {minus}laptops") == [[("word", "cooperative")]]


def test_prefix_needs_three_letters() -> None:
    assert groups("bak*") == [[("prefix", "bak")]]
    assert groups("ba*") == [[("word", "ba")]]
    assert groups("a*") == [[("word", "a")]]
    assert groups("*") == []
    assert groups("*a*") == [[("word", "a")]]
    assert querylang.MIN_PREFIX_CHARS == 3


def test_prefix_with_inner_star_or_space_is_words() -> None:
    assert groups("ba*ke*") == [[("phrase", "ba ke")]]


@pytest.mark.parametrize(
    ("typed", "field"),
    [("region:Masowien", "region"), ("regions:Masowien", "region"), ("theme:inclusion", "theme"),
     ("themes:inclusion", "theme"), ("thema:inclusion", "theme"), ("country:PL", "country"),
     ("countries:PL", "country"), ("land:PL", "country"), ("status:ongoing", "status"), ("year:2015", "year"),
     ("jahr:2015", "year"), ("REGION:Masowien", "region")],
)  # fmt: skip
def test_field_filters_and_their_aliases(typed: str, field: str) -> None:
    parsed = parse(typed + " bakery")
    assert parsed.filters == [(field, typed.split(":", 1)[1])]
    assert groups(typed + " bakery") == [[("word", "bakery")]]  # the words after a filter still count


def test_quoted_filter_value_and_empty_filter() -> None:
    assert parse('region:"Rhein Neckar"').filters == [("region", "Rhein Neckar")]
    assert parse("region:").filters == []
    assert groups("region:") == [[("word", "region")]]  # an unfinished filter is searched as the word


def test_unknown_field_is_read_as_words() -> None:
    assert groups("body:[a TO zzzz]") == [[("phrase", "body a")], [("word", "TO")], [("word", "zzzz")]]
    assert groups("colour:red") == [[("phrase", "colour red")]]


def test_long_query_is_cut_with_a_note() -> None:
    parsed = parse("bakery " + "x" * 290 + " bicycles")  # "bicycles" starts after character 300
    assert "bicycles" not in parsed.words()
    assert parsed.shortened and parsed.dropped_terms == 0
    assert querylang.MAX_QUERY_CHARS == 300
    assert not parse("x" * 300).shortened and parse("x" * 301).shortened


def test_terms_beyond_sixteen_are_dropped_with_a_note() -> None:
    parsed = parse(" ".join(f"w{i}" for i in range(20)))
    assert len(parsed.groups) == 16 and parsed.words()[-1] == "w15"
    assert parsed.dropped_terms == 4 and not parsed.shortened
    assert parse(" ".join(f"w{i}" for i in range(16))).dropped_terms == 0


def test_exclusions_and_filters_are_capped_too() -> None:
    parsed = parse(" ".join(f"-x{i} region:r{i}" for i in range(20)))
    assert len(parsed.excluded) == 16 and len(parsed.filters) == 16


def test_clean_drops_control_characters_and_surrogates_and_normalises() -> None:
    assert querylang.clean("a\x00b\u200bc") == "a b c"
    assert querylang.clean("\ud800lone") == "lone"
    assert querylang.clean("Azeme\u0301is") == "Azeméis"  # NFC
    assert querylang.clean("  many   spaces ") == "many spaces"
    assert len(querylang.clean("x" * 5000)) == 2000


def test_punctuation_is_not_part_of_words() -> None:
    assert groups("bakery, (kitchen)!") == [[("word", "bakery")], [("word", "kitchen")]]
    assert groups("co-operative") == [[("word", "co-operative")]]
    assert groups("Café's") == [[("word", "Café's")]]


def test_has_text_and_clause_values() -> None:
    assert not parse("region:mazovia").has_text
    assert parse("bakery").has_text
    assert parse("bakery").groups[0][0] == Clause("word", "bakery")


def test_a_lone_surrogate_inside_a_word_is_dropped_not_split() -> None:
    """Half of a broken emoji or a bad copy-paste inside a word leaves the word whole."""
    for surrogate in ("\ud800", "\udbff", "\udc00", "\udfff"):  # both ends of both halves
        assert querylang.clean(f"coop{surrogate}erative") == "cooperative", repr(surrogate)


@pytest.mark.parametrize(
    "character",
    ["\x07", "\u200b", "\ue000", "\U000f0000", "\u0378"],
    ids=["control", "format", "private use", "private use, plane 15", "unassigned"],
)
def test_invisible_and_unassigned_characters_separate_words(character: str) -> None:
    assert querylang.clean(f"social{character}cooperative") == "social cooperative"
    assert parse(f"social{character}cooperative").words() == ["social", "cooperative"]


def test_a_filter_value_keeps_its_first_hundred_characters() -> None:
    assert parse("region:" + "m" * 150).filters == [("region", "m" * 100)]
    assert parse('region:"  Rhein Neckar  "').filters == [("region", "Rhein Neckar")]


def test_a_star_inside_quotes_is_not_a_prefix() -> None:
    assert groups('"bak*"') == [[("word", "bak")]]
    assert groups('"bak* kitchen"') == [[("phrase", "bak kitchen")]]
    assert groups('"* bakery *"') == [[("word", "bakery")]]


def test_a_prefix_keeps_its_letters_as_typed() -> None:
    assert groups("BOX*") == [[("prefix", "BOX")]]
    assert groups("bakery**") == [[("prefix", "bakery")]]


def test_an_unknown_field_with_a_star_is_words_not_a_prefix() -> None:
    assert groups("colour:bak*") == [[("phrase", "colour bak")]]


@pytest.mark.parametrize("nothing", ["-", "*", "!!!", "***", '""'])
def test_a_term_with_nothing_to_search_does_not_end_the_query(nothing: str) -> None:
    assert groups(f"{nothing} bakery kitchen") == [[("word", "bakery")], [("word", "kitchen")]]
