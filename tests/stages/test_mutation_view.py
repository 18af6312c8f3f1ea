"""The committed index a search reads (kb/search/view.py): one view per generation, reopened when a reindex
commits, what it derives (live documents, facet values, years, titles), its bounded caches, and what it says when
the index cannot be read."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from whoosh.index import FileIndex

from kb.config import Settings
from kb.errors import IndexNotBuilt
from kb.indexer import OPEN_END, POINTER, open_current, whoosh_root
from kb.reindex import reindex
from kb.search import SearchEngine, SearchRequest
from kb.search.view import SizedCache, StaleView, View, Views, bitmap, open_view, text

from .. import search_corpus


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The corpus indexed afresh for one test (these tests reindex it)."""
    return search_corpus.build(tmp_path)


@pytest.fixture
def views(settings: Settings) -> Iterator[Views]:
    found = Views(settings.index_dir)
    yield found
    found.close()


def slug_of(views: Views) -> dict[int, str]:
    view = views.current()
    return {d: view.searcher.stored_fields(d)["slug"] for d in view.live}


def edit(settings: Settings, slug: str, old: str, new: str) -> None:
    path = settings.content_dir / f"{slug}.md"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_the_cache_drops_the_least_recently_used_first() -> None:
    cache: SizedCache[frozenset[int]] = SizedCache(5)
    cache.put(("body", "a"), frozenset({1, 2}))
    cache.put(("body", "b"), frozenset({3, 4}))
    assert cache.get(("body", "a")) == frozenset({1, 2})  # now the most recently used
    cache.put(("body", "c"), frozenset({5, 6}))  # 6 > 5: "b" goes
    assert cache.get(("body", "b")) is None and len(cache) == 2 and cache.size == 4
    assert cache.get(("body", "c")) == frozenset({5, 6}) and cache.get(("title", "a")) is None


def test_a_replaced_value_is_counted_once_and_becomes_the_most_recently_used() -> None:
    cache: SizedCache[frozenset[int]] = SizedCache(10)
    cache.put(("body", "a"), frozenset({1, 2, 3}))
    cache.put(("body", "b"), frozenset({4, 5}))
    cache.put(("body", "a"), frozenset({1, 2, 3, 4}))  # within the budget: nothing goes
    assert (len(cache), cache.size) == (2, 6)
    cache.put(("body", "c"), frozenset(range(10, 16)))  # 12 > 10: the least recently used, "b", goes; 10 fit
    assert cache.get(("body", "b")) is None and cache.get(("body", "a")) == frozenset({1, 2, 3, 4})
    assert cache.size == 10


def test_the_cache_counts_a_replaced_value_once_and_keeps_an_oversized_one_alone() -> None:
    cache: SizedCache[frozenset[int]] = SizedCache(5)
    cache.put(("body", "a"), frozenset({1, 2, 3}))
    cache.put(("body", "a"), frozenset({1, 2, 3, 4}))
    assert (len(cache), cache.size) == (1, 4)
    cache.put(("body", "b"), frozenset({5}))  # exactly the budget: nothing goes
    assert (len(cache), cache.size) == (2, 5)
    cache.put(("body", "big"), frozenset(range(9)))
    assert (len(cache), cache.size) == (1, 9) and cache.get(("body", "big")) is not None
    empty: SizedCache[frozenset[int]] = SizedCache(5)
    empty.put(("body", "none"), frozenset())
    assert empty.get(("body", "none")) == frozenset()  # an empty table is remembered too


@pytest.mark.parametrize(
    ("value", "shown"), [(b"caf\xc3\xa9", "café"), ("café", "café"), (None, ""), (2015, "2015")]
)
def test_stored_values_read_as_text(value: object, shown: str) -> None:
    assert text(value) == shown


def test_the_view_is_kept_until_a_reindex_commits(settings: Settings, views: Views) -> None:
    first = views.current()
    assert views.current() is first
    reindex(settings)  # nothing changed: no commit
    assert views.current() is first
    edit(settings, "repair-cafe", "Monthly", "Weekly")
    assert reindex(settings).updated == 1
    second = views.current()
    assert second is not first and second.generation == first.generation + 1 and second.folder == first.folder
    reindex(settings, full=True)  # a fresh folder, whose generation starts again
    third = views.current()
    assert third.folder != second.folder and views.current() is third


def test_a_view_reads_only_live_documents_and_values(settings: Settings, views: Views) -> None:
    (settings.content_dir / "repair-cafe.md").unlink()  # the only completed practice
    reindex(settings)
    view = views.current()
    assert len(view.live) == len(search_corpus.ENTRIES) - 1
    assert "completed" not in view.facets["status"]
    assert view.facets["region"]["riga"] == frozenset(d for d, s in slug_of(views).items()
                                                      if s in {"genossenschaft", "garden-club"})  # fmt: skip
    assert view.facets["evidence"]["not-stated"] == frozenset(d for d, s in slug_of(views).items()
                                                              if s == "genossenschaft")  # fmt: skip


def test_years_and_titles_are_read_for_every_live_document(views: Views) -> None:
    view = views.current()
    slugs = slug_of(views)
    years = {slugs[d]: span for d, span in view.years().items()}
    assert years["repair-cafe"] == (2016, 2020) and years["cooperative-bakery"] == (2012, OPEN_END)
    titles = {slugs[d]: title for d, title in view.titles().items()}
    assert titles["repair-cafe"] == "repair cafe network" and len(titles) == len(search_corpus.ENTRIES)
    assert view.years() is view.years() and view.titles() is view.titles()  # read once per view


