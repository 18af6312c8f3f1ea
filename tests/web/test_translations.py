"""Every interface string is translated into the eleven other partner languages, and each compiled catalogue
matches its .po source."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "webapp" / "translations"
LANGUAGES = ("de", "el", "nl", "fr", "pl", "es", "ro", "hu", "pt", "lv", "bg")
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
METHODS = [("webapp/**.py", "python"), ("webapp/templates/**.html", "jinja2")]


def _source_messages() -> set[str]:
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(ROOT), METHODS):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_interface_string_is_translated(lang: str) -> None:
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalogue = read_po(f, locale=lang)
    translated = {
        (m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in catalogue
        if m.id and m.string and all(m.string) and not m.fuzzy
    }  # fmt: skip
    for message in catalogue:
        if message.id and message.string:
            check_placeholders(
                lang, [str(i) for i in _tuple(message.id)], [str(t) for t in _tuple(message.string)]
            )
    missing = sorted(_source_messages() - translated)
    assert missing == [], "run pybabel extract/update/compile (README) and translate: " + repr(missing[:5])


def _tuple(value: object) -> tuple[object, ...]:
    return tuple(value) if isinstance(value, tuple | list) else (value,)


def check_placeholders(lang: str, ids: list[str], strings: list[str]) -> None:
    """A translation keeps every placeholder of the English (a singular form may leave out the number)."""
    wanted = set(PLACEHOLDER.findall(ids[-1]))
    for text in strings:
        found = set(PLACEHOLDER.findall(text))
        assert found <= wanted and wanted - {"num"} <= found, (lang, ids[0], text)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalogue_matches_the_source(lang: str) -> None:
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalogue = read_po(f, locale=lang)
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.mo").open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    for message in catalogue:
        if isinstance(message.id, str) and message.id:
            assert compiled.gettext(message.id) == message.string, message.id
        elif isinstance(message.id, tuple):
            singular, plural = str(message.id[0]), str(message.id[1])
            forms = _tuple(message.string)
            for n in (1, 2, 5, 21, 1_000_000):  # every plural form the language has
                index = gettext.c2py(catalogue.plural_expr)(n)
                assert compiled.ngettext(singular, plural, n) == forms[index], (singular, n)
