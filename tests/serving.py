"""`kb serve` (gunicorn) as an operator starts it, on a free port of 127.0.0.1, for the end-to-end tests."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from kb.config import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclasses.dataclass
class Server:
    base: str
    port: int
    process: subprocess.Popen[bytes]

    def kill(self) -> None:
        """SIGKILL the whole server at once (gunicorn's master and its workers): a node failing."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


def wait_until_up(url: str, process: subprocess.Popen[bytes], log_path: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not come up: {log_path.read_text()[-2000:]}") from None
            time.sleep(0.2)


@contextlib.contextmanager
def server(settings: Settings, log_path: Path, workers: int = 2, port: int | None = None) -> Iterator[Server]:
    """Serve these settings until the block ends. The server runs in its own process group (so that a test can
    kill it whole) and writes its output to `log_path`."""
    port = port or free_port()
    env = dict(os.environ, KB_CONTENT_DIR=str(settings.content_dir), KB_INDEX_DIR=str(settings.index_dir))
    with log_path.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen([sys.executable, "-m", "kb", "serve", "--port", str(port), "--workers", str(workers)],
                                env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base + "/healthz", proc, log_path)
            yield Server(base, port, proc)
        finally:
            if proc.poll() is None:
                proc.terminate()
            proc.wait(timeout=30)


@contextlib.contextmanager
def serving(settings: Settings, log_path: Path, workers: int = 2) -> Iterator[str]:
    """Serve these settings until the block ends; yields the base URL."""
    with server(settings, log_path, workers) as running:
        yield running.base
