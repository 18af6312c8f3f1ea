"""Reindexing: incremental by default, atomic for readers, repaired after a kill, exclusive between writers."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from whoosh import fields, index
from whoosh.codec import whoosh3

from bench.generate import generate
from kb import indexer, loader, parallel, store, whoosh_adapter
from kb.config import Settings
from kb.errors import IndexBusy
from kb.reindex import lock_for, reindex
from kb.search import SearchEngine, SearchRequest
from kb.taxonomy import Taxonomy

from .conftest import DATA, WriteEntry


def all_slugs(engine: SearchEngine) -> list[str]:
    results = engine.search(SearchRequest(page_size=100))
    return sorted(h.slug for h in results.hits)


def test_incremental_touches_only_changed_files(settings: Settings, write_entry: WriteEntry) -> None:
    for name in ("alpha", "beta", "gamma"):
        write_entry(name)
    first = reindex(settings)
    assert (first.full, first.added) == (True, 3)
    engine = store.open_for_reading(settings.effective_database_url)
    before = {r.slug: r.indexed_at for r in store.recent_practices(engine, 10)}

    write_entry("beta", title="Beta, revised")
    write_entry("delta")
    (settings.content_dir / "gamma.md").unlink()
    second = reindex(settings)
    assert (second.full, second.added, second.updated, second.removed, second.unchanged) == (
        False,
        1,
        1,
        1,
        1,
    )
    after = {r.slug: r.indexed_at for r in store.recent_practices(engine, 10)}
    assert after["alpha"] == before["alpha"]  # untouched row: not rewritten
    assert after["beta"] != before["beta"]
    assert sorted(after) == ["alpha", "beta", "delta"]
    third = reindex(settings)
    assert (third.added, third.updated, third.removed, third.unchanged) == (0, 0, 0, 3)


def test_bad_entries_are_reported_and_the_rest_indexed(settings: Settings, write_entry: WriteEntry) -> None:
    write_entry("good-one")
    (settings.content_dir / "broken.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    write_entry("good-two")
    summary = reindex(settings)
    assert summary.failed == 1 and summary.added == 2
    assert [Path(p.path).name for p in summary.problems] == ["broken.md"]
    strict = reindex(settings, strict=True)
    assert not strict.applied and strict.failed == 1


def test_strict_writes_nothing(settings: Settings, write_entry: WriteEntry) -> None:
    write_entry("good-one")
    (settings.content_dir / "broken.md").write_text("no front matter\n", encoding="utf-8")
    summary = reindex(settings, strict=True)
    assert not summary.applied
    assert not (settings.index_dir / "whoosh" / "CURRENT").exists()


def test_long_lived_searcher_sees_exactly_the_new_state(
    settings: Settings, write_entry: WriteEntry, taxonomy: Taxonomy
) -> None:
    write_entry("one")
    write_entry("two")
    reindex(settings)
    engine = SearchEngine(settings.index_dir, taxonomy)
    try:
        assert all_slugs(engine) == ["one", "two"]
        write_entry("three")
        (settings.content_dir / "one.md").unlink()
        reindex(settings)
        assert all_slugs(engine) == ["three", "two"]  # incremental commit seen, the deleted one gone
        write_entry("four")
        reindex(settings, full=True)  # a fresh folder, whose generation number starts again
        assert all_slugs(engine) == ["four", "three", "two"]
        (settings.content_dir / "two.md").unlink()
        reindex(settings, full=True)
        assert all_slugs(engine) == ["four", "three"]
    finally:
        engine.close()


def test_second_concurrent_reindex_is_refused(settings: Settings, write_entry: WriteEntry) -> None:
    write_entry("one")
    lock = lock_for(settings)
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    with lock, pytest.raises(IndexBusy, match="another `kb reindex` is running"):
        reindex(settings)


def _kb(settings: Settings, *args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, KB_CONTENT_DIR=str(settings.content_dir), KB_INDEX_DIR=str(settings.index_dir))
    return subprocess.Popen([sys.executable, "-m", "kb", *args], env=env, text=True, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip


@pytest.mark.slow
def test_two_concurrent_processes_do_not_corrupt(settings: Settings, taxonomy: Taxonomy) -> None:
    generate(settings.content_dir, 300, seed=3, taxonomy=DATA / "taxonomy.yaml")
    first, second = _kb(settings, "reindex", "--full"), _kb(settings, "reindex", "--full")
    outputs = [p.communicate(timeout=300) for p in (first, second)]
    codes = sorted(p.returncode for p in (first, second))
    assert codes in ([0, 0], [0, 2])  # the loser waits for nothing: it says so and exits 2
    if codes == [0, 2]:
        assert any("another `kb reindex` is running" in err for _out, err in outputs)
    engine = SearchEngine(settings.index_dir, taxonomy)
    try:
        assert engine.total() == 300
    finally:
        engine.close()


@pytest.mark.slow
def test_killed_reindex_leaves_previous_state_and_next_run_repairs(
    settings: Settings, taxonomy: Taxonomy
) -> None:
    generate(settings.content_dir, 400, seed=5, taxonomy=DATA / "taxonomy.yaml")
    assert reindex(settings).added == 400
    rng = random.Random(7)
    for trial in range(4):
        # Change a tenth of the entries, then kill a full or incremental run at a random moment.
        for path in rng.sample(sorted(settings.content_dir.glob("generated-*.md")), 40):
            path.write_text(path.read_text(encoding="utf-8").replace("## Results", f"Edit {trial}.\n\n## Results"),
                            encoding="utf-8")  # fmt: skip
        process = _kb(settings, "reindex", *(["--full"] if trial % 2 else []))
        time.sleep(rng.uniform(0.3, 3.0))
        process.send_signal(signal.SIGKILL)
        try:  # parsing workers must end with their parent, or they hold its pipes open for ever
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            pytest.fail("worker processes outlived a killed `kb reindex`")
        engine = SearchEngine(settings.index_dir, taxonomy)
        try:
            assert engine.total() == 400  # the previous (or the new, complete) state: never a half
            assert engine.search(SearchRequest(q="cooperative")).total > 0
        finally:
            engine.close()
    repaired = reindex(settings)
    assert repaired.failed == 0
    assert reindex(settings).unchanged == 400  # everything now matches the files
    db = store.open_for_reading(settings.effective_database_url)
    assert store.count_practices(db) == 400


def test_terms_analysed_in_worker_processes_equal_whoosh_analysis(
    settings: Settings, taxonomy: Taxonomy
) -> None:
    """Full reindexes analyse text while parsing, in other processes; the index must not notice."""
    generate(settings.content_dir, 12, seed=9, taxonomy=DATA / "taxonomy.yaml")
    schema = indexer.build_schema()
    files = loader.discover(settings.content_dir)
    entries = loader.collect(parallel.load_files(files, settings.content_dir, taxonomy, 512 * 1024)).entries
    assert len(entries) == 12
    for entry in entries:
        raw, prepared = indexer.document(entry, taxonomy), indexer.prepared_document(entry, taxonomy)
        for name, value in raw.items():
            field = schema[name]
            if field.indexed and not isinstance(field, fields.NUMERIC):
                ours, whoosh = _postings(field, prepared[name]), _postings(field, value)
                assert ours == whoosh, (entry.slug, name)
            if field.stored:
                assert prepared.get(f"_stored_{name}", prepared[name]) == value


def _postings(field: fields.FieldType, value: object) -> dict[bytes, tuple[int, float, list[int]]]:
    """Term -> (frequency, weight, positions counted from the field's first term). Whoosh numbers positions
    from the first word before stop words are dropped; only their differences matter (phrases)."""
    items = list(field.index(value))
    if not field.format.supports("positions"):
        return {term: (freq, weight, []) for term, freq, weight, _ in items}
    positions = {term: field.format.decode_positions(v) for term, _, _, v in items}
    first = min((p[0] for p in positions.values() if p), default=0)
    return {term: (freq, weight, [p - first for p in positions[term]]) for term, freq, weight, _ in items}


def test_remembered_column_lookups_write_the_same_index(tmp_path: Path, taxonomy: Taxonomy) -> None:
    """While a reindex writes, Whoosh's `has_column` is answered once per segment reader (kb/whoosh_adapter.py);
    the index must be the same as without, and nothing stays patched afterwards."""
    content = tmp_path / "practices"
    generate(content, 60, seed=13, taxonomy=DATA / "taxonomy.yaml")
    entries = loader.collect(
        parallel.load_files(loader.discover(content), content, taxonomy, 512 * 1024)
    ).entries

    def build(folder: Path, remember: bool) -> list[object]:
        folder.mkdir()
        ix = index.create_in(str(folder), indexer.build_schema())
        with whoosh_adapter.remembered_columns() if remember else contextlib.nullcontext():
            if remember:
                assert whoosh3.W3PerDocReader.has_column is not original
            writer = ix.writer()
            for entry in entries:
                writer.add_document(**indexer.prepared_document(entry, taxonomy))
            writer.commit()
        with ix.reader() as reader:
            out: list[object] = []
            for field in ("title", "body", "places", "spell", "regions"):
                for term in reader.lexicon(field):
                    m = reader.postings(field, term)
                    out.append((field, term, m.block_min_length(), m.block_max_length(), list(m.all_items())))
            out.extend(
                (d, reader.doc_field_length(d, "body"), reader.doc_field_length(d, "title"))
                for d in range(60)
            )
            return out

    original = whoosh3.W3PerDocReader.has_column
    remembered = build(tmp_path / "remembered", remember=True)
    assert whoosh3.W3PerDocReader.has_column is original
    assert build(tmp_path / "asked", remember=False) == remembered


def test_a_database_of_an_older_schema_is_rebuilt(settings: Settings, write_entry: WriteEntry) -> None:
    """After an upgrade that adds a column, `kb reindex` rebuilds instead of failing on the old table."""
    write_entry("one")
    assert reindex(settings, full=True).added == 1
    engine = store.open_for_writing(settings.effective_database_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP INDEX ix_practice_scope")
        conn.exec_driver_sql("ALTER TABLE practice DROP COLUMN scope")
        conn.exec_driver_sql("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    summary = reindex(settings)
    assert summary.full and summary.added == 1 and summary.failed == 0
    row = store.get_practice(store.open_for_reading(settings.effective_database_url), "one")
    assert row is not None and row.scope == "regional"
