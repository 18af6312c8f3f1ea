"""Every interface string has a German translation, and the compiled catalogue matches the .po source."""

from __future__ import annotations

import gettext
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "webapp" / "translations" / "de" / "LC_MESSAGES"
METHODS = [("webapp/**.py", "python"), ("webapp/templates/**.html", "jinja2")]


def _source_messages() -> set[str]:
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(ROOT), METHODS):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_interface_string_is_translated_into_german() -> None:
    with (CATALOGUE / "messages.po").open("rb") as f:
        catalogue = read_po(f, locale="de")
    translated = {
        (m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in catalogue
        if m.id and m.string and all(m.string) and not m.fuzzy
    }  # fmt: skip
    missing = sorted(_source_messages() - translated)
    assert missing == [], "run pybabel extract/update/compile (README) and translate: " + repr(missing[:5])


def test_compiled_catalogue_matches_the_source() -> None:
    with (CATALOGUE / "messages.po").open("rb") as f:
        catalogue = read_po(f, locale="de")
    with (CATALOGUE / "messages.mo").open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    for message in catalogue:
        if isinstance(message.id, str) and message.id:
            assert compiled.gettext(message.id) == message.string, message.id
