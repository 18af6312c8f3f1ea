"""Interface language: English or German, from `?lang=`, then the remembered cookie, then the browser."""

from __future__ import annotations

from flask import Flask, Response, g, request
from flask_babel import Babel

LANGUAGES = {"en": "English", "de": "Deutsch"}
COOKIE = "lang"
ONE_YEAR = 365 * 24 * 3600


def current_language() -> str:
    cached: str | None = g.get("lang")
    if cached:
        return cached
    asked = request.args.get("lang", "")
    if asked in LANGUAGES:
        lang = asked
    elif request.cookies.get(COOKIE, "") in LANGUAGES:
        lang = request.cookies[COOKIE]
    else:
        lang = request.accept_languages.best_match(list(LANGUAGES)) or "en"
    g.lang = lang
    return lang


def init(app: Flask) -> None:
    Babel(app, locale_selector=current_language)

    @app.after_request
    def _remember(response: Response) -> Response:
        asked = request.args.get("lang", "")
        if asked in LANGUAGES and request.cookies.get(COOKIE) != asked:
            response.set_cookie(COOKIE, asked, max_age=ONE_YEAR, samesite="Lax", httponly=True,
                                secure=request.is_secure)  # fmt: skip
        return response  # webapp/caching says which answers vary with the language
