"""Checking a search request and reading its filters (kb/search/request.py): the messages a caller gets for a bad
request, and which keys a typed region, theme, country, closed-list value or year applies."""

from __future__ import annotations

import pytest

from kb import querylang
from kb.errors import QueryError
from kb.search.request import MAX_PAGE, country_code, parse_years, resolve_choice, select, validate
from kb.search.results import FilterChoice, SearchRequest
from kb.taxonomy import Taxonomy

from .. import search_corpus


@pytest.fixture(scope="module")
def targets_taxonomy() -> Taxonomy:
    return search_corpus.taxonomy()


@pytest.mark.parametrize(
    ("request_", "message"),
    [(SearchRequest(sort="random"), "unknown sort 'random'; use one of relevance, newest, title, evidence"),
     (SearchRequest(sort="x" * 50), f"unknown sort {'x' * 30!r}; use one of relevance, newest, title, evidence"),
     (SearchRequest(page=0), "page must be 1 or more"),
     (SearchRequest(page=-3), "page must be 1 or more"),
     (SearchRequest(page_size=0), "page size must be between 1 and 100"),
     (SearchRequest(page_size=101), "page size must be between 1 and 100"),
     (SearchRequest(filters={"colour": ["red"], "bogus": []}),
      "unknown filter 'bogus'; use one of region, country, theme, scope, status, evidence, target, organisation_type")],
)  # fmt: skip
def test_a_bad_request_is_refused_with_what_to_use(request_: SearchRequest, message: str) -> None:
    with pytest.raises(QueryError) as raised:
        validate(request_)
    assert str(raised.value) == message


def test_a_good_request_passes_unchanged_up_to_the_last_page() -> None:
    request = SearchRequest(q="x", sort="newest", page=3, page_size=100, filters={"region": ["mazovia"]})
    assert validate(request) == request
    assert validate(SearchRequest(page_size=1)).page_size == 1
    assert validate(SearchRequest(page=MAX_PAGE)).page == MAX_PAGE == 10_000
    assert validate(SearchRequest(page=MAX_PAGE + 1)).page == MAX_PAGE


def test_filters_from_the_request_and_the_query_are_read_together(targets_taxonomy: Taxonomy) -> None:
    request = SearchRequest(filters={"region": ["Masowien, Хасково; nowhere"], "status": [" Completed "]})
    parsed = querylang.parse(
        "region:mazovia target:Arbeitslose theme:digtal country:lv country:Poland scope:LOCAL"
    )
    selection = select(request, parsed, targets_taxonomy, 60.0)
    assert selection.selected == {
        "region": ["mazovia", "haskovo"], "country": ["LV", "PL"], "theme": [], "scope": ["local"],
        "status": ["completed"], "evidence": [], "target": ["unemployed"], "organisation_type": [],
    }  # fmt: skip
    assert [(c.kind, c.typed, c.status, c.key) for c in selection.choices] == [
        ("region", "Masowien", "resolved", "mazovia"), ("region", "Хасково", "resolved", "haskovo"),
        ("region", "nowhere", "unknown", None), ("region", "mazovia", "resolved", "mazovia"),
        ("theme", "digtal", "ambiguous", None), ("target", "Arbeitslose", "resolved", "unemployed"),
    ]  # fmt: skip
    assert selection.years == []


def test_each_facet_reads_at_most_twenty_values(targets_taxonomy: Taxonomy) -> None:
    values = ["nowhere"] * 20 + ["Mazovia"]
    selection = select(SearchRequest(filters={"region": values}), querylang.parse(""), targets_taxonomy, 60.0)
    assert len(selection.choices) == 20 and selection.selected["region"] == []


def test_years_are_spans_at_most_four(targets_taxonomy: Taxonomy) -> None:
    parsed = querylang.parse("year:2015-2010 jahr:2018 year:2001 year:2002 year:2003")
    assert select(SearchRequest(), parsed, targets_taxonomy, 60.0).years == [
        (2010, 2015), (2018, 2018), (2001, 2001), (2002, 2002)]  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "span"),
    [("2018", (2018, 2018)), ("2015-2020", (2015, 2020)), ("2020-2015", (2015, 2020)), ("2015 to 2016", (2015, 2016)),
     ("2001-2003-1999", (2001, 2003)), ("in 2019!", (2019, 2019))],
)  # fmt: skip
def test_a_year_filter_reads_its_first_two_years(typed: str, span: tuple[int, int]) -> None:
    assert parse_years(typed) == span


