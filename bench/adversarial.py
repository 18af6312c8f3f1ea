"""Time hostile queries on a large index, each on a freshly opened engine (nothing cached).

    python bench/adversarial.py [--work /tmp/kb-bench10k] [--count 10000]

Uses the collection and index that `bench/speed.py` leaves in the work folder (run that first). Each query kind
once took Whoosh from seconds to minutes when passed through raw; the product must answer each within a second.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kb.errors import QueryError
from kb.search import SearchEngine, SearchRequest
from kb.taxonomy import load_taxonomy

QUERIES = [
    "a*", "*a*", "co*", "abc~3", "body:[a TO zzzz]", " ".join(["social"] * 500),
    '"' + " ".join(["social cooperative"] * 250) + '"', "(" * 2000 + "a" + ")" * 2000,
    " OR ".join(["coop*", "soci*", "inclu*", "peop*", "train*", "deve*", "reg*", "mark*"]),
    " ".join(w + "*" for w in ("abc", "bcd", "cde", "def", "efg", "fgh", "ghi", "hij")),
    "social cooperative training people local support " * 20, "-social", "year:1900-2100 social",
]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/kb-bench"))
    parser.add_argument("--count", type=int, default=10000)
    args = parser.parse_args()
    content, index = args.work / f"content-{args.count}", args.work / f"index-{args.count}"
    taxonomy = load_taxonomy(content / "taxonomy.yaml")
    worst = 0.0
    print("ms | matches | query")
    print("---: | ---: | ---")
    for q in QUERIES:
        engine = SearchEngine(index, taxonomy)
        engine.view()  # opening the index is not the query's cost
        started = time.perf_counter()
        try:
            found = str(engine.search(SearchRequest(q=q)).total)
        except QueryError as exc:
            found = f"refused: {exc}"
        elapsed = (time.perf_counter() - started) * 1000
        worst = max(worst, elapsed)
        engine.close()
        print(f"{elapsed:.0f} | {found} | `{q[:40]}{'…' if len(q) > 40 else ''}` ({len(q)} chars)")
    print(f"slowest: {worst:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
