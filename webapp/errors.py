"""One error shape: a friendly HTML page, or `{"ok": false, "error": ..., "status": ...}` under `/api/`."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from kb.errors import IndexNotBuilt, QueryError
from webapp.params import BadParameter

log = logging.getLogger(__name__)

FIX_INDEX = "kb reindex"


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path.endswith(".json")


def error_response(status: int, message: str, **extra: object) -> Response:
    if wants_json():
        response = jsonify({"ok": False, "error": message, "status": status, **extra})
    else:
        near = extra.get("near", [])
        response = Response(render_template("error.html", status=status, message=message, near=near,
                                            fix=extra.get("fix")))  # fmt: skip
    response.status_code = status
    if status == 503:
        response.headers["Retry-After"] = "30"
    return response


def init(app: Flask) -> None:
    @app.errorhandler(BadParameter)
    @app.errorhandler(QueryError)
    def _bad_query(exc: Exception) -> Response:
        return error_response(400, str(exc))

    @app.errorhandler(IndexNotBuilt)
    def _not_built(exc: IndexNotBuilt) -> Response:
        log.warning("search index unavailable: %s", exc)
        return error_response(
            503, _("The knowledge base is being prepared or its index is missing."),
            fix=_("An operator can build it with `%(command)s`; the site recovers by itself once it exists.",
                  command=FIX_INDEX),
        )  # fmt: skip

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        status = exc.code or 500
        messages = {
            404: _("There is no page at this address."),
            405: _("This address does not accept that kind of request."),
            400: _("The request could not be understood."),
        }
        response = error_response(status, messages.get(status, exc.name))
        if status == 405 and exc.get_response().headers.get("Allow"):
            response.headers["Allow"] = exc.get_response().headers["Allow"]
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.path)
        return error_response(500, _("Something went wrong on our side. Please try again in a moment."))
