"""Two `kb serve` replicas behind the real nginx of deploy/nginx.conf, over the same index.

One replica is killed with SIGKILL while clients read through nginx: no request fails. A reindex is visible through
nginx's cache within the max-age the app states. Both replicas give the same ETag for the same request, and nginx
answers If-None-Match with a 304 from its cache.
"""

from __future__ import annotations

import contextlib
import http.client
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.generate import generate
from bench.proxy import NGINX, running_nginx
from kb.config import Settings
from kb.reindex import reindex
from webapp.caching import SHORT

from .conftest import DATA
from .serving import free_port, server

CLIENTS = 6


def _get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


@contextlib.contextmanager
def nginx(port: int, upstreams: list[int]) -> Iterator[Path]:
    if not NGINX.exists():
        pytest.fail(f"{NGINX} is missing: install Debian's nginx (bash .ci/run does)")
    with running_nginx(port, upstreams) as prefix:
        yield prefix


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_replicas_behind_nginx_survive_a_killed_node_and_show_a_reindex_within_max_age(
    tmp_path: Path,
) -> None:
    content = tmp_path / "practices"
    generate(content, 120, seed=7, taxonomy=DATA / "taxonomy.yaml")
    settings = Settings(content_dir=content, index_dir=tmp_path / "index")
    assert reindex(settings, full=True).failed == 0
    slugs = sorted(p.stem for p in content.glob("generated-*.md"))
    proxy = free_port()

    with (
        server(settings, tmp_path / "replica-a.log") as a,
        server(settings, tmp_path / "replica-b.log") as b,
        nginx(proxy, [a.port, b.port]) as prefix,
    ):
        # The same content and code on both replicas: the same tag for the same request (the same host too:
        # absolute links in answers are made from it, so it is part of the tag).
        page = "/search?q=social+cooperative"
        host = {"Host": f"127.0.0.1:{proxy}"}
        assert _get(a.port, page, host)[1]["etag"] == _get(b.port, page, host)[1]["etag"]

        # Through nginx: cached after the first answer, and If-None-Match gets a 304 from the cache.
        status, headers, _ = _get(proxy, page)
        assert status == 200 and headers["x-cache-status"] in {"MISS", "EXPIRED", "HIT"}
        status, headers, _ = _get(proxy, page)
        assert status == 200 and headers["x-cache-status"] == "HIT"
        status, again, body = _get(proxy, page, {"If-None-Match": headers["etag"]})
        assert status == 304 and body == b"" and again["etag"] == headers["etag"]

        # Clients read through nginx, half of their requests unique (never cached: they reach a replica).
        stop = threading.Event()
        failures: list[str] = []
        cut: list[str] = []  # answers cut off mid-transfer by the kill
        served = [0, 0]  # before and after the kill
        killed = threading.Event()
        lock = threading.Lock()

        def client(seed: int) -> None:
            n = 0
            while not stop.is_set():
                n += 1
                if n % 2:
                    path = "/api/search?" + urllib.parse.urlencode({"q": f"social {seed}x{n}"})
                elif n % 4 == 2:
                    path = f"/practices/{slugs[(seed * 31 + n) % len(slugs)]}"
                else:
                    path = page
                try:
                    status, _, body = _get(proxy, path)
                except http.client.IncompleteRead as exc:
                    # The response had started from the node that was killed: once nginx has passed on the
                    # headers it cannot take the answer from the other node (a limit of any proxy).
                    with lock:
                        cut.append(f"{path}: {exc!r}")
                    continue
                except (OSError, http.client.HTTPException) as exc:
                    status, body = 0, repr(exc).encode()
                with lock:
                    served[killed.is_set()] += 1
                    if status != 200:
                        failures.append(f"{status} {path}: {body[:200]!r}")

        threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
        try:
            for t in threads:
                t.start()
            time.sleep(3)
            a.kill()  # SIGKILL to gunicorn's master and workers at once, with requests in flight
            killed.set()
            time.sleep(5)
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=60)
        print(
            f"{served[0]} requests before the kill, {served[1]} after, {len(failures)} failed, {len(cut)} cut off"
        )  # shown with -s
        assert served[0] > 20 and served[1] > 20  # the clients really ran on both sides of the kill
        assert failures == []
        assert len(cut) <= 2, cut  # at most the answers in flight on the killed node
        access = (prefix / "logs" / "access.log").read_text(encoding="utf-8")
        assert f"upstream=127.0.0.1:{a.port} " in access and f"upstream=127.0.0.1:{b.port} " in access
        # nginx saw the dead replica (refused or dropped connections) and answered from the other one instead.
        errors = (prefix / "logs" / "error.log").read_text(encoding="utf-8")
        assert f'upstream: "http://127.0.0.1:{a.port}' in errors

        # A reindex shows through the cache within the max-age the app states for search answers.
        marked = "/api/search?q=zebragamma"
        _get(proxy, marked)
        status, headers, body = _get(proxy, marked)
        assert headers["x-cache-status"] == "HIT" and b'"total":0' in body
        entry = content / f"{slugs[0]}.md"
        entry.write_text(entry.read_text(encoding="utf-8").replace("## Results", "Zebragamma.\n\n## Results", 1),
                         encoding="utf-8")  # fmt: skip
        assert reindex(settings).updated == 1
        reindexed = time.monotonic()
        while b'"total":1' not in _get(proxy, marked)[2]:
            assert time.monotonic() - reindexed < SHORT + 3, "the reindex did not show through nginx in time"
            time.sleep(0.25)
        print(
            f"the reindex showed through nginx after {time.monotonic() - reindexed:.1f} s (max-age {SHORT} s)"
        )
    for name in ("replica-a.log", "replica-b.log"):
        assert "Traceback" not in (tmp_path / name).read_text(encoding="utf-8"), name
