"""The SECON knowledge base web application (Flask): search, browse, practice pages and the JSON API."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider

from kb.config import Settings


def create_app(settings: Settings | None = None, test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app over the knowledge base `settings` describe (default: from KB_* variables).

    The app only reads: the database and the index are written by `kb reindex`, and a new state becomes
    visible to the running app as soon as a reindex commits it.
    """
    from webapp import api, assets, caching, errors, exports, i18n, labels, security, toolkit, views
    from webapp.knowledge import Knowledge

    settings = settings or Settings.from_env()
    app = Flask(__name__, static_folder=None)  # webapp/assets serves /static/ under fingerprinted names
    app.config.update(
        SECRET_KEY=settings.secret_key or secrets.token_hex(32),  # random per process when not configured
        MAX_CONTENT_LENGTH=64 * 1024,
        DEBUG=False,
        TESTING=False,
        PROPAGATE_EXCEPTIONS=False,
    )
    if test_config:
        app.config.update(test_config)
    app.json = HtmlSafeJSON(app)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.extensions["kb"] = Knowledge(settings)
    caching.init(app, settings)  # first, so that its after_request runs last and sees every header
    i18n.init(app)
    labels.init(app)
    security.init(app)
    errors.init(app)
    assets.init(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(exports.bp)
    app.register_blueprint(toolkit.bp)
    app.register_blueprint(api.bp, url_prefix="/api")
    app.add_url_rule("/healthz", "healthz", _health)
    return app


class HtmlSafeJSON(DefaultJSONProvider):
    """JSON in UTF-8, keys in their natural order, and `<`, `>`, `&` escaped so that reflected input can never
    form markup even if a client mistakes the response for HTML."""

    sort_keys = False
    ensure_ascii = False

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        text = super().dumps(obj, **kwargs)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _health() -> dict[str, Any]:
    from flask import current_app

    from kb import store

    kb = current_app.extensions["kb"]
    return {"ok": True, "practices": kb.engine.total(), "database": store.count_practices(kb.db)}
