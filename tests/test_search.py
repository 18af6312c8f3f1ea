"""Search behaviour a policymaker notices: ranking, query syntax, bounded queries, facets, typos, similar entries."""

from __future__ import annotations

import functools
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import whoosh
from whoosh import query

from bench.generate import generate
from kb import analysis, querylang, whoosh_adapter
from kb.config import Settings
from kb.errors import QueryError
from kb.reindex import reindex
from kb.search import SearchEngine, SearchRequest, SearchResults
from kb.search.plan import ClausePlan, Plan, Unit, compile_plan
from kb.search.postings import Postings
from kb.search.view import SizedCache
from kb.taxonomy import Taxonomy, load_taxonomy

from .conftest import DATA, ROOT, WriteEntry, similar_by_whoosh, write_entry_file


@pytest.fixture(scope="module", autouse=True, params=["private", "public"])
def whoosh_path(request: pytest.FixtureRequest) -> Iterator[str]:
    """Every search test runs on both paths of kb/whoosh_adapter.py: Whoosh internals and public APIs only."""
    whoosh_adapter.use_private_paths(request.param == "private")
    assert whoosh_adapter.private_paths() == (request.param == "private")
    yield request.param
    whoosh_adapter.use_private_paths(True)


def test_another_whoosh_version_takes_the_public_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(whoosh, "versionstring", lambda: "2.7.5")
    whoosh_adapter.use_private_paths(True)
    assert not whoosh_adapter.private_paths()


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, whoosh_path: str) -> Iterator[SearchEngine]:
    """Five small entries, indexed once per module and Whoosh path (the tests only read them)."""
    base = tmp_path_factory.mktemp(f"search-{whoosh_path}")
    content = base / "practices"
    content.mkdir()
    shutil.copy(DATA / "taxonomy.yaml", content / "taxonomy.yaml")
    settings = Settings(content_dir=content, index_dir=base / "index")
    write_entry = functools.partial(write_entry_file, content)
    write_entry(
        "cooperative-bakery",
        title="Cooperative bakery for young people",
        summary="A bakery run as a social cooperative.",
        regions=["mazovia"],
        themes=["work-integration"],
        start_year=2012,
        body="Young people without work learn baking in a social cooperative in Warsaw.",
    )
    write_entry(
        "digital-skills",
        title="Digital skills for seniors",
        summary="Courses on phones and computers.",
        regions=["haskovo"],
        themes=["digitalisation", "social-inclusion"],
        start_year=2019,
        body="Volunteers teach older people to use online public services. A cooperative lends laptops.",
    )
    write_entry(
        "repair-cafe",
        title="Repair café network",
        summary="Neighbours repair things together.",
        regions=["oliveira-de-azemeis"],
        themes=["social-inclusion"],
        start_year=2016,
        status="completed",
        end_year=2020,
        body="Monthly meetings where volunteers repair clothes and bicycles.",
    )
    write_entry("inclusion-fund", title="Inclusion fund", summary="Grants for social enterprises.",
                regions=["mazovia", "haskovo"], themes=["social-inclusion", "work-integration"], start_year=2021,
                body="Small grants help social enterprises hire people with disabilities. Social economy "
                     "support centres advise applicants.")  # fmt: skip
    write_entry(
        "bakery-training",
        title="Training kitchen",
        summary="Cooking courses.",
        regions=["haskovo"],
        themes=["work-integration"],
        start_year=2010,
        body="A training kitchen where refugees learn to cook; the bakery next door hires graduates.",
    )
    summary = reindex(settings, full=True)
    assert summary.failed == 0
    engine = SearchEngine(settings.index_dir, load_taxonomy(settings.taxonomy_path))
    yield engine
    engine.close()


def slugs(results: SearchResults) -> list[str]:
    return [h.slug for h in results.hits]


def test_title_match_ranks_above_body_only_match(engine: SearchEngine) -> None:
    results = engine.search(SearchRequest(q="bakery"))
    assert slugs(results)[0] == "cooperative-bakery"  # "bakery" in the title
    assert "bakery-training" in slugs(results)  # "bakery" only in the body
    assert slugs(results).index("cooperative-bakery") < slugs(results).index("bakery-training")


def test_all_words_must_match_then_relaxes_to_any(engine: SearchEngine) -> None:
    both = engine.search(SearchRequest(q="cooperative laptops"))
    assert slugs(both) == ["digital-skills"]
    assert not both.relaxed
    relaxed = engine.search(SearchRequest(q="laptops bicycles"))
    assert relaxed.relaxed
    assert sorted(slugs(relaxed)) == ["digital-skills", "repair-cafe"]