def test_a_failed_read_is_stale_after_a_commit_and_damage_before(settings: Settings, views: Views) -> None:
    view = views.current()
    damaged = view.failed(ValueError("boom"))
    assert type(damaged) is IndexNotBuilt
    assert str(damaged) == f"the search index in {view.folder} cannot be read: boom"
    edit(settings, "repair-cafe", "Monthly", "Weekly")
    reindex(settings)
    stale = view.failed(ValueError("boom"))
    assert isinstance(stale, StaleView)
    assert str(stale) == f"the search index in {view.folder} changed while it was read: boom"
    reindex(settings, full=True)  # another folder, whatever the generation
    assert isinstance(views.current().failed(ValueError("x")), IndexNotBuilt)
    assert isinstance(view.failed(ValueError("x")), StaleView)


def test_a_closed_view_reports_an_unreadable_index(settings: Settings) -> None:
    view = open_view(*open_current(whoosh_root(settings.index_dir)))
    view.searcher.close()
    with pytest.raises(IndexNotBuilt, match="cannot be read") as years:
        view.years()
    assert type(years.value) is IndexNotBuilt
    with pytest.raises(IndexNotBuilt, match="cannot be read") as titles:
        view.titles()
    for raised in (years.value, titles.value):  # the kind of error Whoosh raised, for the operator
        assert str(raised).endswith(": ReaderClosed"), raised


def test_no_index_is_reported_and_the_old_view_closed(settings: Settings, views: Views) -> None:
    view = views.current()
    (whoosh_root(settings.index_dir) / POINTER).unlink()
    with pytest.raises(IndexNotBuilt) as raised:
        views.current()
    assert str(raised.value) == f"no search index in {whoosh_root(settings.index_dir)}"
    assert view.searcher.is_closed


def test_closing_closes_the_view(views: Views) -> None:
    view = views.current()
    views.close()
    assert view.searcher.is_closed
    assert views.current() is not view  # opened again on demand
    views.close()
    views.close()  # twice is harmless


def test_a_view_opened_before_a_merging_reindex_still_reads_what_it_was_opened_on(
    settings: Settings, views: Views
) -> None:
    """Merging reindexes delete the segments they merge; a search in flight on the old view still reads its
    stored fields and field lengths (pinned when the view opened)."""
    view = views.current()
    stored = {d: view.searcher.stored_fields(d) for d in view.live}
    lengths = {d: view.reader.doc_field_length(d, "body") for d in view.live}
    files = {p.name for p in view.folder.iterdir() if p.suffix == ".pst"}
    for i in range(6):  # Whoosh merges the small segments by the fifth commit
        edit(settings, "repair-cafe", "Monthly" if i == 0 else f"Monthly{i - 1}", f"Monthly{i}")
        assert reindex(settings).updated == 1
    assert not files & {p.name for p in view.folder.iterdir()}  # the segments it opened are gone
    assert {d: view.searcher.stored_fields(d) for d in view.live} == stored
    assert {d: view.reader.doc_field_length(d, "body") for d in view.live} == lengths
    assert views.current() is not view


def test_the_engine_answers_on_the_view_of_the_last_commit(settings: Settings) -> None:
    with contextlib.closing(SearchEngine(settings.index_dir, search_corpus.taxonomy())) as engine:
        assert engine.search(SearchRequest(q="beekeeping")).total == 1
        edit(settings, "garden-club", "beekeeping", "honey")
        reindex(settings)
        assert engine.search(SearchRequest(q="beekeeping")).total == 0
        assert engine.total() == len(search_corpus.ENTRIES)


@pytest.mark.parametrize("docs", [set(), {0}, {7, 8}, {0, 9, 17, 64}, frozenset({3, 200}), [5, 5, 1000]])
def test_a_set_of_documents_is_the_integer_with_their_bits_set(
    docs: set[int] | frozenset[int] | list[int],
) -> None:
    assert bitmap(docs) == sum(1 << n for n in set(docs))


def failing_open(settings: Settings, reindexes: int, calls: list[int]) -> Callable[[FileIndex, Path], View]:
    """`open_view` that fails as it does when a reindex deletes merged segments mid-open: the first `reindexes`
    calls run a real full reindex (the index moves to a fresh folder) and then fail; later calls open normally.
    With `reindexes` -1, every call fails and nothing moves."""

    def opener(ix: FileIndex, folder: Path) -> View:
        calls.append(1)
        if reindexes < 0:
            raise IndexNotBuilt("damaged")
        if len(calls) <= reindexes:
            reindex(settings, full=True)
            raise IndexNotBuilt("segments deleted while opening")
        return open_view(ix, folder)

    return opener


def test_a_view_opened_while_a_reindex_moves_the_index_is_opened_again(
    settings: Settings, views: Views, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    monkeypatch.setattr("kb.search.view.open_view", failing_open(settings, 1, calls))
    view = views.current()
    assert len(calls) == 2 and view.folder == open_current(whoosh_root(settings.index_dir))[1]


def test_an_index_that_cannot_be_opened_and_did_not_move_fails_at_once(
    settings: Settings, views: Views, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    monkeypatch.setattr("kb.search.view.open_view", failing_open(settings, -1, calls))
    with pytest.raises(IndexNotBuilt, match="damaged"):
        views.current()
    assert len(calls) == 1


def test_an_index_that_keeps_moving_is_tried_three_times(
    settings: Settings, views: Views, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    monkeypatch.setattr("kb.search.view.open_view", failing_open(settings, 5, calls))
    with pytest.raises(IndexNotBuilt, match="segments deleted"):
        views.current()
    assert len(calls) == 3