def test_a_year_filter_without_a_year_says_how_to_write_one() -> None:
    with pytest.raises(QueryError) as raised:
        parse_years("soon, in 15 years or so")
    assert str(raised.value) == (
        "year filter 'soon, in 15 years or' needs a four-digit year, such as year:2015 or year:2015-2020"
    )


def test_closed_lists_and_countries_name_what_they_accept(targets_taxonomy: Taxonomy) -> None:
    with pytest.raises(QueryError) as scope:
        select(
            SearchRequest(filters={"scope": ["planetary" * 10]}), querylang.parse(""), targets_taxonomy, 60.0
        )
    assert str(scope.value) == (
        f"unknown scope {('planetary' * 10)[:40]!r}; use one of local, regional, national, european"
    )
    with pytest.raises(QueryError) as country:
        select(SearchRequest(), querylang.parse("country:Narnia"), targets_taxonomy, 60.0)
    assert str(country.value) == "unknown country 'Narnia'; use one of BG, LV, PL"


@pytest.mark.parametrize(("typed", "code"), [("PL", "PL"), ("pl", "PL"), ("Poland", "PL"), ("POLAND", "PL"),
                                             ("Bulgaria", "BG"), ("lv", "LV"), ("Latvia", None), ("el", None)])  # fmt: skip
def test_a_country_is_its_code_or_its_name(targets_taxonomy: Taxonomy, typed: str, code: str | None) -> None:
    assert country_code(typed, targets_taxonomy.countries) == code


def test_greece_is_also_el_as_in_nuts(real_taxonomy: Taxonomy) -> None:
    assert (
        country_code("EL", real_taxonomy.countries) == country_code("Greece", real_taxonomy.countries) == "GR"
    )


def test_a_resolved_choice_is_labelled_in_the_interface_language(targets_taxonomy: Taxonomy) -> None:
    assert resolve_choice(targets_taxonomy, "target", "Arbeitslose", 60.0, "de") == FilterChoice(
        kind="target", typed="Arbeitslose", status="resolved", key="unemployed", label="Arbeitslose", exact=True,
        alternatives=[{"key": "long-term-unemployed", "label": "Langzeitarbeitslose", "score": 90.0}],
    )  # fmt: skip


def test_an_ambiguous_choice_offers_every_candidate(targets_taxonomy: Taxonomy) -> None:
    assert resolve_choice(targets_taxonomy, "theme", "digtal inclusion", 60.0, "de") == FilterChoice(
        kind="theme", typed="digtal inclusion", status="ambiguous", key=None, label=None, exact=False,
        alternatives=[{"key": "digitalisation", "label": "Digitalisierung", "score": 97.0},
                      {"key": "social-inclusion", "label": "Soziale Inklusion", "score": 90.0}],
    )  # fmt: skip


def test_the_cutoff_is_the_callers(targets_taxonomy: Taxonomy) -> None:
    assert resolve_choice(targets_taxonomy, "region", "has", 60.0, "en").alternatives == [
        {"key": "haskovo", "label": "Haskovo", "score": 60.0}]  # fmt: skip
    assert resolve_choice(targets_taxonomy, "region", "has", 61.0, "en").alternatives == []


def test_choices_of_a_request_are_labelled_in_its_language(targets_taxonomy: Taxonomy) -> None:
    request = SearchRequest(filters={"target": ["unemployed"]}, lang="de")
    [choice] = select(request, querylang.parse(""), targets_taxonomy, 60.0).choices
    assert (choice.key, choice.label) == ("unemployed", "Arbeitslose")


def test_a_long_unknown_country_is_quoted_by_its_first_forty_characters(targets_taxonomy: Taxonomy) -> None:
    typed = "Narnia" * 10
    with pytest.raises(QueryError) as country:
        select(SearchRequest(filters={"country": [typed]}), querylang.parse(""), targets_taxonomy, 60.0)
    assert str(country.value) == f"unknown country {typed[:40]!r}; use one of BG, LV, PL"
