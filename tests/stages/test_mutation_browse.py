"""Reading the index without a query (kb/search/browse.py): practices by address (the compare page, the brief),
the nearest addresses to a mistyped one (the 404 page), and similar practices."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kb.search import SearchEngine

from .. import search_corpus
from ..conftest import similar_by_whoosh


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchEngine]:
    with search_corpus.opened(Path(tmp_path_factory.mktemp("browse"))) as opened:
        yield opened


def test_practices_are_looked_up_in_the_order_asked_and_unknown_addresses_left_out(
    engine: SearchEngine,
) -> None:
    hits = engine.lookup(["repair-cafe", "no-such-practice", "cooperative-bakery"])
    assert [h.slug for h in hits] == ["repair-cafe", "cooperative-bakery"]
    assert (
        hits[0].title == "Repair café network" and hits[0].status == "completed" and hits[0].end_year == 2020
    )
    assert hits[1].regions == ["mazovia"] and hits[1].score is None and hits[1].snippet == []
    assert engine.lookup([]) == []


def test_a_mistyped_address_offers_the_closest_ones_first(engine: SearchEngine) -> None:
    assert engine.slugs_like("cooperative-bakry")[0].slug == "cooperative-bakery"
    assert [h.slug for h in engine.slugs_like("repair-caffe", limit=1)] == ["repair-cafe"]
    assert engine.slugs_like("garden")[0].slug == "garden-club"
    assert {h.slug for h in engine.slugs_like("bakery")} >= {"cooperative-bakery", "bakery-training"}


def test_an_address_like_none_offers_nothing(engine: SearchEngine) -> None:
    assert engine.slugs_like("zzzzqqqq") == []
    assert engine.slugs_like("") == []


def test_at_most_the_limit_of_near_addresses(engine: SearchEngine) -> None:
    # A single letter is somewhat like every address that has it (rapidfuzz's WRatio); six hold an "a".
    assert len(engine.slugs_like("a", limit=2)) == 2
    assert len(engine.slugs_like("a")) == 5  # the default limit


def test_a_very_long_mistyped_address_is_compared_by_its_start(engine: SearchEngine) -> None:
    assert engine.slugs_like("inclusion-fund" + "x" * 5000)[0].slug == "inclusion-fund"


def test_similar_practices_of_an_unknown_one_are_none(engine: SearchEngine) -> None:
    assert engine.similar("no-such-practice") == []


def test_similar_practices_come_at_most_to_the_limit_and_never_include_the_practice(
    engine: SearchEngine,
) -> None:
    one = engine.similar("cooperative-bakery", limit=1)
    several = engine.similar("cooperative-bakery")
    assert len(one) == 1 and one[0].slug == several[0].slug
    assert 1 < len(several) <= 5 and "cooperative-bakery" not in {h.slug for h in several}
    assert len(engine.similar("cooperative-bakery", limit=2)) == 2


def test_similar_practices_are_scored_on_the_twenty_key_terms_of_the_practice(engine: SearchEngine) -> None:
    """As Whoosh's `more_like` means to: each key term's weight times its BM25 score, summed (the long garden entry
    has far more than twenty terms)."""
    searcher = engine.view().searcher
    for slug in search_corpus.ENTRIES:
        assert [h.slug for h in engine.similar(slug)] == similar_by_whoosh(searcher, slug), slug
