"""Downloads of any search (CSV and JSON) and the Atom feed of new and updated practices."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from collections.abc import Iterator

from feedgen.feed import FeedGenerator
from flask import Blueprint, Response, request, url_for
from flask_babel import gettext as _

from kb import store
from kb.models import PracticeRow
from kb.search import Hit, SearchEngine, SearchRequest
from kb.taxonomy import Taxonomy
from webapp.i18n import current_language
from webapp.params import search_request
from webapp.views import knowledge

bp = Blueprint("exports", __name__)
MAX_EXPORT = 10_000
EXPORT_PAGE = 100
FEED_SIZE = 30
FEED_EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # `updated` of a feed with no practice yet
CSV_COLUMNS = ("slug", "title", "summary", "organisation", "regions", "countries", "themes", "status",
               "start_year", "end_year", "url", "scope", "organisation_type", "target_groups", "evidence_level")  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A cell a spreadsheet would run as a formula is prefixed with an apostrophe (OWASP CSV injection)."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def all_hits(engine: SearchEngine, req: SearchRequest) -> Iterator[Hit]:
    page = 1
    while True:
        results = engine.search(dataclasses.replace(req, page=page, page_size=EXPORT_PAGE))
        yield from results.hits
        if page >= results.pages or page * EXPORT_PAGE >= MAX_EXPORT:
            return
        page += 1


def _row(hit: Hit, taxonomy: Taxonomy, lang: str) -> dict[str, str]:
    return {
        "slug": hit.slug, "title": hit.title, "summary": hit.summary, "organisation": hit.organisation,
        "regions": "; ".join(taxonomy.regions[k].name_in(lang) for k in hit.regions if k in taxonomy.regions),
        "countries": "; ".join(hit.countries),
        "themes": "; ".join(taxonomy.themes[k].label_in(lang) for k in hit.themes if k in taxonomy.themes),
        "status": hit.status, "start_year": str(hit.start_year),
        "end_year": "" if hit.end_year is None else str(hit.end_year),
        "url": url_for("views.practice", slug=hit.slug, _external=True),
        "scope": hit.scope, "organisation_type": hit.organisation_type,
        "target_groups": "; ".join(taxonomy.target_groups[k].label_in(lang) for k in hit.target_groups
                                   if k in taxonomy.target_groups),
        "evidence_level": hit.evidence_level,
    }  # fmt: skip


def reviewed(row: PracticeRow) -> dt.datetime:
    """When a practice last changed, as its entry says (`last_reviewed`, midnight UTC). Not the time a machine
    indexed it: that differs between replicas and after every full rebuild, and feed readers would see every
    practice as new again."""
    return dt.datetime.combine(row.last_reviewed, dt.time(0, 0), tzinfo=dt.UTC)


def _download(body: str, mimetype: str, name: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/search/export.csv")
def export_csv() -> Response:
    kb = knowledge()
    lang = current_language()
    req = search_request(request.args, lang, kb.settings.page_size)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for hit in all_hits(kb.engine, req):
        writer.writerow({k: neutralise(v) for k, v in _row(hit, kb.taxonomy, lang).items()})
    return _download("\ufeff" + out.getvalue(), "text/csv", "secon-practices.csv")


@bp.get("/search/export.json")
def export_json() -> Response:
    kb = knowledge()
    lang = current_language()
    req = search_request(request.args, lang, kb.settings.page_size)
    rows = [_row(hit, kb.taxonomy, lang) for hit in all_hits(kb.engine, req)]
    body = json.dumps({"ok": True, "query": req.q, "total": len(rows), "practices": rows}, ensure_ascii=False,
                      indent=1)  # fmt: skip
    return _download(body, "application/json", "secon-practices.json")


@bp.get("/feed.atom")
def feed() -> Response:
    kb = knowledge()
    rows = store.recent_practices(kb.db, FEED_SIZE)
    gen = FeedGenerator()
    gen.id(url_for("views.home", _external=True))
    lang = current_language()
    gen.title(_("SECON best-practice knowledge base: new and updated practices"))
    gen.subtitle(_("Social-economy practices from the SECON regions (a starter collection)."))
    chosen = {} if lang == "en" else {"lang": lang}  # the English feed keeps its plain address
    gen.link(href=url_for("exports.feed", **chosen, _external=True), rel="self")
    gen.link(href=url_for("views.home", **chosen, _external=True), rel="alternate")
    gen.language(lang)
    themes = kb.taxonomy.themes
    gen.updated(max((reviewed(r) for r in rows), default=FEED_EPOCH))
    for row in reversed(rows):  # feedgen prepends: add oldest first so the newest leads
        entry = gen.add_entry()
        link = url_for("views.practice", slug=row.slug, _external=True)
        entry.id(link)
        entry.title(row.title)
        entry.link(href=link)
        entry.summary(row.summary)
        entry.author({"name": row.organisation})
        entry.updated(reviewed(row))
        for key in json.loads(row.data_json).get("themes", []):  # the entry itself is in English
            if key in themes:
                entry.category(term=key, label=themes[key].label_in(lang))
    return Response(gen.atom_str(pretty=True), mimetype="application/atom+xml")
