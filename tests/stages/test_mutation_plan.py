"""The query plan (kb/search/plan.py): what each typed clause is looked up as, field by field, analysed as that
field was indexed; and what is left out (stop words, punctuation, prefixes beyond their bound)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kb.analysis import stem_english
from kb.querylang import Clause, parse
from kb.search.plan import (
    MAX_PREFIX_TERMS,
    PLAIN_FIELDS,
    ClausePlan,
    Group,
    Plan,
    Unit,
    compile_clause,
    compile_plan,
    every_word_unit,
    word_terms,
    words_units,
)
from kb.search.postings import Postings
from kb.searchable import TEXT_FIELDS

from .. import search_corpus

STEMMED = ("title", "summary", "body", "keywords", "topics")


@pytest.fixture(scope="module")
def postings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Postings]:
    with search_corpus.opened(tmp_path_factory.mktemp("plan")) as engine:
        yield Postings(engine.view())


def terms(word: str) -> tuple[tuple[str, str], ...]:
    """The word in every field: stemmed where the field stems, folded elsewhere."""
    return tuple((f.name, stem_english(word) if f.name in STEMMED else word) for f in TEXT_FIELDS)


def test_a_word_is_sought_in_every_field_as_that_field_indexed_it() -> None:
    assert word_terms("volunteers") == (
        ("title", "volunt"), ("summary", "volunt"), ("body", "volunt"), ("organisation", "volunteers"),
        ("keywords", "volunt"), ("places", "volunteers"), ("topics", "volunt"), ("local", "volunteers"),
    )  # fmt: skip
    assert [f.name for f in PLAIN_FIELDS] == ["organisation", "places", "local"]
    assert word_terms("volunteers", PLAIN_FIELDS) == (
        ("organisation", "volunteers"), ("places", "volunteers"), ("local", "volunteers"))  # fmt: skip


def test_a_typed_word_is_folded_and_becomes_one_unit(postings: Postings) -> None:
    assert compile_clause(Clause("word", "Volunteers"), postings) == ClausePlan(
        "Volunteers", (Unit("any", terms("volunteers")),)
    )
    assert compile_clause(Clause("word", "Azeméis"), postings) == ClausePlan(
        "Azeméis", (Unit("any", terms("azemeis")),)
    )


def test_several_words_must_stand_in_a_row_in_one_field(postings: Postings) -> None:
    plan = compile_clause(Clause("phrase", "Social Cooperatives"), postings)
    assert plan is not None and plan.typed == "Social Cooperatives"
    assert plan.units == tuple(
        Unit("phrase", ((f.name, "social"), (f.name, "cooper" if f.name in STEMMED else "cooperatives")))
        for f in TEXT_FIELDS
    )
    assert words_units(["social", "cooperatives"], plain_only=True) == tuple(
        Unit("phrase", ((f.name, "social"), (f.name, "cooperatives"))) for f in PLAIN_FIELDS
    )


def test_stop_words_and_punctuation_leave_nothing_to_seek(postings: Postings) -> None:
    assert compile_clause(Clause("word", "the"), postings) is None
    assert compile_clause(Clause("phrase", "of the"), postings) is None
    assert compile_clause(Clause("phrase", "the social"), postings) == ClausePlan(
        "the social", (Unit("any", terms("social")),)
    )
    assert words_units([]) == () and every_word_unit([]) == ()


def test_a_thesaurus_label_is_every_word_anywhere() -> None:
    assert every_word_unit(["bakery"]) == (Unit("any", terms("bakery")),)
    assert every_word_unit(["social", "cooperative"]) == (
        Unit("every", terms("social") + terms("cooperative"), (terms("social"), terms("cooperative"))),
    )


def test_a_prefix_stands_for_the_indexed_terms_it_starts(postings: Postings) -> None:
    assert compile_clause(Clause("prefix", "Bak"), postings) == ClausePlan(
        "Bak",
        (Unit("any", (("title", "bakeri"), ("summary", "bakeri"), ("body", "bake"), ("body", "bakeri"))),),
    )
    assert compile_clause(Clause("prefix", "zzz"), postings) == ClausePlan("zzz", (Unit("any", ()),))


def test_a_prefix_stands_for_at_most_64_terms_per_field_in_term_order(postings: Postings) -> None:
    plan = compile_clause(Clause("prefix", "PLOT"), postings)
    assert plan is not None
    assert plan.units[0].terms == (("body", "plot"), *tuple(("body", f"plot{n:03d}") for n in range(1, 64)))
    assert MAX_PREFIX_TERMS == 64


def test_a_query_compiles_to_groups_of_alternatives_and_exclusions(postings: Postings) -> None:
    plan = compile_plan(parse("the OR bakery volunteers -repair -the"), postings)
    assert plan == Plan(
        groups=(Group((ClausePlan("bakery", (Unit("any", terms("bakery")),)),)),
                Group((ClausePlan("volunteers", (Unit("any", terms("volunteers")),)),))),
        excluded=(ClausePlan("repair", (Unit("any", terms("repair")),)),),
        typed_words=True,
    )  # fmt: skip
    assert plan.has_text and plan.words() == 2


def test_a_query_of_stop_words_had_words_but_has_none_to_seek(postings: Postings) -> None:
    plan = compile_plan(parse("the of"), postings)
    assert plan == Plan((), (), True) and not plan.has_text and plan.words() == 0
    assert compile_plan(parse("region:riga"), postings) == Plan((), (), False)


def test_typed_clauses_are_those_the_thesaurus_did_not_add() -> None:
    typed = ClausePlan("bakery", ())
    added = ClausePlan("bakehouse", (), expansion_of="bakery")
    assert Group((typed, added)).typed == (typed,)


def test_a_word_of_another_language_is_sought_only_where_words_stay_unstemmed() -> None:
    plain = [f.name for f in TEXT_FIELDS if f.analysis == "plain"]
    [unit] = words_units(["backerei"], plain_only=True)
    assert [field for field, _term in unit.terms] == plain and {t for _f, t in unit.terms} == {"backerei"}
    [everywhere] = words_units(["backerei"])
    assert [field for field, _term in everywhere.terms] == [f.name for f in TEXT_FIELDS]
