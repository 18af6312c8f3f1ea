"""Bounded HTTP load (and soak) against the production server (`kb serve`, gunicorn) on 127.0.0.1 only.

    python bench/load.py --count 10000 --clients 20 --duration 20 [--reindex-during] [--work /tmp/kb-load]

For each scenario (the search page, the search API, and the same server's static route as the ceiling) it runs
`--clients` closed-loop clients for `--duration` seconds and reports requests/s, p50/p99 latency and errors. With
`--reindex-during`, entries are edited and `kb reindex` runs in a loop while the search scenarios run: every
request must still succeed. Worker memory (RSS) is sampled through the run so a soak shows whether it stays flat.
No tool beyond the standard library is needed (wrk and locust are not installed here); note that the load
generator shares the two cores with the server, so absolute figures are pessimistic.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import generate
from kb.config import Settings
from kb.reindex import reindex

ROOT = Path(__file__).resolve().parent.parent
WORDS = ["social cooperative", "digital skills", "training young people", "repair furniture", "microloans",
         "local products", "refugees", "recycling", "older people care", "mentoring", "rural tourism", "inclsion"]  # fmt: skip
REGIONS = ["", "mazovia", "Masowien", "haskovo", "rhein nekar"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def search_path(prefix: str, rng: random.Random) -> str:
    params = {"q": rng.choice(WORDS)}
    region = rng.choice(REGIONS)
    if region:
        params["region"] = region
    return prefix + "?" + urllib.parse.urlencode(params)


SCENARIOS = {
    "static (ceiling)": lambda rng: "/static/style.css",
    "search page": lambda rng: search_path("/search", rng),
    "search API": lambda rng: search_path("/api/search", rng),
}


def client(
    port: int, make_path: object, stop: float, seed: int, latencies: list[float], errors: list[str]
) -> None:
    rng = random.Random(seed)
    while time.perf_counter() < stop:
        path = make_path(rng)  # type: ignore[operator]
        started = time.perf_counter()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status != 200:
                errors.append(f"{response.status} {path}")
        except OSError as exc:
            errors.append(f"{type(exc).__name__} {path}")
        latencies.append(time.perf_counter() - started)


def worker_rss_mb(master_pid: int) -> float:
    """Total resident memory of the gunicorn master and its workers, from /proc."""
    total = 0
    for pid in [master_pid, *_children(master_pid)]:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def run(port: int, name: str, clients: int, duration: float, master: int) -> dict[str, float]:
    latencies: list[float] = []
    errors: list[str] = []
    stop = time.perf_counter() + duration
    threads = [threading.Thread(target=client, args=(port, SCENARIOS[name], stop, i, latencies, errors))
               for i in range(clients)]  # fmt: skip
    memory: list[float] = []
    started = time.perf_counter()
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        memory.append(worker_rss_mb(master))
        time.sleep(1)
    elapsed = time.perf_counter() - started
    latencies.sort()
    for line in sorted(set(errors))[:5]:
        print("  error:", line)
    return {
        "requests": len(latencies), "rps": len(latencies) / elapsed, "errors": len(errors),
        "p50": 1000 * latencies[len(latencies) // 2] if latencies else 0.0,
        "p99": 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else 0.0,
        "rss_first": memory[0] if memory else 0.0, "rss_last": memory[-1] if memory else 0.0,
        "rss_max": max(memory) if memory else 0.0,
        **{f"rss_{q}": memory[len(memory) * q // 4] if memory else 0.0 for q in (1, 2, 3)},
    }  # fmt: skip


def reindex_loop(settings: Settings, stop: threading.Event, counts: list[int]) -> None:
    files = sorted(settings.content_dir.glob("*.md"))[:20]
    n = 0
    while not stop.is_set():
        path = files[n % len(files)]
        path.write_text(path.read_text(encoding="utf-8") + f"\nEdited during load {n}.\n", encoding="utf-8")
        reindex(settings)
        n += 1
        counts[0] = n


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reindex-during", action="store_true")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kb-load"))
    parser.add_argument(
        "--only", action="append", choices=list(SCENARIOS), help="run only this scenario (repeatable)"
    )
    args = parser.parse_args()
    scenarios = args.only or list(SCENARIOS)

    content = args.work / f"content-{args.count}"
    if not content.exists():
        generate(content, args.count, seed=1, taxonomy=ROOT / "practices" / "taxonomy.yaml")
        shutil.copy(ROOT / "practices" / "taxonomy.yaml", content / "taxonomy.yaml")
    settings = Settings(content_dir=content, index_dir=args.work / f"index-{args.count}")
    summary = reindex(settings)
    print(summary.line())
    port = free_port()
    env = dict(os.environ, KB_CONTENT_DIR=str(content), KB_INDEX_DIR=str(settings.index_dir))
    log_path = args.work / "server.log"
    log = log_path.open("w", encoding="utf-8")
    server = subprocess.Popen([sys.executable, "-m", "kb", "serve", "--port", str(port), "--workers", str(args.workers)],
                              env=env, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        for name in scenarios:  # warm every worker's searcher
            run(port, name, args.workers * 2, 2, server.pid)
        print(
            f"\n{args.count} entries, {args.clients} clients, {args.duration:.0f} s per scenario, "
            f"{args.workers} gunicorn workers"
            + (", reindexing during the search runs" if args.reindex_during else "")
        )
        print(
            "| scenario | requests | req/s | p50 ms | p99 ms | errors | server RSS MB (first / last / max) |"
        )
        print("|---|---:|---:|---:|---:|---:|---|")
        for name in scenarios:
            stop = threading.Event()
            counts = [0]
            loop = None
            if args.reindex_during and name != "static (ceiling)":
                loop = threading.Thread(target=reindex_loop, args=(settings, stop, counts))
                loop.start()
            r = run(port, name, args.clients, args.duration, server.pid)
            stop.set()
            if loop:
                loop.join()
            extra = f" ({counts[0]} reindexes)" if loop else ""
            print(
                f"| {name}{extra} | {r['requests']:.0f} | {r['rps']:.1f} | {r['p50']:.0f} | {r['p99']:.0f} | "
                f"{r['errors']:.0f} | {r['rss_first']:.0f} / {r['rss_last']:.0f} / {r['rss_max']:.0f} |"
            )
            if args.duration >= 60:  # a soak: is memory flat?
                print(f"  server RSS MB at 0 / 25 / 50 / 75 / 100 % of the run: {r['rss_first']:.0f} / "
                      f"{r['rss_1']:.0f} / {r['rss_2']:.0f} / {r['rss_3']:.0f} / {r['rss_last']:.0f}")  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
    tracebacks = log_path.read_text(encoding="utf-8", errors="replace").count("Traceback")
    print(f"\nserver log {log_path}: {tracebacks} tracebacks")


if __name__ == "__main__":
    main()
