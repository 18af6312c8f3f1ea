"""The HTML pages: home, search, practice, region, theme, about. Each has a JSON twin under /api/."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from kb import store
from kb.filters import resolve
from kb.search import FacetValue, SearchRequest, SearchResults
from kb.vocabulary import SORTS
from webapp import charts
from webapp.errors import error_response
from webapp.i18n import current_language
from webapp.knowledge import Knowledge
from webapp.labels import value_label
from webapp.params import BadParameter, page_number, search_request

bp = Blueprint("views", __name__)
RECENT_ON_HOME = 6


def knowledge() -> Knowledge:
    found: Knowledge = current_app.extensions["kb"]
    return found


def status_labels() -> dict[str, str]:
    return {"ongoing": _("Ongoing"), "completed": _("Completed"), "pilot": _("Pilot")}


def facet_titles() -> dict[str, str]:
    return {"region": _("Region"), "country": _("Country"), "theme": _("Theme"), "scope": _("Scope"),
            "status": _("Status"), "evidence": _("Evidence level"), "target": _("Target group"),
            "organisation_type": _("Organisation type")}  # fmt: skip


# -- building shareable URLs from the current state -------------------------------------------------------------
def state_args(args: MultiDict[str, str] | None = None) -> dict[str, list[str]]:
    args = request.args if args is None else args
    return {k: [v for v in vs if v] for k, vs in args.lists() if k not in {"page", "lang"} and any(vs)}


def search_url(state: dict[str, list[str]], endpoint: str = "views.search", **extra: Any) -> str:
    values: dict[str, Any] = {k: v for k, v in state.items() if v}
    return url_for(endpoint, **values, **extra)


def without(state: dict[str, list[str]], name: str, values: set[str]) -> dict[str, list[str]]:
    out = {k: list(v) for k, v in state.items()}
    out[name] = [v for v in out.get(name, []) if v not in values]
    return out


def replaced(state: dict[str, list[str]], name: str, old: str, new: str) -> dict[str, list[str]]:
    out = {k: list(v) for k, v in state.items()}
    out[name] = [new if v == old else v for v in out.get(name, [])]
    return out


def chips(results: SearchResults, state: dict[str, list[str]]) -> list[dict[str, str]]:
    """Applied filters as removable chips; removing one also drops the typed text that resolved to it."""
    typed_for: dict[tuple[str, str], set[str]] = {}
    for choice in results.filters:
        if choice.key:
            typed_for.setdefault((choice.kind, choice.key), set()).add(choice.typed)
    labels = {f: {v.key: v.label for v in values} for f, values in results.facets.items()}
    out = []
    for facet, keys in results.selected.items():
        for key in keys:
            drop = typed_for.get((facet, key), set()) | {key}
            if facet not in {"region", "theme", "target"}:
                drop |= {v for v in state.get(facet, []) if v.strip().lower() == key.lower()}
            label = value_label(facet, key, labels.get(facet, {}).get(key, key))
            out.append(
                {
                    "facet": facet_titles()[facet],
                    "label": label,
                    "url": search_url(without(state, facet, drop)),
                }
            )
    return out


def filter_messages(results: SearchResults, state: dict[str, list[str]]) -> list[dict[str, Any]]:
    """How each typed region or theme was read: applied (with alternatives), ambiguous, or unknown."""
    out = []
    for choice in results.filters:
        if choice.status == "resolved" and choice.typed.strip().lower() == choice.key:
            continue  # the key itself was given: nothing to explain
        alternatives = [
            {"label": a["label"], "url": search_url(replaced(state, choice.kind, choice.typed, a["key"]))}
            for a in choice.alternatives[:4]
        ]
        out.append({"kind": choice.kind, "typed": choice.typed, "status": choice.status, "label": choice.label,
                    "alternatives": alternatives, "remove": search_url(without(state, choice.kind, {choice.typed}))})  # fmt: skip
    return out


def page_links(
    results: SearchResults, state: dict[str, list[str]], endpoint: str, **view_args: Any
) -> list[dict[str, Any]]:
    """Numbered page links around the current page (first and last always present)."""
    wanted = {1, results.pages, *range(results.page - 2, results.page + 3)}
    links: list[dict[str, Any]] = []
    previous = 0
    for number in sorted(n for n in wanted if 1 <= n <= results.pages):
        if number - previous > 1:
            links.append({"gap": True})
        links.append({"number": number, "current": number == results.page,
                      "url": search_url(state, endpoint, page=number, **view_args)})  # fmt: skip
        previous = number
    return links


def selected_keys(facets: dict[str, list[FacetValue]]) -> dict[str, set[str]]:
    return {f: {v.key for v in values if v.selected} for f, values in facets.items()}


# -- pages ----------------------------------------------------------------------------------------------------------
@bp.get("/")
def home() -> str:
    kb = knowledge()
    lang = current_language()
    taxonomy, engine = kb.taxonomy, kb.engine
    counts = engine.counts()
    regions = [(r, r.name_in(lang), counts["region"].get(key, 0)) for key, r in taxonomy.regions.items()]
    themes = [(t, t.label_in(lang), counts["theme"].get(key, 0)) for key, t in taxonomy.themes.items()]
    recent = store.recent_practices(kb.db, RECENT_ON_HOME)
    region_chart = charts.bar_chart(
        _("Practices per region"), [(name, n, url_for("views.region", key=r.key)) for r, name, n in regions]
    )
    theme_chart = charts.bar_chart(
        _("Practices per theme"), [(label, n, url_for("views.theme", key=t.key)) for t, label, n in themes]
    )
    return render_template("home.html", total=engine.total(), regions=regions, themes=themes, recent=recent,
                           charts=[region_chart, theme_chart])  # fmt: skip


@bp.get("/search")
def search() -> str:
    kb = knowledge()
    req = search_request(request.args, current_language(), kb.settings.page_size)
    results = kb.engine.search(req)
    state = state_args()
    return render_template(
        "search.html", results=results, state=state, chips=chips(results, state),
        messages=filter_messages(results, state), pages=page_links(results, state, "views.search"),
        selected=selected_keys(results.facets), typed_region="", typed_theme="",
        sort_url={s: search_url(dict(state, sort=[s])) for s in SORTS},
        suggestion_url=search_url(dict(state, q=[results.suggestion])) if results.suggestion else None,
        typed_only_url=search_url(dict(state, expand=["0"])),
        expand_url=search_url({k: v for k, v in state.items() if k != "expand"}),
        original_url=search_url(dict(state, q=[results.corrected_from])) if results.corrected_from else None,
    )  # fmt: skip


@bp.get("/practices/<slug>")
def practice(slug: str) -> Response | str:
    kb = knowledge()
    row = store.get_practice(kb.db, slug)
    if row is None:
        near = [{"title": h.title, "url": url_for("views.practice", slug=h.slug)}
                for h in kb.engine.slugs_like(slug)]  # fmt: skip
        return error_response(404, _("There is no practice at this address."), near=near)
    data = json.loads(row.data_json)
    return render_template("practice.html", row=row, data=data, similar=kb.engine.similar(slug),
                           taxonomy=kb.taxonomy)  # fmt: skip


def _listing(kind: str, key: str) -> Response | str:
    kb = knowledge()
    taxonomy = kb.taxonomy
    items: dict[str, Any] = taxonomy.regions if kind == "region" else taxonomy.themes
    endpoint = f"views.{kind}"
    if key not in items:
        found = resolve(taxonomy, kind, key)  # type: ignore[arg-type]
        if found.chosen:
            return redirect(url_for(endpoint, key=found.chosen), code=302)  # type: ignore[return-value]
        near = [{"title": m.label, "url": url_for(endpoint, key=m.key)} for m in found.matches]
        message = _("There is no such region.") if kind == "region" else _("There is no such theme.")
        return error_response(404, message, near=near)
    lang = current_language()
    sort = request.args.get("sort", "title")
    if sort not in SORTS:
        raise BadParameter(f"`sort` must be one of: {', '.join(SORTS)}")
    req = SearchRequest(
        filters={kind: [key]},
        sort=sort,
        page=page_number(request.args),
        page_size=kb.settings.page_size,
        lang=lang,
    )
    results = kb.engine.search(req)
    state = {"sort": [sort]} if sort != "title" else {}
    return render_template(
        "listing.html", kind=kind, item=items[key], results=results,
        pages=page_links(results, state, endpoint, key=key),
        search_link=search_url({kind: [key]}),
    )  # fmt: skip


@bp.get("/regions/<key>")
def region(key: str) -> Response | str:
    return _listing("region", key)


@bp.get("/themes/<key>")
def theme(key: str) -> Response | str:
    return _listing("theme", key)


@bp.get("/about")
def about() -> str:
    kb = knowledge()
    place_based = {key: kb.engine.search(SearchRequest(filters={"region": [key], "scope": ["local", "regional"]},
                                                       page_size=1)).total for key in kb.taxonomy.regions}  # fmt: skip
    return render_template("about.html", total=kb.engine.total(), taxonomy=kb.taxonomy, counts=kb.engine.counts(),
                           place_based=place_based)  # fmt: skip


# -- template helpers -------------------------------------------------------------------------------------------------
@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    from webapp.i18n import LANGUAGES

    def lang_url(code: str, external: bool = False) -> str:
        args: dict[str, Any] = request.args.to_dict(flat=False)
        args["lang"] = [code]
        view_args = request.view_args or {}
        endpoint = request.endpoint if request.endpoint and request.url_rule else "views.home"
        try:
            return url_for(endpoint, **view_args, **args, _external=external)
        except Exception:  # an error page for a URL that cannot be rebuilt: switch on the home page
            return url_for("views.home", lang=code, _external=external)

    def region_name(key: str) -> str:
        try:
            regions = knowledge().taxonomy.regions
        except Exception:
            return key
        return regions[key].name_in(current_language()) if key in regions else key

    def theme_label(key: str) -> str:
        try:
            themes = knowledge().taxonomy.themes
        except Exception:
            return key
        return themes[key].label_in(current_language()) if key in themes else key

    return {"lang": current_language(), "languages": LANGUAGES, "lang_url": lang_url,
            "status_labels": status_labels(), "facet_titles": facet_titles(),
            "region_name": region_name, "theme_label": theme_label}  # fmt: skip
