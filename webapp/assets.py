"""Static files under fingerprinted names (`style.3f2a9c1b0d.css`), cached for a year, and the favicon.

Pages link every static file by a name that carries a digest of its bytes (`url_for("static", ...)` does it), so a
browser or proxy may keep it forever (`immutable`) and a changed file gets a new address. The plain name
(`/static/style.css`) still answers, for a short time, for anyone who typed it. Files are read into memory and
read again when they change on disk; their ETag is the digest of their bytes, the same on every replica.
"""

from __future__ import annotations

import dataclasses
import hashlib
import mimetypes
import re
import threading
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, request

STATIC = Path(__file__).resolve().parent / "static"
IMMUTABLE = "public, max-age=31536000, immutable"
PLAIN = "public, max-age=300"  # a file asked for by its plain name may change with the next deployment
FAVICON = "public, max-age=86400"
_FINGERPRINTED = re.compile(r"^(?P<stem>[\w-]+)\.(?P<digest>[0-9a-f]{10})(?P<suffix>\.\w+)$")


@dataclasses.dataclass(frozen=True)
class Asset:
    body: bytes
    digest: str
    content_type: str
    stamp: tuple[int, int]

    def fingerprinted(self, name: str) -> str:
        path = Path(name)
        return f"{path.stem}.{self.digest}{path.suffix}"


class Assets:
    """The files of webapp/static by plain name, each read once and again only when it changes."""

    def __init__(self, folder: Path = STATIC) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self._known: dict[str, Asset] = {}

    def get(self, name: str) -> Asset | None:
        if "/" in name or name.startswith("."):
            return None
        path = self.folder / name
        try:
            stat = path.stat()
        except OSError:
            return None
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            found = self._known.get(name)
        if found is None or found.stamp != stamp:
            body = path.read_bytes()
            mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
            if mimetype.startswith("text/") or mimetype in {"application/javascript", "image/svg+xml"}:
                mimetype += "; charset=utf-8"
            found = Asset(body, hashlib.sha256(body).hexdigest()[:10], mimetype, stamp)
            with self._lock:
                self._known[name] = found
        return found

    def resolve(self, filename: str) -> tuple[Asset, bool] | None:
        """The asset a request names, and whether it was named by its fingerprint (None: no such file)."""
        asset = self.get(filename)
        if asset is not None:
            return asset, False
        match = _FINGERPRINTED.match(filename)
        if match is None:
            return None
        asset = self.get(match["stem"] + match["suffix"])
        if asset is None or asset.digest != match["digest"]:
            return None  # an older or unknown version: never serve other bytes under an immutable name
        return asset, True


def _answer(asset: Asset, cache_control: str) -> Response:
    if request.if_none_match.contains(asset.digest):
        response = Response(status=304)
    else:
        response = Response(asset.body, content_type=asset.content_type)
    response.set_etag(asset.digest)
    response.headers["Cache-Control"] = cache_control
    return response


def init(app: Flask) -> None:
    """Serve /static/ and /favicon.ico; `url_for("static", filename=...)` gives the fingerprinted name."""
    assets = Assets()
    app.extensions["kb_assets"] = assets

    def static(filename: str) -> Response:
        found = assets.resolve(filename)
        if found is None:
            abort(404)
        asset, fingerprinted = found
        return _answer(asset, IMMUTABLE if fingerprinted else PLAIN)

    def favicon() -> Response:
        asset = assets.get("favicon.ico")
        if asset is None:
            abort(404)
        return _answer(asset, FAVICON)

    app.add_url_rule("/static/<path:filename>", "static", static)
    app.add_url_rule("/favicon.ico", "favicon", favicon)

    @app.url_defaults
    def _fingerprint(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values:
            asset = assets.get(values["filename"])
            if asset is not None:
                values["filename"] = asset.fingerprinted(values["filename"])
