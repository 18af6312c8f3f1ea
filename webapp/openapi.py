"""The OpenAPI 3.1 description of the JSON API, served at /api/openapi.json.

The search answer's schemas are generated from the dataclasses the API serialises (`kb.search.SearchResults` and
what it holds), so the description and the answers cannot drift apart; the smaller answers are described here
beside the code that builds them in webapp/api.py. Every object is closed (`additionalProperties: false`): a new
field is a change of the description too, and the tests (openapi-spec-validator, and Schemathesis against a live
server) fail until both agree.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from pydantic import TypeAdapter

from kb.compare import MAX_ASKED, MAX_PRACTICES, Comparison
from kb.search import MAX_FILTER_VALUES, SORTS, SearchResults
from kb.vocabulary import FACETS
from webapp.params import MAX_PAGE

Schema = dict[str, Any]
REF = "#/components/schemas/{model}"


def _ref(name: str) -> Schema:
    return {"$ref": REF.format(model=name)}


def _closed(schema: Schema) -> Schema:
    """Close every object schema that lists its properties, recursively."""
    if isinstance(schema, dict):
        if schema.get("type") == "object" and "properties" in schema:
            schema.setdefault("additionalProperties", False)
        for value in schema.values():
            if isinstance(value, dict):
                _closed(value)
            elif isinstance(value, list):
                for item in value:
                    _closed(item)
    return schema


def _obj(properties: dict[str, Schema], optional: tuple[str, ...] = ()) -> Schema:
    return {
        "type": "object",
        "properties": properties,
        "required": [k for k in properties if k not in optional],
    }


STRING: Schema = {"type": "string"}
STRINGS: Schema = {"type": "array", "items": STRING}
URL: Schema = {"type": "string", "format": "uri"}
OK: Schema = {"const": True}


def _search_schemas() -> dict[str, Schema]:
    generated = TypeAdapter(SearchResults).json_schema(ref_template=REF)
    schemas: dict[str, Schema] = generated.pop("$defs")
    api_hit = copy.deepcopy(schemas["Hit"])
    api_hit["title"] = "ApiHit"
    api_hit["description"] = "A practice in a result list, with the addresses of its page and its JSON."
    api_hit["properties"] |= {"url": URL, "api_url": URL}
    api_hit["required"] += ["url", "api_url"]
    schemas["ApiHit"] = api_hit
    answer = generated
    answer["title"] = "SearchAnswer"
    answer["properties"] = {"ok": OK, **answer["properties"]}
    answer["properties"]["hits"] = {"type": "array", "items": _ref("ApiHit")}
    answer["required"] = ["ok", *answer["required"]]
    schemas["SearchAnswer"] = answer
    return schemas


def _compare_schemas() -> dict[str, Schema]:
    """The comparison answer (webapp/toolkit.py), generated from `kb.compare.Comparison` and what it holds."""
    generated = TypeAdapter(Comparison).json_schema(ref_template=REF)
    schemas: dict[str, Schema] = generated.pop("$defs")
    schemas["Column"]["properties"]["api_url"] = URL
    schemas["Column"]["required"].append("api_url")
    schemas["Notice"]["properties"]["message"] = {"type": "string", "description": "in the language asked"}
    schemas["Notice"]["required"].append("message")
    answer = generated
    answer["title"] = "ComparisonAnswer"
    answer["properties"] = {
        "ok": OK, "max_practices": {"const": MAX_PRACTICES}, **answer["properties"],
        "links": _obj({"page": URL, "docx": URL, "markdown": URL}),
    }  # fmt: skip
    answer["required"] = ["ok", "max_practices", *answer["required"], "links"]
    schemas["ComparisonAnswer"] = answer
    return schemas


def _schemas() -> dict[str, Schema]:
    return {
        **_search_schemas(),
        **_compare_schemas(),
        **_taxonomy_schemas(),
        "Error": {
            **_obj(
                {
                    "ok": {"const": False},
                    "error": STRING,
                    "status": {"type": "integer"},
                    "near": {**STRINGS, "description": "addresses close to a mistyped one (404)"},
                },
                optional=("near",),
            ),
            "description": "The one error shape of the API.",
        },
        "Practice": _obj(
            {
                "ok": OK,
                "slug": STRING,
                "url": URL,
                "countries": STRINGS,
                "fields": {
                    "type": "object",
                    "description": "The entry's front matter as written (`kb schema` prints "
                    "its JSON Schema).",
                },
                "body_html": {
                    "type": "string",
                    "description": "The entry's text, rendered with the safe preset.",
                },
                "similar": {"type": "array", "items": _ref("ApiHit")},
            }
        ),
    }


def _taxonomy_schemas() -> dict[str, Schema]:
    """Regions, themes and how a typed name resolves."""
    languages = {"type": "object", "description": "by language code"}
    return {
        "Region": _obj(
            {
                "key": STRING,
                "name": STRING,
                "label": {"type": "string", "description": "name in the language asked"},
                "country": STRING,
                "country_name": STRING,
                "nuts": STRINGS,
                "names": {**languages, "additionalProperties": STRINGS},
                "aliases": STRINGS,
                "count": {"type": "integer", "minimum": 0},
                "url": URL,
            }
        ),
        "Regions": _obj({"ok": OK, "regions": {"type": "array", "items": _ref("Region")}}),
        "Theme": _obj(
            {
                "key": STRING,
                "label": {"type": "string", "description": "label in the language asked"},
                "labels": {**languages, "additionalProperties": STRING},
                "description": STRING,
                "synonyms": STRINGS,
                "count": {"type": "integer", "minimum": 0},
                "url": URL,
            }
        ),
        "Themes": _obj({"ok": OK, "themes": {"type": "array", "items": _ref("Theme")}}),
        "Resolution": _obj(
            {
                "ok": OK,
                "kind": {"enum": ["region", "theme", "target"]},
                "text": STRING,
                "status": {
                    "type": "string",
                    "description": "how the text was read (resolved, ambiguous, unknown)",
                },
                "chosen": {
                    "type": ["string", "null"],
                    "description": "the key applied when one match is clear",
                },
                "matches": {
                    "type": "array",
                    "items": _obj(
                        {"key": STRING, "label": STRING, "score": {"type": "number"}, "matched": STRING}
                    ),
                },
            }
        ),
    }


def _errors(*statuses: int) -> dict[str, Schema]:
    described = {400: "A parameter has a value the API cannot use.", 404: "Nothing at this address.",
                 503: "The index is missing or being built (`kb reindex`); retry after `Retry-After` seconds."}  # fmt: skip
    return {
        str(s): {"description": described[s], "content": {"application/json": {"schema": _ref("Error")}}}
        for s in statuses
    }


def _ok(description: str, schema: str) -> dict[str, Schema]:
    return {
        "200": {
            "description": description,
            "headers": {
                "ETag": {
                    "schema": STRING,
                    "description": "a weak tag; send it as If-None-Match to get a 304",
                },
                "Cache-Control": {"schema": STRING},
            },
            "content": {"application/json": {"schema": _ref(schema)}},
        },
        "304": {"description": "Not modified: the copy named by If-None-Match is current."},
    }


FACET_HELP = {
    "taxonomy": "{title}: keys or typed names (resolved fuzzily); repeatable, any of them.",
    "country": "{title}: ISO codes or names; repeatable, any of them.",
    "choice": "{title}: repeatable, any of them.",
}


def _parameters() -> dict[str, Schema]:
    from webapp.i18n import LANGUAGES

    def listed(name: str, description: str, items: Schema) -> Schema:
        return {"name": name, "in": "query", "description": description, "style": "form", "explode": True,
                "schema": {"type": "array", "items": items, "maxItems": MAX_FILTER_VALUES}}  # fmt: skip

    return {
        "q": {
            "name": "q",
            "in": "query",
            "description": 'Words, "phrases", OR, -exclude, prefix*, and filters '
            "such as region:Masowien or year:2015-2020.",
            "schema": STRING,
        },
        **{
            f.name: listed(
                f.name,
                FACET_HELP[f.kind].format(title=f.title.lower()),
                {"enum": list(f.choices)} if f.kind == "choice" else STRING,
            )
            for f in FACETS
        },
        "expand": {
            "name": "expand",
            "in": "query",
            "schema": {"enum": ["0", "1"]},
            "description": "1 (default): also search the thesaurus's translations and synonyms of the "
            "words; 0: only the words as typed.",
        },
        "sort": {"name": "sort", "in": "query", "schema": {"enum": list(SORTS)}},
        "page": {
            "name": "page",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
        },
        "lang": {
            "name": "lang",
            "in": "query",
            "description": "Interface language of labels (else the `lang` cookie, else Accept-Language).",
            "schema": {"enum": list(LANGUAGES)},
        },
    }


def _params(*names: str) -> list[Schema]:
    return [{"$ref": f"#/components/parameters/{n}"} for n in names]


@functools.cache
def document() -> dict[str, Any]:
    """The whole description (built once per process; it depends on code only)."""
    search_params = _params("q", *(f.name for f in FACETS), "expand", "sort", "page", "lang")
    paths: dict[str, Any] = {
        "/api/search": {"get": {
            "operationId": "search", "summary": "Search practices: ranked hits, facet counts, highlights.",
            "parameters": search_params,
            "responses": {**_ok("One page of results.", "SearchAnswer"), **_errors(400, 503)},
        }},
        "/api/practices/{slug}": {"get": {
            "operationId": "practice", "summary": "One practice: its front matter, text and similar practices.",
            "parameters": [{"name": "slug", "in": "path", "required": True, "schema": STRING}, *_params("lang")],
            "responses": {**_ok("The practice.", "Practice"), **_errors(404, 503)},
        }},
        "/api/regions": {"get": {
            "operationId": "regions", "summary": "Every region with its names and practice count.",
            "parameters": _params("lang"), "responses": {**_ok("The regions.", "Regions"), **_errors(503)},
        }},
        "/api/themes": {"get": {
            "operationId": "themes", "summary": "Every theme with its labels and practice count.",
            "parameters": _params("lang"), "responses": {**_ok("The themes.", "Themes"), **_errors(503)},
        }},
        "/api/resolve/{kind}": {"get": {
            "operationId": "resolve", "summary": "How typed text resolves to region, theme or target-group keys, best first.",
            "parameters": [{"name": "kind", "in": "path", "required": True,
                            "schema": {"enum": ["region", "theme", "target"]}},
                           {"name": "q", "in": "query", "required": True, "schema": STRING}, *_params("lang")],
            "responses": {**_ok("The matches.", "Resolution"), **_errors(400, 503)},
        }},
        "/api/compare": {"get": {
            "operationId": "compare",
            "summary": "Practices side by side, row by row, with the rows where they differ marked.",
            "parameters": [{"name": "p", "in": "query", "style": "form", "explode": True,
                            "description": f"Practice slugs in order (repeatable); the first {MAX_PRACTICES} that "
                                           "exist are compared, the rest are listed under `notices`.",
                            "schema": {"type": "array", "items": STRING, "maxItems": MAX_ASKED}},
                           *_params("lang")],
            "responses": {**_ok("The comparison.", "ComparisonAnswer"), **_errors(503)},
        }},
        "/api/openapi.json": {"get": {
            "operationId": "openapi", "summary": "This description.",
            "responses": {"200": {"description": "An OpenAPI 3.1 document.",
                                  "content": {"application/json": {"schema": {"type": "object"}}}}},
        }},
    }  # fmt: skip
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "SECON best-practice knowledge base API",
            "version": "1",
            "description": "The JSON twins of the site's pages. Every answer carries an ETag and Cache-Control; "
            "errors share one shape (`Error`).",
            "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
        },
        "paths": paths,
        "components": {"schemas": _closed(_schemas()), "parameters": _parameters()},
    }
