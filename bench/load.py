"""HTTP load with a real load generator (wrk) against `kb serve`, directly and through deploy/nginx.conf.

    python bench/load.py --count 10000 [--connections 20 --duration 20] [--work /tmp/kb-load]
    python bench/load.py --count 200 --churn 120 --churn-kind incremental   # reindexes back to back under load

Throughput (default): one `kb serve` (gunicorn, `--workers` processes) and nginx in front of it, on 127.0.0.1.
For each target it runs wrk (2 threads, `--connections`) for `--duration` seconds per scenario: a static file (the
ceiling), the search page and the search API with half of the requests from a long tail of unique searches
(bench/wrk/mix.lua), and the popular searches alone (what a cache can serve). It prints requests/s, p50/p99
latency, non-2xx answers and socket errors, and the server's memory (RSS of master and workers). wrk shares the
two cores with the server and nginx, so absolute figures are pessimistic; compare the ratios.

Churn (`--churn SECONDS`): reindexes run back to back in this process (`--churn-kind` incremental, full, or
alternating), an entry edited before each, while wrk sends the long-tail mix of search pages; then the server log's
tracebacks are counted and grouped by exception and place. This is how the once-seen 500 was reproduced.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import generate
from bench.proxy import running_nginx
from kb.config import Settings
from kb.reindex import reindex
from tests.serving import free_port, server

ROOT = Path(__file__).resolve().parent.parent
WRK = Path(__file__).resolve().parent / "wrk"
SCENARIOS = {  # name -> (script, arguments)
    "static file (ceiling)": ("static.lua", ["/static/style.css"]),
    "search page, half long tail": ("mix.lua", ["/search", "0.5"]),
    "search API, half long tail": ("mix.lua", ["/api/search", "0.5"]),
    "search page, popular only": ("mix.lua", ["/search", "0"]),
    "search API, popular only": ("mix.lua", ["/api/search", "0"]),
}


def wrk(port: int, scenario: str, connections: int, seconds: float) -> dict[str, float]:
    script, args = SCENARIOS[scenario]
    done = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds:.0f}s", "--timeout", "30s", "-s",
                           str(WRK / script), f"http://127.0.0.1:{port}", "--", *args],
                          capture_output=True, text=True, check=True)  # fmt: skip
    line = next(x for x in reversed(done.stdout.splitlines()) if x.startswith("{"))
    result: dict[str, float] = json.loads(line)
    result["rps"] = result["requests"] / result["seconds"]
    return result


def rss_mb(master_pid: int) -> float:
    """Resident memory of gunicorn's master and its workers, from /proc."""
    total = 0
    pids = [master_pid]
    with contextlib.suppress(OSError):  # the server has just gone
        pids += [int(p) for p in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()]
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def prepare(work: Path, count: int) -> Settings:
    content = work / f"content-{count}"
    if not content.exists():
        generate(content, count, seed=1, taxonomy=ROOT / "practices" / "taxonomy.yaml")
        shutil.copy(ROOT / "practices" / "taxonomy.yaml", content / "taxonomy.yaml")
    settings = Settings(content_dir=content, index_dir=work / f"index-{count}")
    print(reindex(settings).line())
    return settings


def throughput(settings: Settings, args: argparse.Namespace) -> None:
    log = args.work / "server.log"
    with server(settings, log, workers=args.workers) as kb:
        proxy = free_port()
        # Both upstream lines name the one server, so that nginx adds its cache, not a second server's CPU.
        with running_nginx(proxy, [kb.port, kb.port]) as prefix:
            targets = {"kb serve": kb.port, "nginx -> kb serve": proxy}
            for port in targets.values():  # warm every worker's caches and nginx's cache for the popular set
                for scenario in SCENARIOS:
                    wrk(port, scenario, 4, 3)
            load = os.getloadavg()
            print(f"\n{args.count} entries, wrk -t2 -c{args.connections}, {args.duration:.0f} s per scenario, "
                  f"{args.workers} gunicorn workers; load average before: {load[0]:.2f}\n")  # fmt: skip
            print(
                "| target | scenario | requests | req/s | p50 ms | p99 ms | non-2xx | socket errors | server RSS MB |"
            )
            print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
            for target, port in targets.items():
                for scenario in SCENARIOS:
                    time.sleep(3)  # let the previous scenario's queued requests drain
                    r = wrk(port, scenario, args.connections, args.duration)
                    print(f"| {target} | {scenario} | {r['requests']:.0f} | {r['rps']:.1f} | {r['p50_ms']:.1f} | "
                          f"{r['p99_ms']:.1f} | {r['non2xx']:.0f} | {r['socket_errors']:.0f} | "
                          f"{rss_mb(kb.process.pid):.0f} |")  # fmt: skip
            cache = Counter(re.findall(r"cache=(\w+|-)", (prefix / "logs" / "access.log").read_text()))
            print(f"\nnginx cache statuses over the run: {dict(cache)}")
    print(f"server log {log}: {log.read_text(errors='replace').count('Traceback')} tracebacks")


def churn(settings: Settings, args: argparse.Namespace) -> None:
    log = args.work / "server.log"
    stop = threading.Event()
    counts: Counter[str] = Counter()
    files = sorted(settings.content_dir.glob("*.md"))[:40]

    def loop() -> None:
        n = 0
        while not stop.is_set():
            path = files[n % len(files)]
            path.write_text(
                path.read_text(encoding="utf-8") + f"\nEdited during load {n}.\n", encoding="utf-8"
            )
            full = args.churn_kind == "full" or (args.churn_kind == "alternating" and n % 2 == 0)
            reindex(settings, full=full)
            counts["full" if full else "incremental"] += 1
            n += 1

    with server(settings, log, workers=args.workers) as kb:
        wrk(kb.port, "search page, half long tail", 4, 3)
        thread = threading.Thread(target=loop)
        thread.start()
        try:
            r = wrk(kb.port, "search page, half long tail", args.connections, args.churn)
        finally:
            stop.set()
            thread.join()
    text = log.read_text(errors="replace")
    print(f"\n{args.count} entries, {dict(counts)} reindexes back to back during {args.churn:.0f} s of wrk "
          f"-c{args.connections} (search pages, half long tail): {r['requests']:.0f} requests, "
          f"{r['non2xx']:.0f} non-2xx, {r['socket_errors']:.0f} socket errors")  # fmt: skip
    kinds: Counter[str] = Counter()
    for block in text.split("Traceback (most recent call last):")[1:]:
        lines = [x for x in block.splitlines() if x.strip()]
        error = next((x for x in lines if re.match(r"^[\w.]+(Error|Exception)\b", x)), "?")
        ours = [x.strip() for x in lines if x.strip().startswith("File") and ("/kb/" in x or "/webapp/" in x)]
        kinds[f"{error} at {ours[-1] if ours else '?'}"] += 1
    print(f"server log {log}: {sum(kinds.values())} tracebacks")
    for kind, n in kinds.most_common():
        print(f"  {n} x {kind}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--work", type=Path, default=Path("/tmp/kb-load"))
    parser.add_argument(
        "--churn", type=float, default=0.0, help="seconds of back-to-back reindexes under load"
    )
    parser.add_argument("--churn-kind", choices=["incremental", "full", "alternating"], default="alternating")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk (bash .ci/run does)")
    args.work.mkdir(parents=True, exist_ok=True)
    settings = prepare(args.work, args.count)
    if args.churn:
        churn(settings, args)
    else:
        throughput(settings, args)


if __name__ == "__main__":
    main()
