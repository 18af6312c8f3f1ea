"""Interface language, one of the partners' twelve: from `?lang=`, then the remembered cookie, then the browser."""

from __future__ import annotations

from babel import Locale
from flask import Flask, Response, g, request
from flask_babel import Babel

from kb.thesaurus import LANGUAGES as CODES

# Each language named in itself (CLDR, through Babel), as a reader looks for it in the menu.
LANGUAGES = {code: (name := Locale.parse(code).get_display_name(code) or code)[:1].upper() + name[1:]
             for code in CODES}  # fmt: skip
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