def test_phrase_or_and_exclusion(engine: SearchEngine) -> None:
    assert slugs(engine.search(SearchRequest(q='"social cooperative"'))) == ["cooperative-bakery"]
    either = engine.search(SearchRequest(q="laptops OR bicycles"))
    assert sorted(slugs(either)) == ["digital-skills", "repair-cafe"] and not either.relaxed
    assert slugs(engine.search(SearchRequest(q="cooperative -laptops"))) == ["cooperative-bakery"]


def test_field_filters_in_the_query(engine: SearchEngine) -> None:
    assert sorted(slugs(engine.search(SearchRequest(q="region:Хасково")))) == [
        "bakery-training", "digital-skills", "inclusion-fund"]  # fmt: skip
    assert slugs(engine.search(SearchRequest(q="status:completed"))) == ["repair-cafe"]
    assert slugs(engine.search(SearchRequest(q="country:Portugal"))) == ["repair-cafe"]
    assert slugs(engine.search(SearchRequest(q="theme:digitalization"))) == ["digital-skills"]
    active_2018 = engine.search(SearchRequest(q="year:2018"))  # running that year
    assert sorted(slugs(active_2018)) == ["bakery-training", "cooperative-bakery", "repair-cafe"]


def test_accents_and_stems_fold(engine: SearchEngine) -> None:
    assert slugs(engine.search(SearchRequest(q="repair cafe"))) == ["repair-cafe"]
    assert slugs(engine.search(SearchRequest(q="Azemeis"))) == ["repair-cafe"]  # region name, unaccented
    assert "digital-skills" in slugs(engine.search(SearchRequest(q="teaching volunteer")))


def test_highlights_show_original_words_not_stems(engine: SearchEngine) -> None:
    hit = engine.search(SearchRequest(q="volunteers")).hits[0]
    marked = [s.text for s in hit.snippet if s.match]
    assert marked and all(m.lower() == "volunteers" for m in marked)


@pytest.mark.parametrize(
    ("q", "total", "notes"),
    [("*a*", 0, ["common-words"]), ("a*", 0, ["common-words"]), ("abc~3", 0, []), ("body:[a TO zzzz]", 0, []),
     # "word" is in no entry: read as "work", the three entries of the theme Work integration
     (" ".join(["word"] * 500), 3, ["shortened", "too-many-terms"]),
     ("(" * 2000 + "x" + ")" * 2000, 5, ["shortened"]),  # the first 300 characters hold no word: everything
     ('"' + " ".join(["social"] * 500) + '"', 0, ["shortened"]), ("\x00\x01\ud800 lone surrogate", 0, []),
     ("OR OR OR", 5, []), ("-", 5, []), ("*", 5, []), (":", 5, []), ("_", 5, []),
     ("region:", 2, [])],  # an unfinished filter is the word "region": the Mazovia region's alias has it
)  # fmt: skip
def test_adversarial_queries_answer_as_a_reader_would_expect(
    engine: SearchEngine, q: str, total: int, notes: list[str]
) -> None:
    results = engine.search(SearchRequest(q=q))
    assert results.total == total and results.page == 1
    assert [n.code for n in results.notes] == notes


def test_long_query_is_shortened_with_a_note(engine: SearchEngine) -> None:
    results = engine.search(SearchRequest(q="bakery " * 100))
    assert {n.code for n in results.notes} == {"shortened", "too-many-terms"}
    assert results.total > 0


def test_facets_or_within_and_across_and_counts_ignore_own_selection(engine: SearchEngine) -> None:
    results = engine.search(SearchRequest(filters={"region": ["haskovo"], "theme": ["work-integration"]}))
    assert sorted(slugs(results)) == ["bakery-training", "inclusion-fund"]
    region_counts = {v.key: v.count for v in results.facets["region"]}
    # Regions counted with the theme applied but not the region selection.
    assert region_counts == {"mazovia": 2, "haskovo": 2}
    theme_counts = {v.key: v.count for v in results.facets["theme"]}
    # Themes counted within Haskovo, ignoring the theme selection.
    assert theme_counts == {"digitalisation": 1, "social-inclusion": 2, "work-integration": 2}
    either = engine.search(SearchRequest(filters={"region": ["haskovo", "oliveira-de-azemeis"]}))
    assert len(slugs(either)) == 4
    selected = [v.key for v in either.facets["region"] if v.selected]
    assert sorted(selected) == ["haskovo", "oliveira-de-azemeis"]


