"""Posting tables (kb/search/postings.py): which documents hold a term, words in a row, prefixes and frequencies,
each read once per view and cached. (That the scores are Whoosh's own BM25F is tests/test_search.py's.)"""

from __future__ import annotations

from collections.abc import Iterator, Set

import pytest

from kb.analysis import BM25_B, BM25_K1, stem_english
from kb.search.postings import Postings

from .. import search_corpus


@pytest.fixture(scope="module")
def postings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Postings]:
    with search_corpus.opened(tmp_path_factory.mktemp("postings")) as engine:
        yield Postings(engine.view())


def slugs(postings: Postings, docs: Set[int]) -> list[str]:
    return sorted(postings.view.searcher.stored_fields(d)["slug"] for d in docs)


def body(*words: str) -> list[str]:
    return [stem_english(w) for w in words]


def test_a_term_in_no_entry_has_an_empty_table_remembered(postings: Postings) -> None:
    assert postings.scores("body", "zzz") == {}
    assert postings.view.score_cache.get(("body", "zzz")) == {}
    assert postings.docs("title", "zzz") == set()


def test_a_term_table_holds_every_document_with_the_term(postings: Postings) -> None:
    assert slugs(postings, postings.docs("body", "cooper")) == [
        "cooperative-bakery",
        "digital-skills",
        "genossenschaft",
    ]
    assert postings.scores("body", "cooper") is postings.scores("body", "cooper")  # read once
    assert all(score > 0 for score in postings.scores("body", "cooper").values())


def test_a_word_over_several_fields_sums_its_scores(postings: Postings) -> None:
    title, text = postings.scores("title", "cooper"), postings.scores("body", "cooper")
    summed = postings.summed([("title", "cooper"), ("body", "cooper")])
    assert summed == {d: title.get(d, 0.0) + text.get(d, 0.0) for d in title.keys() | text.keys()}
    assert postings.summed([("title", "cooper"), ("body", "cooper")]) is summed  # cached
    assert postings.summed([("body", "cooper")]) is text  # one field: its own table


def test_the_shorter_field_scores_a_word_higher(postings: Postings) -> None:
    """BM25's length normalisation, K1 * (1 - B + B * length / average length): largest for the longest body."""
    scores = postings.scores("body", "week")  # only the long garden-club body has it
    norms = postings.view.norms["body"]
    (doc,) = scores
    lengths = [postings.view.reader.doc_field_length(d, "body") for d in range(len(norms))]
    average = postings.view.searcher.avg_field_length("body")
    assert norms[doc] == pytest.approx(BM25_K1 * (1 - BM25_B + BM25_B * lengths[doc] / average))
    assert norms[doc] > max(n for d, n in enumerate(norms) if d != doc)


def test_all_of_needs_every_term(postings: Postings) -> None:
    both = [("body", "young"), ("body", "peopl")]
    assert slugs(postings, postings.all_of(both)) == [
        "cooperative-bakery",
        "digital-skills",
        "genossenschaft",
    ]
    assert slugs(postings, postings.all_of(reversed(both))) == slugs(postings, postings.all_of(both))
    assert postings.all_of([("body", "young"), ("body", "zzz"), ("body", "peopl")]) == set()
    assert postings.all_of([]) == set()


@pytest.mark.parametrize(
    ("words", "found"),
    [(body("young", "people"), ["cooperative-bakery", "genossenschaft"]),  # in a row; apart in digital-skills
     (body("people", "young"), ["genossenschaft"]),  # "young people. Young cooks": order counts, not full stops
     (body("social", "cooperative"), ["cooperative-bakery"]),
     (body("cooperative", "social"), []),
     (body("social", "economy", "support"), ["inclusion-fund"]),
     (body("social", "support"), []),  # a word between
     (body("members", "meet", "every", "week"), ["garden-club"]),
     (body("week", "members"), []),
     (body("young", "zzz"), []),
     (body("young", "people", "learn"), [])],  # the first two in a row, the third further on
)  # fmt: skip
def test_a_phrase_needs_its_words_in_a_row(postings: Postings, words: list[str], found: list[str]) -> None:
    assert slugs(postings, postings.phrase("body", words)) == found


def test_a_phrase_is_read_once_per_view(postings: Postings) -> None:
    words = body("young", "people")
    first = postings.phrase("body", words)
    assert postings.view.phrase_cache.get(("body", "\x00phrase\x00" + " ".join(words))) == first
    assert postings.phrase("body", words) is first


def test_a_prefix_lists_at_most_limit_terms_in_order(postings: Postings) -> None:
    assert postings.expand_prefix("body", "plot", 3) == ["plot", "plot001", "plot002"]
    assert postings.expand_prefix("body", "plot", 0) == []
    assert len(postings.expand_prefix("body", "plot", 100)) == 71
    assert postings.expand_prefix("title", "plot", 3) == []


def test_frequency_counts_documents(postings: Postings) -> None:
    assert postings.frequency("spell", "cooperative") == 3
    assert postings.frequency("body", "plot001") == 1
    assert postings.frequency("body", "zzz") == 0
