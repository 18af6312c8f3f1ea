"""Checks of an entry's body: the expected sections in order, no TODO left, no raw HTML, and no lines about the
entry itself where readers expect facts about the practice."""

from __future__ import annotations

import re

from kb import render
from kb.errors import Problem
from kb.fields import PLACEHOLDER

EXPECTED_SECTIONS = ("Description", "Results", "Transferability")
OPTIONAL_SECTIONS = ("Challenges", "Lessons learned")
# Sentences about the entry rather than the practice ("no figures are quoted here"): say what the sources say,
# or nothing.
META = re.compile(
    r"\b(?:(?:no|not|none)\b[^.]{0,40}\b(?:quoted|given|stated|dated|cited|listed) here"
    r"|should be (?:checked|verified|confirmed) against"
    r"|(?:this|the) entry (?:does not|doesn't|cannot|can't|could not)"
    r"|according to the sources available)\b",
    re.IGNORECASE,
)


def check_body(body: str, rendered: render.Rendered, body_line: int, shown: str) -> list[Problem]:
    """Every problem of the body, each a warning (the entry is still indexed)."""
    if not body.strip():
        return [Problem(shown, body_line, "body", "the entry has no text after the front matter",
                        "add ## Description, ## Results and ## Transferability", "warning")]  # fmt: skip
    found = [(line + body_line - 1, text.strip()) for level, line, text in rendered.headings if level == 2]
    last_line = body.count("\n") + body_line
    notes = [*_sections(found, last_line), *_lines(body, body_line)]
    notes += [(line + body_line - 1, "raw HTML is shown as text, not rendered", "use Markdown instead of HTML tags")
              for line in rendered.raw_html_lines]  # fmt: skip
    return [Problem(shown, line, "body", message, hint, "warning") for line, message, hint in notes]


Note = tuple[int, str, str]  # line, message, hint


def _sections(found: list[tuple[int, str]], last_line: int) -> list[Note]:
    """Missing expected sections (reported at the end), and sections out of order (at the first of them)."""
    names = [text for _line, text in found]
    order = ", ".join("## " + s for s in EXPECTED_SECTIONS)
    notes = [(last_line, f"missing section '## {s}'", f"sections in order: {order}")
             for s in EXPECTED_SECTIONS if s not in names]  # fmt: skip
    present = [s for s in names if s in EXPECTED_SECTIONS]
    if present != [s for s in EXPECTED_SECTIONS if s in present]:
        first = next(line for line, text in found if text in EXPECTED_SECTIONS)
        notes.append((first, "sections are out of order", f"order: {', '.join(EXPECTED_SECTIONS)}"))
    return notes


def _lines(body: str, body_line: int) -> list[Note]:
    """Lines about the entry itself, and TODO marks left in."""
    notes: list[Note] = []
    for number, text in enumerate(body.split("\n"), start=body_line):
        meta = META.search(text)
        if meta:
            notes.append((number, f"writes about the entry, not the practice: {meta.group()!r}",
                          "say what the sources say, or leave the sentence out"))  # fmt: skip
        if PLACEHOLDER in text:
            notes.append(
                (number, "still holds a TODO placeholder", "write the section's text in place of the TODO")
            )
    return notes
