"""HTTP caching: an ETag from what an answer is made of, Cache-Control per route, and 304 before any work.

The ETag of a page or API answer is computed before the view runs, from the inputs that decide its bytes: the
code and the settings that shape output (`fingerprint`), the knowledge base's state (taxonomy, database and
index contents: `Knowledge.state`), the address asked for (host, path and query string) and, where the answer is
translated, the interface language. A request whose `If-None-Match` names that tag gets a 304 at the cost of
computing it, without searching or rendering. The tags are weak (`W/`): the same inputs give the same answer
except for what is not meant to be compared (a search answer's `elapsed_ms`). Because the inputs are contents,
not times or machines, every replica with the same code and content gives the same tag for the same request.

Cache-Control: short for what a reindex changes (search, listings, the API: `SHORT` seconds), longer for single
practices and the feed (`MEDIUM`), long and immutable for static files with fingerprinted names (webapp/assets),
`no-store` only where an answer must never come from a cache (the health check, 5xx). Answers that set a cookie
are `private`. Translated answers say `Vary: Accept-Language, Cookie`: the language comes from `?lang=` (in the
URL), else the `lang` cookie, else the browser's preference (the reverse proxy in deploy/ puts the same two
headers' values in its cache key instead of honouring Vary, so that unrelated cookies do not split its cache).
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from flask import Flask, Response, current_app, g, request

from kb.config import Settings
from kb.errors import IndexNotBuilt

SHORT = 10  # seconds: search, listings, home, API answers; a reindex shows through any cache within this
MEDIUM = 60  # a practice page, the about page, the feed, the API description
LANGUAGE_VARY = ("Accept-Language", "Cookie")


@dataclasses.dataclass(frozen=True)
class Policy:
    max_age: int
    translated: bool = True  # the answer depends on the interface language


POLICIES: dict[str, Policy] = {
    "views.home": Policy(SHORT),
    "views.search": Policy(SHORT),
    "views.region": Policy(SHORT),
    "views.theme": Policy(SHORT),
    "views.practice": Policy(MEDIUM),
    "views.about": Policy(MEDIUM),
    "exports.export_csv": Policy(SHORT),
    "exports.export_json": Policy(SHORT),
    "exports.feed": Policy(MEDIUM),  # its title and theme categories are in the interface language
    "api.search": Policy(SHORT),
    "api.practice": Policy(MEDIUM),
    "api.regions": Policy(SHORT),
    "api.themes": Policy(SHORT),
    "api.resolve_name": Policy(SHORT),
    "api.openapi": Policy(MEDIUM, translated=False),
    "toolkit.compare": Policy(SHORT),
    "toolkit.api_compare": Policy(SHORT),
    # The briefs carry the day they were written, which no ETag input records: cached briefly, never revalidated.
}
NO_STORE = frozenset({"healthz"})
SELF_MANAGED = frozenset({"static", "favicon"})  # webapp/assets sets their headers


def fingerprint(settings: Settings) -> str:
    """The code and the settings that decide what the app writes: every file of the `kb` and `webapp` packages
    (templates and translations included) and the page size and fuzzy cutoff. The same checkout gives the same
    fingerprint on every machine; a deployment that changes any of it changes every ETag."""
    digest = hashlib.sha256(f"{settings.page_size}|{settings.fuzzy_cutoff}".encode())
    root = Path(__file__).resolve().parent.parent
    for package in ("kb", "webapp"):
        for path in sorted((root / package).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def current_etag(policy: Policy) -> str:
    """The (weak) entity tag of the answer to this request, from its inputs; IndexNotBuilt when there is no state."""
    from webapp.i18n import current_language

    kb = current_app.extensions["kb"]
    lang = current_language() if policy.translated else ""
    query = request.query_string.decode("latin-1")
    key = f"{current_app.extensions['kb_fingerprint']}|{kb.state()}|{request.host_url}|{request.path}?{query}|{lang}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _apply(response: Response, policy: Policy, max_age: int | None = None) -> None:
    response.headers["Cache-Control"] = f"public, max-age={policy.max_age if max_age is None else max_age}"
    if policy.translated:
        for header in LANGUAGE_VARY:
            response.vary.add(header)


def init(app: Flask, settings: Settings) -> None:
    app.extensions["kb_fingerprint"] = fingerprint(settings)

    @app.before_request
    def _not_modified() -> Response | None:
        policy = POLICIES.get(request.endpoint or "")
        if policy is None or request.method not in {"GET", "HEAD"}:
            return None
        try:
            tag = current_etag(policy)
        except IndexNotBuilt:
            return None  # the view answers 503
        g.etag = tag
        if request.if_none_match.contains_weak(tag):
            response = Response(status=304)
            response.set_etag(tag, weak=True)
            _apply(response, policy)
            return response
        return None

    @app.after_request
    def _cache_headers(response: Response) -> Response:
        endpoint = request.endpoint or ""
        if endpoint in SELF_MANAGED and response.status_code < 400:
            return response
        policy = POLICIES.get(endpoint, Policy(SHORT))
        status = response.status_code
        if endpoint in NO_STORE or status >= 500 or request.method not in {"GET", "HEAD"}:
            response.headers["Cache-Control"] = "no-store"
        elif status == 304:
            pass  # made above, with its headers
        elif status == 200 and g.get("etag"):
            response.set_etag(g.etag, weak=True)
            _apply(response, policy)
        else:  # redirects and 4xx: briefly, since a reindex may make the address valid
            _apply(response, Policy(SHORT), SHORT)
        if "Set-Cookie" in response.headers and "public" in response.headers.get("Cache-Control", ""):
            response.headers["Cache-Control"] = response.headers["Cache-Control"].replace("public", "private")
        return response
