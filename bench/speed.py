"""Reindex and search speed of the product against SQLite FTS5 on the same generated entries, in one run.

    python bench/speed.py --count 10000 [--work /tmp/kb-bench] [--repeat 3]

Reports: full reindex time, time from editing one entry to it being searchable (incremental reindex), and
search latency p50/p95 for typical queries with facets and highlights. FTS5 is the yardstick, not a rival:
ratios are what to compare across machines.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import generate
from kb import loader, parallel
from kb.config import Settings
from kb.reindex import reindex
from kb.search import SearchEngine, SearchRequest
from kb.taxonomy import load_taxonomy

QUERIES = ["social cooperative", "digital skills", "training for young people", "repair furniture", "microloans",
           "local products marketing", '"community gardening"', "refugees", "recycling textiles",
           "older people care", "mentoring companies", "rural tourism villages"]  # fmt: skip
# Words in other partner languages: they exercise the thesaurus (the product only; FTS5 has no such thing).
OTHER_LANGUAGES = ["Sozialgenossenschaft", "economía social", "κοινωνική επιχείρηση", "spółdzielnia socjalna"]
FILTERS: list[dict[str, list[str]]] = [
    {},
    {"region": ["mazovia"]},
    {"region": ["haskovo"], "theme": ["social-inclusion"]},
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bench_product(content: Path, index: Path, repeat: int, thesaurus: Path) -> dict[str, float]:
    settings = Settings(content_dir=content, index_dir=index)
    shutil.rmtree(index, ignore_errors=True)
    (content / "thesaurus.yaml").unlink(missing_ok=True)
    started = time.perf_counter()
    reindex(settings, full=True)
    full = time.perf_counter() - started
    # The thesaurus map is built once per thesaurus (not by every reindex): timed apart, by the next reindex.
    shutil.copy(thesaurus, content / "thesaurus.yaml")
    started = time.perf_counter()
    reindex(settings)
    thesaurus_build = time.perf_counter() - started
    engine = SearchEngine(index, load_taxonomy(settings.taxonomy_path))
    engine.search(SearchRequest(q="warm up"))
    target = sorted(content.glob("generated-*.md"))[len(list(content.glob("generated-*.md"))) // 2]
    edits = []
    for i in range(repeat):
        word = f"zyxedit{i}"
        text = target.read_text(encoding="utf-8").replace(
            "## Results", f"{word} appears here.\n\n## Results", 1
        )
        target.write_text(text, encoding="utf-8")
        started = time.perf_counter()
        reindex(settings)
        found = engine.search(SearchRequest(q=word)).total
        edits.append(time.perf_counter() - started)
        assert found == 1, f"edited entry not found after reindex ({found})"
    figures = {"full": full, "edit": statistics.median(edits), "thesaurus": thesaurus_build}
    engine.close()
    for expand in (True, False):
        # Each mode on a fresh engine: its own view and empty caches, as after a reindex.
        engine = SearchEngine(index, load_taxonomy(settings.taxonomy_path))
        engine.search(SearchRequest(q="warm up"))
        latencies: list[list[float]] = []
        for _ in range(repeat):
            latencies.append([])
            for flt in FILTERS:
                for q in QUERIES + OTHER_LANGUAGES:
                    started = time.perf_counter()
                    engine.search(SearchRequest(q=q, filters=flt, expand=expand))
                    latencies[-1].append((time.perf_counter() - started) * 1000)
        suffix = "" if expand else "_plain"
        figures.update({k + suffix: v for k, v in _latency_figures(latencies).items()})
        engine.close()
    return figures


def _latency_figures(rounds: list[list[float]]) -> dict[str, float]:
    """p50/p95 over every search; and p95 of the first round (each query's first run since the last reindex:
    the product then reads each word's postings from disk) apart from the later rounds (cached)."""
    every = [x for r in rounds for x in r]
    later = [x for r in rounds[1:] for x in r] or rounds[0]
    return {"p50": percentile(every, 0.5), "p95": percentile(every, 0.95),
            "p95_first": percentile(rounds[0], 0.95), "p95_later": percentile(later, 0.95)}  # fmt: skip


def bench_fts5(content: Path, work: Path, repeat: int) -> dict[str, float]:
    taxonomy = load_taxonomy(content / "taxonomy.yaml")
    db_path = work / "fts5.sqlite3"
    db_path.unlink(missing_ok=True)
    started = time.perf_counter()
    results = list(parallel.load_files(loader.discover(content), content, taxonomy, 512 * 1024, jobs=2))
    db = sqlite3.connect(db_path)
    db.execute("CREATE VIRTUAL TABLE doc USING fts5(slug UNINDEXED, title, summary, body, "
               "tokenize='porter unicode61 remove_diacritics 2')")  # fmt: skip
    db.execute("CREATE TABLE facet(slug TEXT, kind TEXT, value TEXT)")
    with db:
        for r in results:
            e = r.entry
            assert e is not None
            db.execute("INSERT INTO doc VALUES (?, ?, ?, ?)", (e.slug, e.title, e.summary, e.body_text))
            db.executemany("INSERT INTO facet VALUES (?, ?, ?)",
                           [(e.slug, "region", k) for k in e.regions] + [(e.slug, "theme", k) for k in e.themes])  # fmt: skip
    db.execute("CREATE INDEX facet_slug ON facet(slug)")
    full = time.perf_counter() - started
    edits = []
    for i in range(repeat):
        started = time.perf_counter()
        with db:
            db.execute("UPDATE doc SET body = body || ? WHERE slug = ?", (f" zyxedit{i}", results[0].slug))
        db.execute("SELECT slug FROM doc WHERE doc MATCH ?", (f"zyxedit{i}",)).fetchall()
        edits.append(time.perf_counter() - started)
    latencies: list[list[float]] = []
    for _ in range(repeat):
        latencies.append([])
        for flt in FILTERS:
            for q in QUERIES:
                match = " ".join(f'"{w}"' for w in re.findall(r"\w+", q))
                where, params = "doc MATCH ?", [match]
                for kind, keys in (("region", flt.get("region", [])), ("theme", flt.get("theme", []))):
                    if keys:
                        where += f" AND slug IN (SELECT slug FROM facet WHERE kind='{kind}' AND value IN ({','.join('?' * len(keys))}))"
                        params += keys
                started = time.perf_counter()
                db.execute(
                    f"SELECT slug, snippet(doc, 3, '<mark>', '</mark>', '…', 20) FROM doc WHERE {where} "
                    "ORDER BY bm25(doc, 0, 3, 2, 1) LIMIT 10",
                    params,
                ).fetchall()
                db.execute(
                    f"SELECT kind, value, count(*) FROM facet WHERE slug IN (SELECT slug FROM doc WHERE {where}) "
                    "GROUP BY kind, value",
                    params,
                ).fetchall()
                latencies[-1].append((time.perf_counter() - started) * 1000)
    db.close()
    return {"full": full, "edit": statistics.median(edits), **_latency_figures(latencies)}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/kb-bench"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--thesaurus",
        type=Path,
        default=Path(__file__).resolve().parent.parent / "practices" / "thesaurus.yaml",
    )
    parser.add_argument(
        "--taxonomy",
        type=Path,
        default=Path(__file__).resolve().parent.parent / "practices" / "taxonomy.yaml",
    )
    args = parser.parse_args()
    content = args.work / f"content-{args.count}"
    if not (content / "taxonomy.yaml").exists():
        generate(content, args.count, seed=1, taxonomy=args.taxonomy)
    product = bench_product(content, args.work / f"index-{args.count}", args.repeat, args.thesaurus)
    fts5 = bench_fts5(content, args.work, args.repeat)
    print(f"{args.count} entries | product (Whoosh) | SQLite FTS5 | ratio")
    print("--- | --- | --- | ---")
    for key, label, unit, scale in (("full", "full reindex", "s", 1.0), ("edit", "edit to searchable", "ms", 1000.0),
                                    ("p50", "search p50 (facets, highlights)", "ms", 1.0),
                                    ("p95", "search p95 (facets, highlights)", "ms", 1.0),
                                    ("p95_first", "search p95, first run of each query", "ms", 1.0),
                                    ("p95_later", "search p95, repeated queries", "ms", 1.0)):  # fmt: skip
        a, b = product[key] * scale, fts5[key] * scale
        print(f"{label} | {a:.1f} {unit} | {b:.1f} {unit} | {a / b if b else float('inf'):.1f}x")
        if key + "_plain" in product:
            a = product[key + "_plain"] * scale
            print(
                f"{label}, expansion off | {a:.1f} {unit} | {b:.1f} {unit} | {a / b if b else float('inf'):.1f}x"
            )
    print(f"thesaurus map build (once per thesaurus) | {product['thesaurus']:.1f} s | - | -")
    print(
        f"(product searches: {len(QUERIES)} English and {len(OTHER_LANGUAGES)} other-language queries x "
        f"{len(FILTERS)} filter sets; FTS5: the English ones)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
