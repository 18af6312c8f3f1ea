"""The front-matter fields: one declaration per key drives validation, `kb schema`, `kb new` and the README table.

A key's kind (kb/kinds.py) both checks a value and describes it as JSON Schema; its help and example feed the
schema, the `kb new` template and the field table, so the four cannot drift (a test checks each against the
others).
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from kb.errors import Problem
from kb.kinds import (
    STRING,
    Choice,
    Contact,
    Context,
    Date,
    Kind,
    Language,
    Located,
    Text,
    Year,
    did_you_mean,
    last_year,
)
from kb.listkinds import Mappings, Sources, Texts, Vocabulary
from kb.taxonomy import Taxonomy
from kb.vocabulary import EVIDENCE_LEVELS, ORGANISATION_TYPES, SCOPES, STATUSES

PLACEHOLDER = "TODO"
SUMMARY_MAX = 300
TITLE_MAX = 120
__all__ = ["FIELDS", "PLACEHOLDER", "Field", "Located", "json_schema", "validate_front_matter"]


@dataclasses.dataclass(frozen=True)
class Field:
    kind: Kind
    required: bool
    help: str
    example: Any


_NUMBER_OR_TEXT: dict[str, Any] = {"type": ["number", "string"]}
FIELDS: dict[str, Field] = {
    "title": Field(Text(TITLE_MAX), True, "Name of the practice (English).", "Social Economy Support Centres"),
    "summary": Field(Text(SUMMARY_MAX, error_when_long=True), True,
                     "One or two plain sentences shown in result lists.", "What it is and does."),
    "regions": Field(Vocabulary("regions", "region", 1), True, "Region keys or names from taxonomy.yaml.",
                     ["mazovia"]),
    "themes": Field(Vocabulary("themes", "theme", 1), True, "Theme keys or labels from taxonomy.yaml (at least one).",
                    ["social-inclusion"]),
    "organisation": Field(Text(), True, "The body that runs the practice.", "Name of the organisation"),
    "status": Field(Choice(STATUSES), True, "Whether the practice still runs.", "ongoing"),
    "start_year": Field(Year(), True, "Year the practice started.", 2015),
    "scope": Field(Choice(SCOPES), True, "Level of government or reach of the practice.", "regional"),
    "sources": Field(Sources(), True, "Public references that back the entry (at least two, one a specific page).",
                     ["https://organisation.example/programme-page", "https://organisation.example/report-2023"]),
    "last_reviewed": Field(Date(), True, "When someone last checked the entry against its sources (YYYY-MM-DD).",
                           "2026-01-31"),
    "end_year": Field(Year(), False, "Year the practice ended (completed practices).", 2020),
    "city": Field(Text(), False, "City or municipality where it runs.", "Warsaw"),
    "organisation_type": Field(Choice(ORGANISATION_TYPES), False, "Legal form of the organisation.", "cooperative"),
    "funding": Field(Mappings({"instrument": STRING, "period": {"type": ["string", "integer"]}, "programme": STRING,
                               "amount": _NUMBER_OR_TEXT, "currency": STRING, "source": STRING}, text=True), False,
                     "Funding instruments (ESF+, ERDF, LEADER/CLLD, national, private) and period.",
                     [{"instrument": "ESF+", "period": "2021-2027"}]),
    "target_groups": Field(Vocabulary("target_groups", "target group"), False,
                           "Who the practice serves: target-group keys or names from taxonomy.yaml.",
                           ["long-term-unemployed"]),
    "stakeholders": Field(Texts(), False, "Who takes part.", ["municipalities"]),
    "outcomes": Field(Mappings({"indicator": STRING, "value": _NUMBER_OR_TEXT, "unit": STRING,
                                "year": {"type": "integer"}, "source": STRING}), False,
                      "Measured results: indicator, value, unit, year (from the sources).",
                      [{"indicator": "people employed", "value": 10, "unit": "people", "year": 2023}]),
    "evidence_level": Field(Choice(EVIDENCE_LEVELS), False, "How well the results are documented.", "monitored"),
    "contact": Field(Contact(), False, "Public URL or e-mail of the organisation, never a private person's.",
                     "https://example.org/contact"),
    "language": Field(Language(), False, "Language of the entry text (ISO 639-1), default en.", "en"),
    "local_language": Field(Language(), False, "Language of local_title and local_summary (ISO 639-1); default: "
                            "the main language of the entry's first region.", "pl"),
    "local_title": Field(Text(TITLE_MAX), False,
                         "The practice's own name in the language of its region, as its sources use it.",
                         "Mazowiecka Marka Ekonomii Społecznej"),
    "local_summary": Field(Text(SUMMARY_MAX), False, "A summary in the language of its region.",
                           "Wyróżnienie dla podmiotów ekonomii społecznej na Mazowszu."),
    "partner": Field(Text(), False, "The SECON partner that proposed the entry.", "Mazovia Region"),
    "keywords": Field(Texts(), False, "Extra search words (local-language names and terms help search).",
                      ["social cooperative"]),
}  # fmt: skip


def validate_front_matter(
    front: Located, path: str, taxonomy: Taxonomy
) -> tuple[dict[str, Any], list[Problem]]:
    """Check every key; returns the cleaned values (None where invalid) and every problem found."""
    ctx = Context(path, taxonomy, [], front)
    for key in front.values:
        if key not in FIELDS:
            ctx.warn(ctx.line(key), key, "unknown key (it is ignored)",
                     did_you_mean(key, list(FIELDS)) or f"known keys: {', '.join(FIELDS)}")  # fmt: skip
    clean: dict[str, Any] = {}
    for name, field in FIELDS.items():
        value = front.values.get(name)
        if value is None or value == "" or value == []:
            if field.required:
                missing = "required key is missing" if name not in front.values else "required value is empty"
                ctx.error(front.start_line, name, missing, f"add `{name}: {example_text(name)}`")
            continue
        clean[name] = field.kind.check(name, value, ctx)
    _cross_checks(clean, ctx)
    for key, value in front.values.items():
        if PLACEHOLDER in str(value):
            ctx.warn(ctx.line(key), key, "still holds a TODO placeholder",
                     "replace it with the real value, or remove the key if it is optional")  # fmt: skip
    return clean, ctx.problems


def example_text(name: str) -> str:
    """The example as one line of YAML (JSON is YAML): what a hint or the template shows."""
    example = FIELDS[name].example
    if isinstance(example, list) and all(isinstance(v, str) for v in example):
        return "[" + ", ".join(example) + "]"
    return json.dumps(example, ensure_ascii=False) if isinstance(example, list | dict) else str(example)


def _cross_checks(clean: dict[str, Any], ctx: Context) -> None:
    start, end = clean.get("start_year"), clean.get("end_year")
    if start and end and end < start:
        ctx.error(ctx.line("end_year"), "end_year", f"{end} is before start_year {start}", "check both years")
    if clean.get("status") == "completed" and not clean.get("end_year"):
        ctx.warn(ctx.line("status"), "end_year", "a completed practice should say when it ended",
                 "add end_year: YYYY")  # fmt: skip


def json_schema(taxonomy: Taxonomy | None = None) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of the front matter, for editors such as VS Code YAML.

    With a taxonomy, region, theme and target-group keys are offered as completions (names stay valid too).
    """
    properties = {name: {**f.kind.schema(taxonomy), "description": f.help} for name, f in FIELDS.items()}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://secon.example/schemas/practice.json",
        "title": "SECON best-practice entry front matter",
        "type": "object",
        "required": [n for n, f in FIELDS.items() if f.required],
        "properties": properties,
        "additionalProperties": False,
    }


def markdown_table() -> str:
    """The README's field table."""
    rows = ["| key | required | what it holds | example |", "|---|---|---|---|"]
    for name, field in FIELDS.items():
        example = example_text(name).replace("|", "\\|")
        rows.append(f"| `{name}` | {'yes' if field.required else ''} | {field.help} | `{example}` |")
    return "\n".join(rows)


__all__ += ["example_text", "last_year", "markdown_table"]
