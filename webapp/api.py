"""The JSON twins of the pages under /api/: the same data the HTML shows, in one stable shape."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for
from flask_babel import gettext as _

from kb import store
from kb.filters import label_of, resolve
from kb.search import Hit
from webapp.errors import error_response
from webapp.i18n import current_language
from webapp.params import BadParameter, search_request
from webapp.views import knowledge

bp = Blueprint("api", __name__)


def hit_json(hit: Hit) -> dict[str, Any]:
    data = dataclasses.asdict(hit)
    data["url"] = url_for("views.practice", slug=hit.slug, _external=True)
    data["api_url"] = url_for("api.practice", slug=hit.slug, _external=True)
    return data


@bp.get("/search")
def search() -> Response:
    kb = knowledge()
    req = search_request(request.args, current_language(), kb.settings.page_size)
    results = kb.engine.search(req)
    data = dataclasses.asdict(results)
    data["hits"] = [hit_json(h) for h in results.hits]
    return jsonify({"ok": True, **data})


@bp.get("/practices/<slug>")
def practice(slug: str) -> Response:
    kb = knowledge()
    row = store.get_practice(kb.db, slug)
    if row is None:
        near = [h.slug for h in kb.engine.slugs_like(slug)]
        return error_response(404, _("There is no practice at this address."), near=near)
    return jsonify({
        "ok": True, "slug": row.slug, "url": url_for("views.practice", slug=row.slug, _external=True),
        "countries": row.countries.split(), "fields": json.loads(row.data_json), "body_html": row.body_html,
        "similar": [hit_json(h) for h in kb.engine.similar(slug)],
    })  # fmt: skip


@bp.get("/regions")
def regions() -> Response:
    kb = knowledge()
    lang = current_language()
    counts = kb.engine.counts()["region"]
    return jsonify({"ok": True, "regions": [
        {"key": r.key, "name": r.name, "label": r.name_in(lang), "country": r.country,
         "country_name": r.country_name, "nuts": list(r.nuts), "names": {k: list(v) for k, v in r.names.items()},
         "aliases": list(r.aliases), "count": counts.get(r.key, 0),
         "url": url_for("views.region", key=r.key, _external=True)}
        for r in kb.taxonomy.regions.values()
    ]})  # fmt: skip


@bp.get("/themes")
def themes() -> Response:
    kb = knowledge()
    lang = current_language()
    counts = kb.engine.counts()["theme"]
    return jsonify({"ok": True, "themes": [
        {"key": t.key, "label": t.label_in(lang), "labels": {"en": t.label, **t.labels},
         "description": t.description, "synonyms": list(t.synonyms), "count": counts.get(t.key, 0),
         "url": url_for("views.theme", key=t.key, _external=True)}
        for t in kb.taxonomy.themes.values()
    ]})  # fmt: skip


@bp.get("/resolve/<kind>")
def resolve_name(kind: str) -> Response:
    if kind not in {"region", "theme", "target"}:
        return error_response(404, _("There is no page at this address."))
    text = request.args.get("q", "")
    if not text.strip():
        raise BadParameter("give the name to resolve as `q`, e.g. /api/resolve/region?q=Masowien")
    kb = knowledge()
    found = resolve(kb.taxonomy, kind, text[:200], cutoff=kb.settings.fuzzy_cutoff)  # type: ignore[arg-type]
    lang = current_language()
    return jsonify({
        "ok": True, "kind": kind, "text": text[:200], "status": found.status, "chosen": found.chosen,
        "matches": [{"key": m.key, "label": label_of(kb.taxonomy, kind, m.key, lang),  # type: ignore[arg-type]
                     "score": m.score, "matched": m.matched} for m in found.matches],
    })  # fmt: skip


@bp.get("/openapi.json")
def openapi() -> Response:
    from webapp.openapi import document

    return jsonify(document())


@bp.get("/<path:_rest>")
def not_found(_rest: str) -> Response:
    return error_response(404, _("There is no page at this address."))