def test_typed_region_resolves_fuzzily(engine: SearchEngine) -> None:
    results = engine.search(SearchRequest(filters={"region": ["Masowien"]}))
    assert results.filters[0].key == "mazovia" and results.filters[0].status == "resolved"
    assert sorted(slugs(results)) == ["cooperative-bakery", "inclusion-fund"]
    unknown = engine.search(SearchRequest(filters={"region": ["Atlantis"]}))
    assert unknown.filters[0].status == "unknown"
    assert unknown.total == 5  # an unresolved filter is reported, not silently applied


def test_single_letter_typo_is_corrected(engine: SearchEngine) -> None:
    results = engine.search(SearchRequest(q="bakrey"))
    assert results.suggestion == "bakery"
    assert results.corrected_from == "bakrey"
    assert slugs(results)[0] == "cooperative-bakery"
    missing_letter = engine.search(SearchRequest(q="volunters"))
    assert missing_letter.suggestion == "volunteers" and missing_letter.total == 2


def test_sort_and_pagination(engine: SearchEngine) -> None:
    newest = engine.search(SearchRequest(sort="newest"))
    assert [h.start_year for h in newest.hits] == sorted((h.start_year for h in newest.hits), reverse=True)
    by_title = engine.search(SearchRequest(sort="title", page_size=2, page=2))
    assert by_title.pages == 3 and by_title.page == 2
    assert [h.title for h in by_title.hits] == ["Inclusion fund", "Repair café network"]
    beyond = engine.search(SearchRequest(sort="title", page_size=2, page=999))
    assert beyond.page == 3 and len(beyond.hits) == 1


@pytest.mark.parametrize(
    "request_",
    [SearchRequest(sort="random"), SearchRequest(page=0), SearchRequest(page_size=1000),
     SearchRequest(filters={"status": ["maybe"]}), SearchRequest(filters={"country": ["Narnia"]}), SearchRequest(q="year:soon")],
)  # fmt: skip
def test_bad_parameters_raise_query_error(engine: SearchEngine, request_: SearchRequest) -> None:
    with pytest.raises(QueryError):
        engine.search(request_)


def test_browse_without_words_lists_everything_by_title(engine: SearchEngine) -> None:
    results = engine.search(SearchRequest())
    assert results.total == 5 and results.sort == "title"
    assert [h.title for h in results.hits] == sorted(h.title for h in results.hits)


def test_similar_practices_exclude_the_practice_itself(engine: SearchEngine) -> None:
    similar = [h.slug for h in engine.similar("cooperative-bakery")]
    assert "cooperative-bakery" not in similar
    assert similar and similar[0] in {"bakery-training", "inclusion-fund", "digital-skills"}


def test_counts_per_facet(engine: SearchEngine) -> None:
    counts = engine.counts()
    assert counts["region"] == {"mazovia": 2, "haskovo": 3, "oliveira-de-azemeis": 1}
    assert counts["status"] == {"ongoing": 4, "completed": 1}


def test_missing_index_is_reported(tmp_path: Path, taxonomy: Taxonomy) -> None:
    from kb.errors import IndexNotBuilt

    with pytest.raises(IndexNotBuilt):
        SearchEngine(tmp_path / "nothing", taxonomy).search(SearchRequest(q="x"))


