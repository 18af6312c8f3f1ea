"""The front-matter rules: one declaration per key drives validation, `kb schema` and `kb new`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from rapidfuzz import process, utils

from kb.errors import Problem
from kb.taxonomy import Taxonomy
from kb.vocabulary import EVIDENCE_LEVELS, ORGANISATION_TYPES, SCOPES, STATUSES

PLACEHOLDER = "TODO"
SUMMARY_MAX = 300
TITLE_MAX = 120
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_EMAIL = re.compile(r"^(mailto:)?[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
_LANG = re.compile(r"^[a-z]{2,3}$")
_PERIOD = re.compile(r"^\d{4}(\s*[-–]\s*\d{4})?$")


@dataclasses.dataclass(frozen=True)
class Rule:
    """What one front-matter key holds."""

    kind: str  # text, year, date, enum, texts, regions, themes, sources, funding, outcomes, contact, language
    required: bool
    help: str
    example: Any
    choices: tuple[str, ...] = ()
    max_length: int = 0


RULES: dict[str, Rule] = {
    "title": Rule("text", True, "Name of the practice.", "Social Economy Support Centres", max_length=TITLE_MAX),
    "summary": Rule("text", True, "One or two plain sentences shown in result lists.", "What it is and does.",
                    max_length=SUMMARY_MAX),
    "regions": Rule("regions", True, "Region keys or names from taxonomy.yaml.", ["mazovia"]),
    "themes": Rule("themes", True, "Theme keys or labels from taxonomy.yaml (at least one).", ["social-inclusion"]),
    "organisation": Rule("text", True, "The body that runs the practice.", "Name of the organisation"),
    "status": Rule("enum", True, "Whether the practice still runs.", "ongoing", choices=STATUSES),
    "start_year": Rule("year", True, "Year the practice started.", 2015),
    "scope": Rule("enum", True, "Level of government or reach of the practice.", "regional", choices=SCOPES),
    "sources": Rule("sources", True, "Public references that back the entry: URLs or citations.",
                    [{"title": "Official page", "url": "https://example.org/"}]),
    "last_reviewed": Rule("date", True, "When someone last checked the entry against its sources (YYYY-MM-DD).",
                          "2026-01-31"),
    "end_year": Rule("year", False, "Year the practice ended (completed practices).", 2020),
    "city": Rule("text", False, "City or municipality where it runs.", "Warsaw"),
    "organisation_type": Rule("enum", False, "Legal form of the organisation.", "cooperative",
                              choices=ORGANISATION_TYPES),
    "funding": Rule("funding", False, "Funding instruments (ESF+, ERDF, LEADER/CLLD, national, private) and period.",
                    [{"instrument": "ESF+", "period": "2021-2027"}]),
    "target_groups": Rule("texts", False, "Who the practice serves.", ["long-term unemployed people"]),
    "stakeholders": Rule("texts", False, "Who takes part.", ["municipalities"]),
    "outcomes": Rule("outcomes", False, "Measured results: indicator, value, unit, year (from the sources).",
                     [{"indicator": "people employed", "value": 10, "unit": "people", "year": 2023}]),
    "evidence_level": Rule("enum", False, "How well the results are documented.", "monitored",
                           choices=EVIDENCE_LEVELS),
    "contact": Rule("contact", False, "Public URL or e-mail of the organisation, never a private person's.",
                    "https://example.org/contact"),
    "language": Rule("language", False, "Language of the entry text (ISO 639-1), default en.", "en"),
    "local_language": Rule("language", False, "Language of local_title and local_summary (ISO 639-1); default: "
                           "the main language of the entry's first region.", "pl"),
    "local_title": Rule("text", False, "The practice's own name in the language of its region, as its sources "
                        "use it.", "Mazowiecka Marka Ekonomii Społecznej", max_length=TITLE_MAX),
    "local_summary": Rule("text", False, "A summary in the language of its region.", "Wyróżnienie dla ...",
                          max_length=SUMMARY_MAX),
    "partner": Rule("text", False, "The SECON partner that proposed the entry.", "Mazovia Region"),
    "keywords": Rule("texts", False, "Extra search words.", ["social cooperative"]),
}  # fmt: skip


@dataclasses.dataclass
class Located:
    """Front-matter values with the file line of each key and of each list item."""

    values: dict[str, Any]
    key_lines: dict[str, int]
    item_lines: dict[str, list[int]]
    raw_scalars: dict[str, str]  # the text as typed, for hints such as "quote it"
    start_line: int


Check = Callable[[str, Any, Rule, Located, "Context"], Any]


@dataclasses.dataclass
class Context:
    path: str
    taxonomy: Taxonomy
    problems: list[Problem]

    def error(self, line: int, field: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.path, line, field, message, hint))

    def warn(self, line: int, field: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.path, line, field, message, hint, "warning"))


def validate_front_matter(
    front: Located, path: str, taxonomy: Taxonomy
) -> tuple[dict[str, Any], list[Problem]]:
    """Check every key; returns the cleaned values (None where invalid) and every problem found."""
    ctx = Context(path, taxonomy, [])
    clean: dict[str, Any] = {}
    for key in front.values:
        if key not in RULES:
            line = front.key_lines.get(key, front.start_line)
            ctx.warn(
                line,
                key,
                "unknown key (it is ignored)",
                _did_you_mean(key, list(RULES)) or f"known keys: {', '.join(RULES)}",
            )
    for name, rule in RULES.items():
        line = front.key_lines.get(name, front.start_line)
        value = front.values.get(name)
        if value is None or value == "" or value == []:
            if rule.required:
                ctx.error(
                    front.start_line,
                    name,
                    "required key is missing" if name not in front.values else "required value is empty",
                    f"add `{name}: {_example(rule)}`",
                )
            continue
        clean[name] = _CHECKS[rule.kind](name, value, rule, front, ctx)
    _cross_checks(clean, front, ctx)
    for key, value in front.values.items():
        if PLACEHOLDER in str(value):
            ctx.warn(
                front.key_lines.get(key, front.start_line),
                key,
                "still holds a TODO placeholder",
                "replace it with the real value, or remove the key if it is optional",
            )
    return clean, ctx.problems


def _example(rule: Rule) -> str:
    if isinstance(rule.example, list) and rule.example and isinstance(rule.example[0], str):
        return "[" + ", ".join(rule.example) + "]"
    if rule.kind == "sources":
        return "[https://organisation.example/page-about-the-practice]"
    if isinstance(rule.example, list | dict):
        return "(see `kb schema` for the form)"
    return str(rule.example)


def _did_you_mean(text: str, choices: list[str], cutoff: int = 60) -> str:
    found = process.extractOne(text, choices, processor=utils.default_process, score_cutoff=cutoff)
    return f"did you mean {found[0]!r}?" if found else ""


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, dt.date | dt.datetime):
        return "a date"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "text"


def _quote_hint(name: str, front: Located) -> str:
    typed = front.raw_scalars.get(name, "")
    return f'put the value in quotes: {name}: "{typed}"' if typed else "put the value in quotes"


def _check_text(name: str, value: Any, rule: Rule, front: Located, ctx: Context) -> str | None:
    line = front.key_lines[name]
    if not isinstance(value, str):
        extra = " (YAML reads yes/no/on/off as booleans)" if isinstance(value, bool) else ""
        ctx.error(
            line,
            name,
            f"expected text, got {_type_name(value)}{extra}",
            _quote_hint(name, front) if not isinstance(value, list | dict) else "write a single line of text",
        )
        return None
    text = " ".join(value.split())
    if rule.max_length and len(text) > rule.max_length:
        report = ctx.error if name == "summary" else ctx.warn
        report(line, name, f"is {len(text)} characters; keep it to {rule.max_length}", "shorten it")
    return text


def _check_year(name: str, value: Any, rule: Rule, front: Located, ctx: Context) -> int | None:
    line = front.key_lines[name]
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        hint = (
            f"write only the year: {name}: {value.year}"
            if isinstance(value, dt.date)
            else f"write a four-digit year: {name}: 2015"
        )
        ctx.error(line, name, f"expected a year, got {_type_name(value)}", hint)
        return None
    this_year = dt.date.today().year
    if not 1800 <= value <= this_year + 1:
        ctx.error(line, name, f"year {value} is out of range", f"use a year between 1800 and {this_year + 1}")
        return None
    return value


def _check_date(name: str, value: Any, rule: Rule, front: Located, ctx: Context) -> dt.date | None:
    line = front.key_lines[name]
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    ctx.error(
        line,
        name,
        f"expected a date, got {_type_name(value)} {str(value)[:40]!r}",
        f"write the date as YYYY-MM-DD: {name}: {dt.date.today().isoformat()}",
    )
    return None


def _check_enum(name: str, value: Any, rule: Rule, front: Located, ctx: Context) -> str | None:
    line = front.key_lines[name]
    text = str(value).strip().lower() if isinstance(value, str) else None
    if text in rule.choices:
        return text
    guess = _did_you_mean(str(value), list(rule.choices)) if isinstance(value, str) else ""
    ctx.error(
        line,
        name,
        f"{str(value)[:40]!r} is not allowed",
        f"{guess + ' ' if guess else ''}allowed: {', '.join(rule.choices)}",
    )
    return None


def _list_items(name: str, value: Any, front: Located, ctx: Context) -> list[tuple[int, Any]]:
    line = front.key_lines[name]
    if isinstance(value, list):
        lines = front.item_lines.get(name, [])
        return [(lines[i] if i < len(lines) else line, v) for i, v in enumerate(value)]
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        ctx.warn(
            line,
            name,
            "should be a list; read as a list of one",
            f"write {name}: [{value}] or one '- item' line per value",
        )
        return [(line, value)]
    ctx.error(line, name, f"expected a list, got {_type_name(value)}", f"write {name}: [first, second]")
    return []


def _check_texts(name: str, value: Any, rule: Rule, front: Located, ctx: Context) -> list[str]:
    out: list[str] = []
    for line, item in _list_items(name, value, front, ctx):
        if isinstance(item, str) and item.strip():
            out.append(" ".join(item.split()))
        elif isinstance(item, int | float) and not isinstance(item, bool):
            out.append(str(item))
        else:
            ctx.error(line, name, f"each item must be text, got {_type_name(item)}", "put the item in quotes")
    return out


def _check_vocabulary(name: str, value: Any, rule: Rule, front: Located, ctx: Context) -> list[str]:
    is_region = rule.kind == "regions"
    resolve = ctx.taxonomy.resolve_region if is_region else ctx.taxonomy.resolve_theme
    table = ctx.taxonomy.regions if is_region else ctx.taxonomy.themes
    names = [n for item in table.values() for n in item.all_names()]
    keys: list[str] = []
    for line, item in _list_items(name, value, front, ctx):
        key = resolve(str(item)) if isinstance(item, str) else None
        if key is None:
            guess = _did_you_mean(str(item), names)
            if guess:
                resolved = resolve(guess.split("'")[1])
                guess = f"{guess} ({resolved})" if resolved and resolved not in guess else guess
            kind = "region" if is_region else "theme"
            ctx.error(
                line,
                name,
                f"unknown {kind} {str(item)[:60]!r}",
                guess or f"known {kind}s: {', '.join(table)}",
            )
        elif key in keys:
            ctx.warn(line, name, f"{key!r} is listed twice", "remove the repeated item")
        else:
            keys.append(key)
    return keys


def _check_url(text: str) -> bool:
    return bool(_URL.match(text))


def _check_sources(name: str, value: Any, rule: Rule, front: Located, ctx: Context) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for line, item in _list_items(name, value, front, ctx):
        if isinstance(item, str) and item.strip():
            text = item.strip()
            out.append({"title": text, "url": text} if _check_url(text) else {"title": text, "url": ""})
            continue
        if isinstance(item, dict):
            title, url = item.get("title"), item.get("url")
            unknown = set(item) - {"title", "url", "accessed"}
            if unknown:
                ctx.warn(line, name, f"unknown source key {sorted(unknown)[0]!r}", "use title and url")
            if url is not None and not (isinstance(url, str) and _check_url(url.strip())):
                ctx.error(
                    line,
                    name,
                    f"source url {str(url)[:60]!r} is not an http(s) address",
                    "write the full address starting with https://",
                )
                continue
            if not (isinstance(title, str) and title.strip()) and not url:
                ctx.error(
                    line, name, "source needs a title or a url", "write - title: ... and url: https://..."
                )
                continue
            clean_url = url.strip() if isinstance(url, str) else ""
            out.append({"title": str(title).strip() if title else clean_url, "url": clean_url})
            continue
        ctx.error(
            line,
            name,
            f"each source must be a URL, a citation or title/url, got {_type_name(item)}",
            "write - title: ... and url: https://...",
        )
    return out


def _check_mappings(name: str, value: Any, rule: Rule, front: Located, ctx: Context) -> list[dict[str, Any]]:
    allowed = {
        "funding": ("instrument", "period", "programme", "amount", "currency", "source"),
        "outcomes": ("indicator", "value", "unit", "year", "source"),
    }[rule.kind]
    first = allowed[0]
    out: list[dict[str, Any]] = []
    for line, item in _list_items(name, value, front, ctx):
        if isinstance(item, str) and rule.kind == "funding":
            out.append({first: item.strip()})
            continue
        if not isinstance(item, dict) or not item.get(first):
            ctx.error(line, name, f"each item needs `{first}`", f"write - {first}: ...")
            continue
        for key in item:
            if key not in allowed:
                ctx.warn(
                    line,
                    name,
                    f"unknown key {key!r}",
                    _did_you_mean(str(key), list(allowed)) or f"allowed: {', '.join(allowed)}",
                )
        period = item.get("period")
        if period is not None and not _PERIOD.match(str(period)):
            ctx.error(line, name, f"period {str(period)[:30]!r} is not a year or a range", "write 2021-2027")
            continue
        out.append(
            {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in item.items() if k in allowed}
        )
    return out


def _check_contact(name: str, value: Any, rule: Rule, front: Located, ctx: Context) -> str | None:
    text = value.strip() if isinstance(value, str) else ""
    if _check_url(text) or _EMAIL.match(text):
        return text.removeprefix("mailto:")
    ctx.error(
        front.key_lines[name],
        name,
        f"{str(value)[:60]!r} is neither an http(s) address nor an e-mail",
        "write https://... or name@organisation.org",
    )
    return None


def _check_language(name: str, value: Any, rule: Rule, front: Located, ctx: Context) -> str | None:
    if isinstance(value, str) and _LANG.match(value.strip().lower()):
        return value.strip().lower()
    typed = front.raw_scalars.get(name, str(value))
    ctx.error(
        front.key_lines[name],
        name,
        f"{typed[:20]!r} is not a language code",
        "write a two-letter code such as en, de, pl"
        + (' in quotes: "no"' if isinstance(value, bool) else ""),
    )
    return None


_CHECKS: dict[str, Check] = {
    "text": _check_text, "year": _check_year, "date": _check_date, "enum": _check_enum,
    "texts": _check_texts, "regions": _check_vocabulary, "themes": _check_vocabulary,
    "sources": _check_sources, "funding": _check_mappings, "outcomes": _check_mappings,
    "contact": _check_contact, "language": _check_language,
}  # fmt: skip


def _cross_checks(clean: dict[str, Any], front: Located, ctx: Context) -> None:
    start, end = clean.get("start_year"), clean.get("end_year")
    if start and end and end < start:
        ctx.error(
            front.key_lines["end_year"], "end_year", f"{end} is before start_year {start}", "check both years"
        )
    for name in ("regions", "themes", "sources"):
        if name in clean and not clean[name] and front.values.get(name):
            continue  # each bad item was reported already
        if name in front.values and name in clean and clean[name] == [] and RULES[name].required:
            ctx.error(
                front.key_lines[name],
                name,
                "needs at least one item",
                f"add `{name}: {_example(RULES[name])}`",
            )
    if clean.get("status") == "completed" and not clean.get("end_year"):
        ctx.warn(
            front.key_lines.get("status", front.start_line),
            "end_year",
            "a completed practice should say when it ended",
            "add end_year: YYYY",
        )


def json_schema(taxonomy: Taxonomy | None = None) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of the front matter, for editors such as VS Code YAML.

    With a taxonomy, region and theme keys are offered as completions (names and aliases stay valid too).
    """
    string = {"type": "string"}
    kinds: dict[str, dict[str, Any]] = {
        "text": string,
        "year": {"type": "integer", "minimum": 1800, "maximum": 2100},
        "date": {"type": "string", "format": "date"},
        "texts": {"type": "array", "items": string},
        "regions": {"type": "array", "items": string, "minItems": 1},
        "themes": {"type": "array", "items": string, "minItems": 1},
        "sources": {"type": "array", "minItems": 1, "items": {"anyOf": [string, {
            "type": "object", "properties": {"title": string, "url": {"type": "string", "format": "uri"}},
            "additionalProperties": False}]}},
        "funding": {"type": "array", "items": {"type": "object", "required": ["instrument"], "properties": {
            "instrument": string, "period": string, "programme": string}}},
        "outcomes": {"type": "array", "items": {"type": "object", "required": ["indicator"], "properties": {
            "indicator": string, "value": {"type": ["number", "string"]}, "unit": string,
            "year": {"type": "integer"}}}},
        "contact": string,
        "language": {"type": "string", "pattern": "^[a-z]{2,3}$"},
    }  # fmt: skip
    properties: dict[str, Any] = {}
    for name, rule in RULES.items():
        spec = dict(kinds["text"] if rule.kind == "enum" else kinds[rule.kind])
        if rule.choices:
            spec["enum"] = list(rule.choices)
        if rule.max_length:
            spec["maxLength"] = rule.max_length
        spec["description"] = rule.help
        if taxonomy is not None and rule.kind in {"regions", "themes"}:
            keys = list(taxonomy.regions if rule.kind == "regions" else taxonomy.themes)
            spec["items"] = {"type": "string", "examples": keys, "anyOf": [{"enum": keys}, string]}
        properties[name] = spec
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://secon.example/schemas/practice.json",
        "title": "SECON best-practice entry front matter",
        "type": "object",
        "required": [n for n, r in RULES.items() if r.required],
        "properties": properties,
        "additionalProperties": False,
    }
