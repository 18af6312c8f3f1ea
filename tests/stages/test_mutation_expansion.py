"""Cross-lingual expansion (kb/search/expansion.py): which thesaurus labels a query's words add (three English
labels, one per other language, never the words as typed), in which fields, how words of another language that
name one concept together are then looked for, the budget of added clauses, what the reader is shown
(`Expansion`), and the map read again when a reindex rewrites it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kb import crosslingual
from kb.querylang import parse
from kb.search.expansion import ENGLISH_LABELS, MAX_CLAUSES, Expanded, Expanders, expand, label_clauses
from kb.search.plan import ClausePlan, Group, Plan, compile_plan
from kb.search.postings import Postings
from kb.search.results import Expansion
from kb.searchable import TEXT_FIELDS
from kb.thesaurus import LANGUAGES

from .. import search_corpus

# The fields that keep words unstemmed: names and local-language text.
PLAIN = {"organisation", "places", "local"}
EVERY_FIELD = {f.name for f in TEXT_FIELDS}
SOCIAL_COOPERATIVE = ["social cooperative", "social co-operative"]


def thesaurus_map() -> dict[str, Any]:
    """The corpus's map, with more labels and concepts: four English labels and two German ones for bakery (and a
    French label of one letter, nothing to search), a concept whose only label is the word itself, one without an
    English label, and three made-up concepts with labels in many languages (the budget of added clauses)."""
    data = search_corpus.expander_map()
    concepts, forms, phrases = data["concepts"], data["forms"], data["phrases"]
    concepts["bakery"] = {"en": ["bakery", "bakehouse", "bake shop", "bread shop"], "de": ["Bäckerei", "Backstube"],
                          "fr": ["à"]}  # fmt: skip
    concepts["kitchen"] = {"en": ["kitchen"]}
    forms["en"]["kitchen"] = ["kitchen"]
    phrases.append(["kitchen", "en", ["kitchen"]])
    concepts["reuse"] = {"de": ["Wiederverwendung"], "lv": ["atkārtota izmantošana"]}
    forms["de"]["wiederverwendung"] = ["wiederverwendung"]
    phrases.append(["reuse", "de", ["wiederverwendung"]])
    for name, languages in (("alpha", LANGUAGES), ("beta", LANGUAGES[:7]), ("gamma", LANGUAGES)):
        labels = {lang: [f"{name}{lang}"] for lang in languages}
        labels["en"] = [f"{name}en{n}" for n in (1, 2, 3)]
        concepts[name] = labels
        forms["en"][name] = [name]
        phrases.append([name, "en", [name]])
    return data


@pytest.fixture(scope="module")
def expander() -> crosslingual.Expander:
    return crosslingual.Expander(thesaurus_map())


@pytest.fixture(scope="module")
def postings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Postings]:
    with search_corpus.opened(tmp_path_factory.mktemp("expansion")) as engine:
        yield Postings(engine.view())


def plan_of(postings: Postings, query: str) -> Plan:
    return compile_plan(parse(query), postings)


def fields(clause: ClausePlan) -> set[str]:
    return {field for unit in clause.units for field, _term in unit.terms}


def names(group: Group) -> list[str]:
    return [c.typed for c in group.clauses]


def test_the_bounds() -> None:
    assert (MAX_CLAUSES, ENGLISH_LABELS) == (24, 3)


def test_three_english_labels_then_one_per_other_language_never_the_word_as_typed(
    expander: crosslingual.Expander,
) -> None:
    clauses = label_clauses(expander, "bakery", "Bäckerei")
    # "bread shop" is the fourth English label; "Bäckerei" is what was typed, and the German label is the only
    # one of German ("Backstube" is a second); the French label "à" has no word to search.
    assert [c.typed for c in clauses] == ["bakery", "bakehouse", "bake shop"]
    assert all(c.expansion_of == "Bäckerei" for c in clauses)
    assert [c.typed for c in label_clauses(expander, "bakery", "BÄCKEREI")] == [
        "bakery",
        "bakehouse",
        "bake shop",
    ]
    assert [c.typed for c in label_clauses(expander, "bakery", "bakery")] == [
        "bakehouse",
        "bake shop",
        "Bäckerei",
    ]
    assert [c.typed for c in label_clauses(expander, "bakery", "bakeries")] == [
        "bakery", "bakehouse", "bake shop", "Bäckerei"]  # fmt: skip


def test_english_labels_are_every_word_anywhere(expander: crosslingual.Expander) -> None:
    one, _house, two = label_clauses(expander, "bakery", "Bäckerei")
    assert [u.need for u in one.units] == ["any"] and fields(one) == EVERY_FIELD
    assert [u.need for u in two.units] == ["every"] and fields(two) == EVERY_FIELD
    assert [sorted({t for _f, t in part}) for part in two.units[0].parts] == [["bake"], ["shop"]]


def test_labels_of_other_languages_are_sought_as_written_in_names_and_local_text(
    expander: crosslingual.Expander,
) -> None:
    clauses = label_clauses(expander, "social-cooperative", "Sozialgenossenschaften")
    assert [c.typed for c in clauses] == [
        *SOCIAL_COOPERATIVE,
        "Sozialgenossenschaft",
        "spółdzielnia socjalna",
    ]
    german, polish = clauses[2], clauses[3]
    assert [u.need for u in german.units] == ["any"] and fields(german) == PLAIN
    assert german.units[0].terms == tuple(
        (f, "sozialgenossenschaft") for f in ("organisation", "places", "local")
    )
    assert [u.need for u in polish.units] == ["phrase"] * 3 and fields(polish) == PLAIN
    assert all([t for _f, t in u.terms] == ["spoldzielnia", "socjalna"] for u in polish.units)


def test_a_concept_the_map_does_not_label_adds_nothing(expander: crosslingual.Expander) -> None:
    assert label_clauses(expander, "no-such-concept", "bakery") == []


def test_nothing_to_expand(expander: crosslingual.Expander, postings: Postings) -> None:
    plan = plan_of(postings, "bakery")
    assert expand(plan, None, "en") == Expanded(plan, [], frozenset())
    common = plan_of(postings, "the of")  # stop words only: no group
    assert expand(common, expander, "en") == Expanded(common, [], frozenset())


def test_one_word_of_another_language_keeps_its_clause_and_gains_the_labels(
    expander: crosslingual.Expander, postings: Postings
) -> None:
    plan = plan_of(postings, "Sozialgenossenschaften")
    found = expand(plan, expander, "en")
    (group,) = found.plan.groups
    assert group.clauses[0] == plan.groups[0].clauses[0]  # as typed, in every field
    assert names(group) == ["Sozialgenossenschaften", *SOCIAL_COOPERATIVE, "Sozialgenossenschaft",
                            "spółdzielnia socjalna"]  # fmt: skip
    assert all(c.expansion_of == "Sozialgenossenschaften" for c in group.clauses[1:])
    assert group.typed == plan.groups[0].clauses
    assert found.expansions == [Expansion("Sozialgenossenschaften", "social-cooperative", "de", "social cooperative",
                                          SOCIAL_COOPERATIVE)]  # fmt: skip
    assert found.words == frozenset({"Sozialgenossenschaften"})
    assert found.plan.excluded == plan.excluded and found.plan.typed_words


@pytest.mark.parametrize(
    ("lang", "label"),
    [("en", "social cooperative"), ("de", "Sozialgenossenschaft"), ("fr", "social cooperative")],
)
def test_the_concept_is_named_in_the_interface_language_or_else_in_english(
    expander: crosslingual.Expander, postings: Postings, lang: str, label: str
) -> None:
    (shown,) = expand(plan_of(postings, "Sozialgenossenschaften"), expander, lang).expansions
    assert shown.label == label


@pytest.mark.parametrize(("lang", "label"), [("en", "reuse"), ("lv", "atkārtota izmantošana")])
def test_a_concept_without_english_labels(
    expander: crosslingual.Expander, postings: Postings, lang: str, label: str
) -> None:
    found = expand(plan_of(postings, "Wiederverwendung"), expander, lang)
    assert names(found.plan.groups[0]) == ["Wiederverwendung", "atkārtota izmantošana"]
    # No English label searched; the label shown is the interface language's, else the concept's id.
    assert found.expansions == [Expansion("Wiederverwendung", "reuse", "de", label, [])]


def test_words_of_another_language_naming_one_concept_are_sought_together(
    expander: crosslingual.Expander, postings: Postings
) -> None:
    found = expand(plan_of(postings, "spółdzielni socjalnej"), expander, "en")
    first, second = found.plan.groups
    together = first.clauses[0]
    assert (
        second.clauses[0] is together
        and together.typed == "spółdzielni socjalnej"
        and not together.expansion_of
    )
    assert [u.need for u in together.units] == ["phrase"] * 3 and fields(together) == PLAIN
    assert all([t for _f, t in u.terms] == ["spoldzielni", "socjalnej"] for u in together.units)
    added = [*SOCIAL_COOPERATIVE, "Sozialgenossenschaft", "spółdzielnia socjalna"]
    assert names(first) == names(second) == ["spółdzielni socjalnej", *added]
    assert all(c.expansion_of == "spółdzielni socjalnej" for c in first.clauses[1:])
    assert found.expansions == [Expansion("spółdzielni socjalnej", "social-cooperative", "pl", "social cooperative",
                                          SOCIAL_COOPERATIVE)]  # fmt: skip
    assert found.words == frozenset({"spółdzielni", "socjalnej"})


def test_english_words_naming_one_concept_stay_as_typed(
    expander: crosslingual.Expander, postings: Postings
) -> None:
    plan = plan_of(postings, "social cooperative")
    found = expand(plan, expander, "en")
    first, second = found.plan.groups
    added = ["social co-operative", "Sozialgenossenschaft", "spółdzielnia socjalna"]  # not the label typed
    assert names(first) == ["social", *added] and names(second) == ["cooperative", *added]
    assert first.clauses[0] == plan.groups[0].clauses[0] and second.clauses[0] == plan.groups[1].clauses[0]
    assert found.expansions == [
        Expansion(
            "social cooperative", "social-cooperative", "en", "social cooperative", ["social co-operative"]
        )
    ]


def test_words_with_alternatives_stay_as_typed(expander: crosslingual.Expander, postings: Postings) -> None:
    plan = plan_of(postings, "spółdzielni socjalnej OR bakery")
    found = expand(plan, expander, "en")
    first, second = found.plan.groups
    added = [*SOCIAL_COOPERATIVE, "Sozialgenossenschaft", "spółdzielnia socjalna"]
    assert names(first) == ["spółdzielni", *added]
    assert names(second) == ["socjalnej", "bakery", *added, "bakehouse", "bake shop", "Bäckerei"]
    assert first.typed == plan.groups[0].clauses and second.typed == plan.groups[1].clauses
    assert [(e.typed, e.concept) for e in found.expansions] == [
        ("spółdzielni socjalnej", "social-cooperative"), ("bakery", "bakery")]  # fmt: skip


def test_each_concept_adds_to_the_words_that_name_it(
    expander: crosslingual.Expander, postings: Postings
) -> None:
    found = expand(plan_of(postings, "bakery social cooperative zzzqqq"), expander, "en")
    bakery, social, cooperative, other = found.plan.groups
    assert names(bakery) == ["bakery", "bakehouse", "bake shop", "Bäckerei"]
    assert names(social)[1:] == names(cooperative)[1:] == ["social co-operative", "Sozialgenossenschaft",
                                                             "spółdzielnia socjalna"]  # fmt: skip
    assert names(other) == ["zzzqqq"]
    assert found.words == frozenset({"bakery", "social", "cooperative"})
    assert [e.concept for e in found.expansions] == ["bakery", "social-cooperative"]


def test_a_concept_with_nothing_to_add_does_not_stop_the_next(
    expander: crosslingual.Expander, postings: Postings
) -> None:
    found = expand(plan_of(postings, "kitchen bakery"), expander, "en")
    kitchen, bakery = found.plan.groups
    assert names(kitchen) == ["kitchen"] and names(bakery) == ["bakery", "bakehouse", "bake shop", "Bäckerei"]
    assert [e.concept for e in found.expansions] == ["bakery"]
    assert found.words == frozenset({"bakery"})  # "kitchen" added nothing: it may still be corrected


def test_the_clauses_added_in_all_are_bounded(expander: crosslingual.Expander, postings: Postings) -> None:
    found = expand(plan_of(postings, "alpha beta gamma"), expander, "en")
    alpha, beta, gamma = (len(g.clauses) - 1 for g in found.plan.groups)
    # 3 English labels and 11 other languages, 3 and 6, then what is left of the budget.
    assert (alpha, beta, gamma) == (14, 9, 1) and alpha + beta + gamma == MAX_CLAUSES
    assert [(e.concept, e.searched) for e in found.expansions] == [
        ("alpha", ["alphaen1", "alphaen2", "alphaen3"]), ("beta", ["betaen1", "betaen2", "betaen3"]),
        ("gamma", ["gammaen1"])]  # fmt: skip
    assert found.words == frozenset({"alpha", "beta", "gamma"})


def test_the_first_64_words_are_looked_at(expander: crosslingual.Expander) -> None:
    def plan(fillers: int) -> Plan:
        words = " ".join(["zz"] * fillers + ["bakery"])
        return Plan((Group((ClausePlan(words, ()),)),), (), True)

    assert [e.typed for e in expand(plan(63), expander, "en").expansions] == ["bakery"]
    unread = plan(64)
    assert expand(unread, expander, "en") == Expanded(unread, [], frozenset())


def test_the_map_is_read_once_and_again_when_rewritten(tmp_path: Path) -> None:
    expanders = Expanders(tmp_path)
    assert expanders.path == tmp_path / crosslingual.MAP_FILE
    assert expanders.current() is None  # no map (no thesaurus)
    crosslingual.write_map(tmp_path, thesaurus_map())
    first = expanders.current()
    assert first is not None and first.digest == "corpus" and "alpha" in first.labels
    assert expanders.current() is first
    crosslingual.write_map(tmp_path, {**search_corpus.expander_map(), "digest": "rewritten"})
    second = expanders.current()
    assert second is not None and second is not first and second.digest == "rewritten"
    assert "alpha" not in second.labels and expanders.current() is second
    crosslingual.remove_map(tmp_path)
    assert expanders.current() is None
