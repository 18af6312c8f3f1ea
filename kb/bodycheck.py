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
    problems: list[Problem] = []
    offset = body_line - 1
    if not body.strip():
        return [
            Problem(
                shown,
                body_line,
                "body",
                "the entry has no text after the front matter",
                "add ## Description, ## Results and ## Transferability",
                "warning",
            )
        ]
    found = [(line, text.strip()) for level, line, text in rendered.headings if level == 2]
    names = [t for _, t in found]
    last_line = body.count("\n") + body_line
    for section in EXPECTED_SECTIONS:
        if section not in names:
            problems.append(
                Problem(
                    shown,
                    last_line,
                    "body",
                    f"missing section '## {section}'",
                    f"sections in order: {', '.join('## ' + s for s in EXPECTED_SECTIONS)}",
                    "warning",
                )
            )
    present = [s for s in names if s in EXPECTED_SECTIONS]
    expected_order = [s for s in EXPECTED_SECTIONS if s in present]
    if present != expected_order:
        line = next(line for line, t in found if t in EXPECTED_SECTIONS) + offset
        problems.append(
            Problem(
                shown,
                line,
                "body",
                "sections are out of order",
                f"order: {', '.join(EXPECTED_SECTIONS)}",
                "warning",
            )
        )
    for number, text in enumerate(body.split("\n"), start=body_line):
        meta = META.search(text)
        if meta:
            problems.append(Problem(shown, number, "body", f"writes about the entry, not the practice: "
                                    f"{meta.group()!r}", "say what the sources say, or leave the sentence out",
                                    "warning"))  # fmt: skip
        if PLACEHOLDER in text:
            problems.append(
                Problem(
                    shown,
                    number,
                    "body",
                    "still holds a TODO placeholder",
                    "write the section's text in place of the TODO",
                    "warning",
                )
            )
    for line in rendered.raw_html_lines:
        problems.append(
            Problem(
                shown,
                line + offset,
                "body",
                "raw HTML is shown as text, not rendered",
                "use Markdown instead of HTML tags",
                "warning",
            )
        )
    return problems
