"""Cross-lingual search over the bundled collection: success@5 per language for queries in the 12 languages.

    python bench/crosslingual.py [--queries bench/queries/crosslingual.yaml] [--work /tmp/kb-crosslingual]
                                 [--no-expand] [--show-misses]

Builds the bundled collection (practices/, with its thesaurus) into a work folder once, then runs every query of
the set through the product's search engine and counts a success when one of the query's relevant entries is among
the first five results. The query set was written blind (from what a native speaker would type and what the
entries say), without running the engine. `--no-expand` runs the same queries with the thesaurus switched off:
the baseline of the same run.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kb.config import Settings
from kb.reindex import reindex
from kb.search import SearchEngine, SearchRequest
from kb.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parent.parent
CUTOFF = 5


def build(work: Path) -> Settings:
    content = work / "practices"
    if content.exists():
        shutil.rmtree(content)
    shutil.copytree(ROOT / "practices", content)
    settings = Settings(content_dir=content, index_dir=work / "index")
    reindex(settings)
    return settings


def success_at(
    engine: SearchEngine, queries: list[dict[str, object]], expand: bool, misses: list[str]
) -> int:
    found = 0
    for query in queries:
        results = engine.search(SearchRequest(q=str(query["q"]), page_size=CUTOFF, expand=expand))
        relevant = set(query["relevant"])  # type: ignore[call-overload]
        if relevant & {h.slug for h in results.hits}:
            found += 1
        else:
            misses.append(f"{query['q']!r}: got {[h.slug for h in results.hits[:3]]}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--queries", type=Path, default=ROOT / "bench" / "queries" / "crosslingual.yaml")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kb-crosslingual"))
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    settings = build(args.work)
    print(f"collection built in {time.perf_counter() - started:.1f} s")
    engine = SearchEngine(settings.index_dir, load_taxonomy(settings.taxonomy_path))
    languages: dict[str, list[dict[str, object]]] = yaml.safe_load(args.queries.read_text(encoding="utf-8"))[
        "languages"
    ]
    print(f"{'lang':<5} {'queries':>7} {'success@5':>10} {'without thesaurus':>18}")
    totals = [0, 0, 0]
    for lang, queries in languages.items():
        misses: list[str] = []
        with_expansion = success_at(engine, queries, True, misses)
        without = success_at(engine, queries, False, [])
        totals = [totals[0] + len(queries), totals[1] + with_expansion, totals[2] + without]
        print(
            f"{lang:<5} {len(queries):>7} {with_expansion / len(queries):>10.0%} {without / len(queries):>18.0%}"
        )
        if args.show_misses:
            for miss in misses:
                print(f"      miss {miss}")
    print(f"{'all':<5} {totals[0]:>7} {totals[1] / totals[0]:>10.0%} {totals[2] / totals[0]:>18.0%}")
    engine.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
