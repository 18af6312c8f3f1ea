"""Speed of the policymaker's toolkit in-process (Flask test client): the compare page, its JSON twin and the
brief (Word and Markdown) for six practices, against the practice page measured in the same run.

    python bench/toolkit.py [--work /tmp/kb-bench-toolkit] [--rounds 200] [--count N]

Without --count it uses the bundled practices (real bodies and source lists); with it, N generated entries. The six
compared practices are those with the longest bodies (the slowest case). Requests of every kind are interleaved
round by round, so that a noisy moment of the machine hits them all alike. Targets: compare page under 100 ms and
brief under 300 ms.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select
from sqlmodel import Session, col

from bench.generate import generate
from kb import store
from kb.config import Settings
from kb.models import PracticeRow
from kb.reindex import reindex
from webapp import create_app

ROOT = Path(__file__).resolve().parent.parent
TARGETS_MS = {"compare page": 100.0, "brief.docx": 300.0, "brief.md": 300.0}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def longest(settings: Settings, n: int) -> list[str]:
    db = store.open_for_reading(settings.effective_database_url)
    with Session(db) as session:
        query = (
            select(col(PracticeRow.slug)).order_by(func.length(col(PracticeRow.body_html)).desc()).limit(n)
        )
        return list(session.scalars(query).all())


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/kb-bench-toolkit"))
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--count", type=int, default=0, help="generated entries instead of the bundled ones")
    args = parser.parse_args()
    if args.count:
        content = args.work / f"content-{args.count}"
        if not (content / "taxonomy.yaml").exists():
            generate(content, args.count, seed=1, taxonomy=ROOT / "practices" / "taxonomy.yaml")
    else:
        content = ROOT / "practices"
    settings = Settings(content_dir=content, index_dir=args.work / f"index-{args.count or 'bundled'}")
    shutil.rmtree(settings.index_dir, ignore_errors=True)
    summary = reindex(settings, full=True)
    six = longest(settings, 6)
    p = "&".join(f"p={slug}" for slug in six)
    app = create_app(settings)
    client = app.test_client()
    urls = {
        "practice page (baseline)": f"/practices/{six[0]}",
        "compare page": f"/compare?{p}",
        "compare API": f"/api/compare?{p}",
        "brief.docx": f"/compare/brief.docx?{p}",
        "brief.md": f"/compare/brief.md?{p}",
    }
    timings: dict[str, list[float]] = {name: [] for name in urls}

    def timed(url: str) -> Callable[[], float]:
        def run() -> float:
            started = time.perf_counter()
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            response.get_data()
            return (time.perf_counter() - started) * 1000

        return run

    runs = {name: timed(url) for name, url in urls.items()}
    for _ in range(5):  # warm-up: templates compiled, index view opened, caches filled
        for run in runs.values():
            run()
    for _ in range(args.rounds):
        for name, run in runs.items():
            timings[name].append(run())
    app.extensions["kb"].close()

    base = statistics.median(timings["practice page (baseline)"])
    print(
        f"{summary.added} entries, 6 practices compared ({', '.join(six)}), {args.rounds} rounds, in-process"
    )
    print("| request | median ms | p95 ms | median / practice page | target |")
    print("|---|---:|---:|---:|---|")
    for name, values in timings.items():
        median, p95 = statistics.median(values), percentile(values, 0.95)
        target = TARGETS_MS.get(name)
        verdict = f"< {target:.0f} ms: {'met' if p95 < target else '**missed**'}" if target else ""
        print(f"| {name} | {median:.1f} | {p95:.1f} | {median / base:.1f}x | {verdict} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