@pytest.mark.parametrize("incremental", [False, True], ids=["one segment", "several segments, deletions"])
def test_ranking_scores_every_match_as_whoosh_would(
    settings: Settings, taxonomy: Taxonomy, incremental: bool
) -> None:
    """The engine ranks from cached per-term score tables; they must give Whoosh's own BM25F scores."""
    generate(settings.content_dir, 240, seed=11, taxonomy=DATA / "taxonomy.yaml")
    reindex(settings, full=True)
    if incremental:  # rewritten entries land in a new segment; their old documents stay as deletions
        for path in sorted(settings.content_dir.glob("generated-*.md"))[::8]:
            path.write_text(path.read_text(encoding="utf-8").replace("## Results", "Cooperative.\n\n## Results"),
                            encoding="utf-8")  # fmt: skip
        assert reindex(settings).updated == 30
    engine = SearchEngine(settings.index_dir, taxonomy)
    try:
        view = engine.view()
        if incremental:
            assert len(view.searcher.reader().leaf_readers()) > 1
        for q in (
            "social cooperative",
            "digital skills -repair",
            '"social cooperative" training',
            "refugees",
        ):
            ours = engine.search(SearchRequest(q=q, page_size=100))
            whoosh_query = as_whoosh_query(compile_plan(querylang.parse(q), Postings(view)))
            theirs = view.searcher.search(whoosh_query, limit=100, optimize=False)  # exact: no block skipping
            assert ours.total == len(theirs) > 0
            expected = {hit["slug"]: hit.score for hit in theirs}
            assert {h.slug: h.score for h in ours.hits} == {
                s: pytest.approx(v, abs=1e-3) for s, v in expected.items()
            }
            scores = [h.score or 0.0 for h in ours.hits]
            assert scores == sorted(scores, reverse=True)
    finally:
        engine.close()


def as_whoosh_query(plan: Plan) -> query.Query:
    """The plan as the Whoosh query it means: Or of a word's fields, And of a name's words, Phrase; clauses and
    groups as Or and And; exclusions as AndNot."""

    def unit(u: Unit) -> query.Query:
        terms = [query.Term(f, t) for f, t in u.terms]
        if u.need == "phrase":
            return query.Phrase(u.terms[0][0], [t for _f, t in u.terms])
        if u.need == "every":
            return query.And([query.Or([query.Term(f, t) for f, t in part]) for part in u.parts])
        return query.Or(terms) if u.need == "any" else query.And(terms)

    def clause(c: ClausePlan) -> query.Query:
        return query.Or([unit(u) for u in c.units])

    q: query.Query = query.And([query.Or([clause(c) for c in g.clauses]) for g in plan.groups])
    if plan.excluded:
        q = query.AndNot(q, query.Or([clause(c) for c in plan.excluded]))
    return q


def test_highlighting_sees_the_words_the_index_sees() -> None:
    """Snippets come from `stemmed_spans`, a fast copy of the stemming analyser: both must agree."""
    analyzer = analysis.stemming_analyzer()
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "practices").glob("*.md"))]
    texts.append("Ünïcödé Café's co-operative: Azeméis, 3.5 jobs; U.S. straße ĲSSEL i.e. e-mail A b")
    for text in texts:
        expected = [(None if t.stopped else t.text, t.startchar, t.endchar)
                    for t in analyzer(text, chars=True, removestops=False)]  # fmt: skip
        assert list(analysis.stemmed_spans(text)) == expected


def test_posting_caches_stay_within_their_budget(engine: SearchEngine) -> None:
    """Any mix of queries keeps a worker's cached posting tables under a fixed number of documents."""
    view = engine.view()
    full, view.score_cache = view.score_cache, SizedCache(6)
    for q in (
        "bakery",
        "cooperative social",
        "training kitchen",
        "digital seniors",
        "repair",
        "grants inclusion",
    ):
        assert engine.search(SearchRequest(q=q)).total > 0
        assert view.score_cache.size <= 6 or len(view.score_cache) == 1
    assert (
        engine.search(SearchRequest(q="bakery")).hits[0].slug == "cooperative-bakery"
    )  # evicted: read again
    view.score_cache = full


def test_a_typo_among_good_words_is_corrected_before_relaxing_to_any_word(engine: SearchEngine) -> None:
    results = engine.search(SearchRequest(q="bakrey cooperative"))
    assert results.corrected_from == "bakrey cooperative" and not results.relaxed
    assert slugs(results)[0] == "cooperative-bakery"


def test_marked_titles_keep_every_character(
    settings: Settings, write_entry: WriteEntry, taxonomy: Taxonomy
) -> None:
    write_entry("law", title="«Social economy» law 5/2011 (Spain)", body="A law for the social economy.")
    reindex(settings, full=True)
    engine = SearchEngine(settings.index_dir, taxonomy)
    try:
        hit = engine.search(SearchRequest(q="spain social")).hits[0]
    finally:
        engine.close()
    assert "".join(s.text for s in hit.title_marked) == "«Social economy» law 5/2011 (Spain)"
    assert [s.text for s in hit.title_marked if s.match] == ["Social", "Spain"]


