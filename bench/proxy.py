"""Run deploy/nginx.conf as it is, but for the addresses it says to adapt (benchmarks and the replica test)."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

NGINX = Path("/usr/sbin/nginx")
CONFIG = Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf"


def configured(port: int, upstreams: list[int]) -> str:
    """deploy/nginx.conf listening on `port` with these two replica ports."""
    text = CONFIG.read_text(encoding="utf-8")
    for old, new in (("listen 127.0.0.1:8080;", f"listen 127.0.0.1:{port};"),
                     ("server 127.0.0.1:8001 ", f"server 127.0.0.1:{upstreams[0]} "),
                     ("server 127.0.0.1:8002 ", f"server 127.0.0.1:{upstreams[1]} ")):  # fmt: skip
        if text.count(old) != 1:
            raise RuntimeError(f"deploy/nginx.conf no longer has {old!r} exactly once")
        text = text.replace(old, new)
    return text


@contextlib.contextmanager
def running_nginx(port: int, upstreams: list[int]) -> Iterator[Path]:
    """Start nginx in the foreground with its own prefix folder, yield that folder, stop it at the end."""
    if not NGINX.exists():
        raise RuntimeError(f"{NGINX} is missing: install Debian's nginx (bash .ci/run does)")
    # Outside pytest's private temporary folder: started by root, nginx's workers run as `nobody` and must reach
    # the cache and temporary folders that the master creates for them in the prefix.
    prefix = Path(tempfile.mkdtemp(prefix="kb-nginx-"))
    prefix.chmod(0o755)
    (prefix / "logs").mkdir()
    (prefix / "nginx.conf").write_text(configured(port, upstreams), encoding="utf-8")
    proc = subprocess.Popen([str(NGINX), "-p", f"{prefix}/", "-e", "logs/error.log", "-c", str(prefix / "nginx.conf"),
                             "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log = (prefix / "logs" / "error.log").read_text(errors="replace")
                    raise RuntimeError(f"nginx did not start: {log[-2000:]}") from None
                time.sleep(0.1)
        yield prefix
    finally:
        proc.terminate()  # fast shutdown
        proc.wait(timeout=30)
        shutil.rmtree(prefix, ignore_errors=True)
