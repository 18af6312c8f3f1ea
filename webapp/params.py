"""Turn query-string parameters into a `SearchRequest`, refusing bad values with a clear message."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from kb.querylang import clean
from kb.search import MAX_FILTER_VALUES, SearchRequest
from kb.vocabulary import FACETS, SORTS

MAX_PAGE = 10_000
MAX_VALUE_CHARS = 200
LIST_PARAMS = tuple(f.name for f in FACETS)


class BadParameter(ValueError):
    """A query-string value the app cannot use; shown as a 400 page or JSON error."""


def _values(args: MultiDict[str, str], name: str) -> list[str]:
    values = [clean(v)[:MAX_VALUE_CHARS] for v in args.getlist(name)]
    values = [v for v in values if v]
    if len(values) > MAX_FILTER_VALUES:
        raise BadParameter(f"at most {MAX_FILTER_VALUES} values of `{name}` are accepted")
    return values


def page_number(args: MultiDict[str, str]) -> int:
    raw = args.get("page", "").strip()
    if not raw:
        return 1
    if not raw.isascii() or not raw.isdigit() or len(raw) > 6:
        raise BadParameter("`page` must be a whole number between 1 and 10000")
    page = int(raw)
    if not 1 <= page <= MAX_PAGE:
        raise BadParameter("`page` must be a whole number between 1 and 10000")
    return page


def search_request(args: MultiDict[str, str], lang: str, page_size: int) -> SearchRequest:
    """The search described by `q`, the facets (`region`, `theme`, `country`, `scope`, `status`: repeatable),
    `sort` and `page`."""
    q = clean(args.get("q", ""))
    sort = args.get("sort", "").strip().lower()
    if sort and sort not in SORTS:
        raise BadParameter(f"`sort` must be one of: {', '.join(SORTS)}")
    filters: dict[str, list[str]] = {}
    for facet in FACETS:
        values = _values(args, facet.name)
        if facet.kind == "choice":
            values = [v.lower() for v in values]
            for value in values:
                if value not in facet.choices:
                    raise BadParameter(f"`{facet.name}` must be one of: {', '.join(facet.choices)}")
        if values:
            filters[facet.name] = values
    return SearchRequest(
        q=q, filters=filters, sort=sort, page=page_number(args), page_size=page_size, lang=lang
    )
