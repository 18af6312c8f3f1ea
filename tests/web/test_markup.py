"""Every page type is valid HTML by the Nu Html Checker (vnu.jar, run with the machine's Java), in English and in
languages with other scripts and longer words (Greek, Bulgarian, German)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.web.test_browser import PAGE_TYPES

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / ".tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LANGUAGES = ("en", "el", "bg", "de")


def with_lang(url: str, lang: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}lang={lang}"


def test_every_page_type_is_valid_html_in_four_languages(client: FlaskClient, tmp_path: Path) -> None:
    java = shutil.which("java")
    assert java and VNU.exists(), "the Nu Html Checker needs Java and `make install` (npm install of vnu-jar)"
    files: dict[str, str] = {}
    for lang in LANGUAGES:
        for name, url in PAGE_TYPES.items():
            response = client.get(with_lang(url, lang))
            assert response.mimetype == "text/html", (name, lang)
            path = tmp_path / f"{name}-{lang}.html"
            path.write_bytes(response.data)
            files[str(path)] = f"{name} ({lang}) {url}"
    done = subprocess.run([java, "-jar", str(VNU), "--format", "json", "--errors-only", *files],
                          capture_output=True, text=True, timeout=240)  # fmt: skip
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    errors = [f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))}:{m.get('lastLine')}: {m['message']}"
              for m in messages if m.get("type") == "error"]  # fmt: skip
    assert errors == [], "\n".join(errors[:20])
    assert len(files) == len(LANGUAGES) * len(PAGE_TYPES)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pages_say_their_language_and_link_every_other(client: FlaskClient, lang: str) -> None:
    html = client.get(with_lang("/search?q=social", lang)).get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    for other in ("en", "de", "el", "nl", "fr", "pl", "es", "ro", "hu", "pt", "lv", "bg"):
        assert f'hreflang="{other}" href="http://localhost/search?q=social&amp;lang={other}"' in html
    assert 'hreflang="x-default"' in html