def test_prefix_search_finds_every_word_with_that_start(engine: SearchEngine) -> None:
    assert sorted(slugs(engine.search(SearchRequest(q="bak*")))) == ["bakery-training", "cooperative-bakery"]
    assert slugs(engine.search(SearchRequest(q="volunt*"))) != []
    assert engine.search(SearchRequest(q="ba*")).total == 0  # two letters: the word "ba", in no entry


def test_words_after_a_field_filter_still_count(engine: SearchEngine) -> None:
    assert slugs(engine.search(SearchRequest(q="region:mazovia bakery"))) == ["cooperative-bakery"]
    assert slugs(engine.search(SearchRequest(q="bakery region:haskovo"))) == ["bakery-training"]


def test_bang_excludes_like_minus(engine: SearchEngine) -> None:
    assert slugs(engine.search(SearchRequest(q="cooperative !laptops"))) == ["cooperative-bakery"]


def test_german_filter_aliases(engine: SearchEngine) -> None:
    assert slugs(engine.search(SearchRequest(q="land:Portugal"))) == ["repair-cafe"]
    assert slugs(engine.search(SearchRequest(q="thema:digitalization"))) == ["digital-skills"]
    assert sorted(slugs(engine.search(SearchRequest(q="jahr:2018")))) == [
        "bakery-training", "cooperative-bakery", "repair-cafe"]  # fmt: skip


def test_words_beyond_the_length_cap_are_not_searched(engine: SearchEngine) -> None:
    results = engine.search(SearchRequest(q="bakery " + "x" * 290 + " bicycles"))
    assert "repair-cafe" not in slugs(results)
    assert [n.code for n in results.notes] == ["shortened"]


def test_a_query_of_common_words_only_says_so(engine: SearchEngine) -> None:
    results = engine.search(SearchRequest(q="the of"))
    assert results.total == 0
    assert [n.code for n in results.notes] == ["common-words"]
    assert results.notes[0].text.endswith("left out: the, of")


def test_a_typo_next_to_a_word_in_no_entry_is_corrected_and_relaxed(engine: SearchEngine) -> None:
    results = engine.search(SearchRequest(q="cooperatve zzzqqq"))
    assert results.corrected_from == "cooperatve zzzqqq" and results.suggestion == "cooperative zzzqqq"
    assert results.match == "any" and results.total == 2  # the bakery and the laptops: "cooperative"


def test_most_of_the_words_before_any_word(engine: SearchEngine) -> None:
    results = engine.search(SearchRequest(q="bakery cooperative warsaw laptops"))  # no entry has all four
    assert results.match == "most" and results.required == 3 and results.words == 4
    assert slugs(results) == ["cooperative-bakery"]  # bakery, cooperative and Warsaw
    fewer = engine.search(SearchRequest(q="bakery refugees bicycles laptops"))  # at most two in any entry
    assert fewer.match == "any" and fewer.relaxed
    assert slugs(fewer)[0] == "bakery-training"  # bakery and refugees: the most words first


def test_words_typed_with_or_without_accents_are_not_corrected(
    settings: Settings, write_entry: WriteEntry, taxonomy: Taxonomy
) -> None:
    write_entry("pl", title="Spółdzielnia socjalna in Warsaw", body="A spółdzielnia socjalna employs people.")
    reindex(settings, full=True)
    engine = SearchEngine(settings.index_dir, taxonomy)
    try:
        for typed in ("spółdzielnia socjalna", "spoldzielnia socjalna", "SPÓŁDZIELNIA"):
            results = engine.search(SearchRequest(q=typed))
            assert results.suggestion is None and slugs(results) == ["pl"], typed
        assert engine.search(SearchRequest(q="spółdzielna")).suggestion == "spółdzielnia"
    finally:
        engine.close()


def test_similar_practices_rank_as_whoosh_scores_each_key_term(engine: SearchEngine) -> None:
    """`similar` sums, for each of the practice's key terms, the term's weight times its BM25 score (as Whoosh's
    `more_like` means to), from the cached tables; here the same sum from Whoosh's own single-term searches."""
    searcher = engine.view().searcher
    for slug in ("cooperative-bakery", "digital-skills", "repair-cafe", "inclusion-fund", "bakery-training"):
        assert [h.slug for h in engine.similar(slug)] == similar_by_whoosh(searcher, slug), slug


def test_question_words_are_left_out_of_a_query_with_other_words() -> None:
    assert analysis.content_words("How to finance social enterprises?") == [
        "finance",
        "social",
        "enterprises",
    ]
    assert analysis.content_words("who") == ["who"]  # alone, it is what was asked for
