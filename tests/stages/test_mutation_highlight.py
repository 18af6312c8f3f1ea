"""Result entries (kb/search/highlight.py): the stored fields of each hit, and, when the query has words, its title
with the words marked (the whole title) and a snippet: the best fragments of the body's opening (two at most, in text
order, joined by " … "), else the best one of the summary. Marks are on the text as written (stems matched)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from kb import querylang
from kb.analysis import stemmed_spans
from kb.search import SearchEngine, SearchRequest, highlight
from kb.search.plan import Plan, compile_plan
from kb.search.postings import Postings
from kb.search.results import Hit, Segment

from .. import search_corpus

_FILLER = "The association trains new members every spring in the village hall. " * 3
# Three passages of the words far apart: the first has both words (the best, for its two different words), the
# second honey four times, the third five times (the second best).
APIARY = (
    "The members sell honey, wax candles and more honey at the weekly market. "
    + _FILLER
    + "Honey in jars, honey in combs, honey cakes and honey soap are made in the shared kitchen. "
    + _FILLER
    + "Honey tastings, honey walks, honey recipes, honey markets and a honey festival close the year."
)
# "orchard" once at the start of the summary, twice near its end (the better passage), never in the body.
ORCHARD_SUMMARY = (
    "Orchard visits for schools. Members look after old apple and pear trees, plant new ones every autumn, keep "
    "the meadow mown and count the birds that nest there each spring. Pruning courses in the orchard and an "
    "orchard shop."
)
ENTRIES: dict[str, dict[str, Any]] = {
    **search_corpus.ENTRIES,
    "apiary": {"title": "Village apiary", "summary": "Bees kept together.", "regions": ["riga"],
               "themes": ["social-inclusion"], "start_year": 2014, "body": APIARY},
    # Its organisation's name is the only text of its own words; searched by one test only (its texts unanalysed).
    "tool-library": {"title": "Tool library", "summary": "Tools lent for free.", "regions": ["riga"],
                     "themes": ["social-inclusion"], "start_year": 2017, "organisation": "Zunftwerkstatt Nord",
                     "body": "Drills and ladders are lent for a week."},
    "orchard": {"title": "Village fruit trees", "summary": ORCHARD_SUMMARY, "regions": ["riga"],
                "themes": ["social-inclusion"], "start_year": 2013, "body": "Fruit is pressed into juice."},
}  # fmt: skip


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchEngine]:
    with search_corpus.opened(tmp_path_factory.mktemp("highlight"), ENTRIES) as opened:
        yield opened


def search(engine: SearchEngine, q: str, sort: str = "") -> dict[str, Hit]:
    return {h.slug: h for h in engine.search(SearchRequest(q=q, sort=sort, expand=False)).hits}


def marked(segments: list[Segment]) -> list[str]:
    return [s.text for s in segments if s.match]


def text(segments: list[Segment]) -> str:
    return "".join(s.text for s in segments)


def docnum(engine: SearchEngine, slug: str) -> int:
    view = engine.view()
    return next(d for d in view.live if view.searcher.stored_fields(d)["slug"] == slug)


def plan(engine: SearchEngine, q: str) -> Plan:
    return compile_plan(querylang.parse(q), Postings(engine.view()))


# Stored fields


def test_a_hit_carries_the_entrys_stored_fields(engine: SearchEngine) -> None:
    hits = {h.slug: h for h in engine.search(SearchRequest(page_size=20)).hits}
    assert hits["inclusion-fund"] == Hit(
        slug="inclusion-fund", title="Inclusion fund", summary="Grants for social enterprises.",
        organisation="Example Association", regions=["mazovia", "haskovo"], countries=["BG", "PL"],
        themes=["social-inclusion", "work-integration"], scope="national", status="ongoing", start_year=2021,
        end_year=None, organisation_type="foundation", target_groups=["long-term-unemployed", "roma"],
        evidence_level="evaluated", score=None, snippet=[], title_marked=[Segment("Inclusion fund", False)],
    )  # fmt: skip
    ended = hits["repair-cafe"]  # completed in 2020, no evidence level stated, no target group
    assert (ended.end_year, ended.status, ended.evidence_level, ended.target_groups) == (
        2020,
        "completed",
        "",
        [],
    )
    assert (ended.scope, ended.organisation_type, ended.start_year) == ("local", "network", 2016)
    bakery = hits["cooperative-bakery"]
    assert (bakery.organisation, bakery.countries, bakery.themes) == (
        "Piekarnia Społeczna",
        ["PL"],
        ["work-integration"],
    )
    assert hits["garden-club"].target_groups == [] and hits["garden-club"].organisation_type == ""


def test_fields_an_index_does_not_hold_read_as_empty() -> None:
    hit = highlight.plain_hit({"slug": "bare", "title": "Bare entry", "summary": "Only the required fields."})
    assert hit == Hit(
        slug="bare", title="Bare entry", summary="Only the required fields.", organisation="", regions=[],
        countries=[], themes=[], scope="", status="", start_year=0, end_year=None, organisation_type="",
        target_groups=[], evidence_level="", score=None, snippet=[], title_marked=[Segment("Bare entry", False)],
    )  # fmt: skip


def test_without_words_a_hit_is_plain(engine: SearchEngine) -> None:
    for hit in engine.search(SearchRequest()).hits:
        assert hit.snippet == [] and hit.title_marked == [Segment(hit.title, False)] and hit.score is None
    view, doc = engine.view(), docnum(engine, "cooperative-bakery")
    (plain,) = highlight.hits(view, [doc], None, {doc: 2.0})
    assert plain.snippet == [] and plain.title_marked == [
        Segment("Cooperative bakery for young people", False)
    ]
    assert plain.score is None


# Titles


def test_the_whole_title_is_kept_around_a_word_at_its_start(engine: SearchEngine) -> None:
    hits = search(engine, "cooperative")
    assert hits["cooperative-bakery"].title_marked == [
        Segment("Cooperative", True), Segment(" bakery for young people", False),
    ]  # fmt: skip
    # The other matches have the word in their text only: their titles are unmarked.
    assert hits["digital-skills"].title_marked == [Segment("Digital skills for seniors", False)]
    assert hits["genossenschaft"].title_marked == [Segment("Musterstadt canteen", False)]


def test_a_word_at_the_end_of_the_title_and_a_title_only_match_has_no_snippet(engine: SearchEngine) -> None:
    hits = search(engine, "seniors")
    assert list(hits) == ["digital-skills"]
    assert hits["digital-skills"].title_marked == [
        Segment("Digital skills for ", False),
        Segment("seniors", True),
    ]
    assert hits["digital-skills"].snippet == []  # neither its summary nor its body says "seniors"


def test_words_next_to_each_other_are_marked_each(engine: SearchEngine) -> None:
    hits = search(engine, "young people")
    assert hits["cooperative-bakery"].title_marked == [
        Segment("Cooperative bakery for ", False), Segment("young", True), Segment(" ", False),
        Segment("people", True),
    ]  # fmt: skip


def test_marking_nothing_in_a_title_gives_nothing(engine: SearchEngine) -> None:
    view, doc = engine.view(), docnum(engine, "digital-skills")
    assert highlight.mark_whole(view, doc, "Digital skills for seniors", frozenset({"cooper"})) == []
    assert highlight.mark_whole(view, doc, "Digital skills for seniors", frozenset()) == []
    assert highlight.mark_whole(view, doc, "Digital skills for seniors", frozenset({"skill"})) == [
        Segment("Digital ", False), Segment("skills", True), Segment(" for seniors", False),
    ]  # fmt: skip


def test_a_prefix_marks_the_words_it_stands_for(engine: SearchEngine) -> None:
    hits = search(engine, "musterst*")
    assert hits["genossenschaft"].title_marked == [Segment("Musterstadt", True), Segment(" canteen", False)]
    assert hits["genossenschaft"].snippet == []  # no word of that start in its summary or body


# Snippets


def test_the_body_snippet_marks_the_word_as_written_in_each_hit(engine: SearchEngine) -> None:
    hits = search(engine, "cooperative")
    assert set(hits) == {"cooperative-bakery", "digital-skills", "genossenschaft"}
    bakery = hits["cooperative-bakery"].snippet
    assert bakery[:2] == [
        Segment("Young people without work learn baking in a social ", False), Segment("cooperative", True),
    ]  # fmt: skip
    assert text(bakery).startswith(
        "Young people without work learn baking in a social cooperative in Warsaw."
    )
    assert marked(hits["digital-skills"].snippet) == ["cooperative"]
    assert "A cooperative lends laptops" in text(hits["digital-skills"].snippet)
    assert marked(hits["genossenschaft"].snippet) == ["Cooperative"]
    assert text(hits["genossenschaft"].snippet).startswith(
        "The canteen cooks for schools. Cooperative members"
    )


def test_a_snippet_that_starts_with_the_word(engine: SearchEngine) -> None:
    hits = search(engine, "volunteers")
    skills = hits["digital-skills"].snippet
    assert skills[:3] == [
        Segment("Volunteers", True), Segment(" teach older people to use online public services. Young ", False),
        Segment("volunteers", True),
    ]  # fmt: skip
    assert marked(hits["repair-cafe"].snippet) == ["volunteers"]
    assert text(hits["repair-cafe"].snippet).startswith("Monthly meetings where volunteers repair clothes")


def test_the_two_best_passages_in_text_order_joined(engine: SearchEngine) -> None:
    snippet = search(engine, "honey wax")["apiary"].snippet
    passages = text(snippet).split(" … ")
    # The first passage (both words) and the third (five times honey) beat the second (four times honey).
    assert len(passages) == 2
    assert "The members sell honey, wax candles and more honey at the weekly market." in passages[0]
    assert "honey festival" in passages[1] and "soap" not in text(snippet)
    assert marked(snippet) == ["honey", "wax", "honey", "Honey", "honey", "honey", "honey", "honey"]
    assert [s for s in snippet if not s.match and " … " in s.text]  # the joint is plain text


def test_the_summary_answers_when_the_body_does_not(engine: SearchEngine) -> None:
    hits = search(engine, "neighbours")
    assert hits["repair-cafe"].snippet == [
        Segment("Neighbours", True),
        Segment(" repair things together", False),
    ]
    assert hits["garden-club"].snippet == [Segment("Gardens shared by ", False), Segment("neighbours", True)]


def test_one_passage_of_the_summary_the_best(engine: SearchEngine) -> None:
    snippet = search(engine, "orchard")["orchard"].snippet
    assert " … " not in text(snippet) and "visits" not in text(snippet)
    assert marked(snippet) == ["orchard", "orchard"]
    assert text(snippet).endswith("courses in the orchard and an orchard shop")


def test_a_snippet_keeps_the_text_between_marks(engine: SearchEngine) -> None:
    hits = search(engine, "social cooperative")
    bakery = hits["cooperative-bakery"].snippet
    assert Segment("social", True) in bakery and Segment(" ", False) in bakery
    assert all("\x02" not in s.text and "\x03" not in s.text for h in hits.values() for s in h.snippet)


# Scores


def test_scores_are_rounded_and_absent_when_not_ranked_by_relevance(engine: SearchEngine) -> None:
    view, doc, other = engine.view(), docnum(engine, "cooperative-bakery"), docnum(engine, "digital-skills")
    found = highlight.hits(view, [doc, other], plan(engine, "cooperative"), {doc: 1.23456789})
    assert [h.slug for h in found] == ["cooperative-bakery", "digital-skills"]
    assert found[0].score == 1.2346 and found[1].score is None
    assert marked(found[1].snippet) == ["cooperative"]
    newest = search(engine, "cooperative", sort="newest")
    assert {h.score for h in newest.values()} == {None}
    assert marked(newest["cooperative-bakery"].title_marked) == ["Cooperative"]
    relevance = search(engine, "cooperative")
    assert all(h.score is not None and h.score > 0 for h in relevance.values())


# The analysis of each text is kept for the next search


def test_each_text_is_analysed_once_and_only_when_it_may_hold_a_word(
    engine: SearchEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    search(engine, "cooperative")
    analysed: list[str] = []
    real = stemmed_spans

    def counting(value: str) -> Any:
        analysed.append(value)
        return real(value)

    monkeypatch.setattr(highlight, "stemmed_spans", counting)
    again = search(engine, "cooperative")
    assert analysed == [] and marked(again["genossenschaft"].snippet) == ["Cooperative"]
    # "zunftw*" stands for a word of an organisation's name only: no title, summary or body to mark or analyse.
    hits = search(engine, "zunftw*")
    assert list(hits) == ["tool-library"] and analysed == []
    assert hits["tool-library"].snippet == [] and hits["tool-library"].title_marked == [
        Segment("Tool library", False)
    ]
