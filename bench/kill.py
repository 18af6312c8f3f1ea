"""Kill `kb reindex` with SIGKILL at random moments, many times; after each kill the previous (or the new,
complete) state must serve consistent results, and the next reindex must repair everything.

    python bench/kill.py [--trials 40] [--count 400] [--work /tmp/kb-kill]

The CI suite runs four such trials (tests/test_reindex.py); this is the long version. Each trial edits a tenth
of the entries, starts an incremental or full reindex as a separate process, kills it after 0.1-3 s, then checks
the index (every entry there exactly once, a search answers), the database (every entry there) and that the
parsing workers died with their parent.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import generate
from kb import store
from kb.config import Settings
from kb.reindex import reindex
from kb.search import SearchEngine, SearchRequest
from kb.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--trials", type=int, default=40)
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--work", type=Path, default=Path("/tmp/kb-kill"))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    content = args.work / "practices"
    generate(content, args.count, seed=5, taxonomy=ROOT / "practices" / "taxonomy.yaml")
    settings = Settings(content_dir=content, index_dir=args.work / "index")
    reindex(settings, full=True)
    taxonomy = load_taxonomy(settings.taxonomy_path)
    env = dict(os.environ, KB_CONTENT_DIR=str(content), KB_INDEX_DIR=str(settings.index_dir))
    rng = random.Random(args.seed)
    failures: list[str] = []
    killed_mid_run = 0
    files = sorted(content.glob("generated-*.md"))
    for trial in range(args.trials):
        for path in rng.sample(files, max(1, len(files) // 10)):
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("## Results", f"Edit {trial}.\n\n## Results", 1), encoding="utf-8")
        full = rng.random() < 0.5
        process = subprocess.Popen([sys.executable, "-m", "kb", "reindex", *(["--full"] if full else [])],
                                   env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   start_new_session=True)  # fmt: skip
        time.sleep(rng.uniform(0.1, 3.0))
        if process.poll() is None:
            killed_mid_run += 1
        process.send_signal(signal.SIGKILL)
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            failures.append(f"trial {trial}: parsing workers outlived the killed reindex")
            process.communicate()
        engine = SearchEngine(settings.index_dir, taxonomy)
        try:
            total = engine.total()
            found = engine.search(SearchRequest(q="cooperative")).total
        finally:
            engine.close()
        rows = store.count_practices(store.open_for_reading(settings.effective_database_url))
        if total != args.count or found == 0 or rows != args.count:
            failures.append(f"trial {trial} ({'full' if full else 'incremental'}): index {total}, "
                            f"search {found}, database {rows}")  # fmt: skip
    repaired = reindex(settings)
    again = reindex(settings)
    if repaired.failed or again.unchanged != args.count:
        failures.append(f"repair: {repaired.line()} / {again.line()}")
    print(f"{args.trials} kill trials ({killed_mid_run} killed while running), {args.count} entries: "
          f"{len(failures)} failures; repair run: {repaired.line()}")  # fmt: skip
    for line in failures:
        print("  " + line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
