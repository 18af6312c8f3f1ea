"""Reindexing while the production server answers: no failed request, and never a mixed state.

A real `kb serve` (gunicorn, two workers) on 127.0.0.1, clients in threads, and `kb reindex` run as the
operator runs it (incremental, and every third run `--full`). Each reindex moves a marker word from one group of
twenty entries to the other, so any answer that counts something other than 0 or 20 entries for a marker would be
a half-applied reindex. The longer soak lives in `bench/load.py --reindex-during`.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from bench.generate import generate
from kb.config import Settings
from kb.reindex import reindex

from .conftest import DATA
from .serving import serving

GROUP = 20
ROUNDS = 9
CLIENTS = 4


def _mark(files: list[Path], marker: str) -> None:
    for path in files:
        text = path.read_text(encoding="utf-8")
        for old in ("Zebraalpha", "Zebrabeta"):
            text = text.replace(f"{old}.\n\n## Results", "## Results")
        if marker:
            text = text.replace("## Results", f"{marker}.\n\n## Results", 1)
        path.write_text(text, encoding="utf-8")


def _get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.mark.slow
def test_reindex_under_load_fails_no_request_and_shows_no_mixed_state(tmp_path: Path) -> None:
    content = tmp_path / "practices"
    generate(content, 200, seed=21, taxonomy=DATA / "taxonomy.yaml")
    files = sorted(content.glob("generated-*.md"))
    alpha, beta = files[:GROUP], files[GROUP : 2 * GROUP]
    _mark(alpha, "Zebraalpha")
    settings = Settings(content_dir=content, index_dir=tmp_path / "index")
    assert reindex(settings, full=True).failed == 0

    env = dict(os.environ, KB_CONTENT_DIR=str(content), KB_INDEX_DIR=str(settings.index_dir))
    kb = [sys.executable, "-m", "kb"]
    log_path = tmp_path / "server.log"
    stop = threading.Event()
    failures: list[str] = []
    counts: dict[str, set[int]] = {"zebraalpha": set(), "zebrabeta": set()}
    served = [0]
    lock = threading.Lock()

    def client(seed: int) -> None:
        paths = [
            "/api/search?" + urllib.parse.urlencode({"q": "zebraalpha"}),
            "/api/search?" + urllib.parse.urlencode({"q": "zebrabeta"}),
            "/search?" + urllib.parse.urlencode({"q": "social cooperative", "region": "Masowien"}),
            "/practices/" + files[seed].stem,
        ]
        n = seed
        while not stop.is_set():
            path = paths[n % len(paths)]
            n += 1
            try:
                status, body = _get(port, path)
            except OSError as exc:
                status, body = 0, repr(exc).encode()
            with lock:
                served[0] += 1
                if status != 200:
                    failures.append(f"{status} {path}: {body[:200]!r}")
                elif path.startswith("/api/search"):
                    payload = json.loads(body)
                    counts[urllib.parse.parse_qs(path.split("?", 1)[1])["q"][0]].add(payload["total"])

    with serving(settings, log_path) as base:
        port = int(base.rsplit(":", 1)[1])
        threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
        try:
            for t in threads:
                t.start()
            for round_ in range(ROUNDS):
                marked, other = (beta, alpha) if round_ % 2 == 0 else (alpha, beta)
                _mark(other, "")
                _mark(marked, "Zebrabeta" if marked is beta else "Zebraalpha")
                args = ["reindex", "--full"] if round_ % 3 == 2 else ["reindex"]
                done = subprocess.run([*kb, *args], env=env, capture_output=True, text=True, timeout=120)
                assert done.returncode == 0, done.stderr
            time.sleep(0.5)
        finally:  # the clients stop even when a reindex fails
            stop.set()
            for t in threads:
                t.join(timeout=60)
    server_log = log_path.read_text(encoding="utf-8")

    print(f"{served[0]} requests during {ROUNDS} reindexes, {len(failures)} failed")  # shown with -s
    assert served[0] > 50  # the clients really ran alongside the reindexes
    assert failures == []
    assert counts["zebraalpha"] <= {0, GROUP} and counts["zebrabeta"] <= {0, GROUP}, counts
    assert counts["zebraalpha"] == {0, GROUP}  # both states were seen: the server followed every switch
    assert "Traceback" not in server_log, server_log[-3000:]
