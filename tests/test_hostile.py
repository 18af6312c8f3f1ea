"""Hostile and broken entries mixed into good ones: `kb reindex` indexes every good entry, reports every bad one
with its file and line, and no page shows anything active from any of them. (The same pages in a real browser:
tests/web/test_browser.py.)"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from kb.config import Settings
from kb.search import SearchEngine, SearchRequest
from kb.taxonomy import load_taxonomy
from tests import hostile
from webapp import create_app

SAFE_DATA_URL = re.compile(r"^data:image/(gif|png|jpeg|webp);")


class ActiveContent(HTMLParser):
    """Collects whatever in a page could run script or load active content."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not re.fullmatch(
            r"/static/(app|selection)\.[0-9a-f]{10}\.js", values.get("src") or ""
        ):
            self.found.append(f"<script {attrs}>")
        if tag in {
            "iframe",
            "object",
            "embed",
            "style",
            "base",
            "frame",
            "applet",
        }:  # (the app draws its own svg charts)
            self.found.append(f"<{tag}>")
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            self.found.append("<meta refresh>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in {"href", "src", "action", "formaction", "data", "xlink:href", "srcdoc"} and value:
                url = re.sub(r"[\x00-\x20]", "", value).lower()
                if url.startswith(("javascript:", "vbscript:", "file:")) or (
                    url.startswith("data:") and not SAFE_DATA_URL.match(url)
                ):
                    self.found.append(f"<{tag} {name}={value[:40]}>")


def active_content(html: str) -> list[str]:
    parser = ActiveContent()
    parser.feed(html)
    return parser.found


def test_reindex_indexes_every_good_entry_and_reports_every_bad_one(tmp_path: Path) -> None:
    mixed = hostile.build(tmp_path)
    env = dict(os.environ, KB_CONTENT_DIR="practices", KB_INDEX_DIR="index")
    done = subprocess.run([sys.executable, "-m", "kb", "reindex"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    output = done.stdout + done.stderr
    assert done.returncode == 1, output  # some entries failed: the operator's script notices
    for name, (line, field) in mixed.errors.items():
        assert f"practices/{name}:{line}: {field}: " in output, (name, output)
    quote = re.search(rf"practices/{hostile.UNCLOSED_QUOTE}:\d+: front matter: (.*)", output)
    assert quote and "on line 2" in quote.group(1), output
    assert not Path("/tmp/kb-pwned").exists()  # the !!python tag ran nothing
    summary = output.strip().splitlines()[-1]
    assert f"{len(mixed.good_slugs)} added" in summary and f"{len(mixed.errors) + 1} failed" in summary, (
        summary
    )

    settings = Settings(content_dir=tmp_path / "practices", index_dir=tmp_path / "index")
    engine = SearchEngine(settings.index_dir, load_taxonomy(settings.taxonomy_path))
    try:
        assert engine.search(SearchRequest(page_size=100)).total == len(mixed.good_slugs)
        assert sorted(h.slug for h in engine.lookup(mixed.good_slugs)) == mixed.good_slugs
    finally:
        engine.close()

    app = create_app(settings)
    client = app.test_client()
    try:
        for slug in hostile.XSS:
            page = client.get(f"/practices/{slug}")
            assert page.status_code == 200, slug
            assert active_content(page.get_data(as_text=True)) == [], slug
        compared = "/compare?" + "&".join(f"p={slug}" for slug in hostile.XSS[:6])
        for url in ("/search?q=pwned", "/search?q=script", "/api/search?q=pwned", "/feed.atom", "/", compared):  # fmt: skip
            response = client.get(url)
            assert response.status_code == 200, url
            assert active_content(response.get_data(as_text=True)) == [], url
        export = client.get("/search/export.csv?q=pwned")  # markup stays text in a download, never a page
        assert export.mimetype == "text/csv" and export.headers["Content-Disposition"].startswith(
            "attachment"
        )
    finally:
        app.extensions["kb"].close()
