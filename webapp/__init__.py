"""The SECON knowledge base web application (Flask): search, browse, practice pages and the JSON API."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from flask import Flask

from kb.config import Settings


def create_app(settings: Settings | None = None, test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app over the knowledge base `settings` describe (default: from KB_* variables).

    The app only reads: the database and the index are written by `kb reindex`, and a new state becomes
    visible to the running app as soon as a reindex commits it.
    """
    from webapp import api, errors, exports, i18n, security, views
    from webapp.knowledge import Knowledge

    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key or secrets.token_hex(32),  # random per process when not configured
        MAX_CONTENT_LENGTH=64 * 1024,
        DEBUG=False,
        TESTING=False,
        PROPAGATE_EXCEPTIONS=False,
    )
    if test_config:
        app.config.update(test_config)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.extensions["kb"] = Knowledge(settings)
    i18n.init(app)
    security.init(app)
    errors.init(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(exports.bp)
    app.register_blueprint(api.bp, url_prefix="/api")
    app.add_url_rule("/healthz", "healthz", _health)
    return app


def _health() -> dict[str, Any]:
    from flask import current_app

    from kb import store

    kb = current_app.extensions["kb"]
    return {"ok": True, "practices": kb.engine.total(), "database": store.count_practices(kb.db)}
