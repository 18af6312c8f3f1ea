"""Kinds of front-matter value. Each kind checks a value (reporting problems with their line and a hint) and
describes itself as JSON Schema, so that validation and `kb schema` come from one place and cannot drift."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

from rapidfuzz import process, utils

from kb.errors import Problem
from kb.taxonomy import Taxonomy

_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_EMAIL = re.compile(r"^(mailto:)?[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
_LANG = re.compile(r"^[a-z]{2,3}$")
_PERIOD = re.compile(r"^\d{4}(\s*[-–]\s*\d{4})?$")
FIRST_YEAR = 1800
STRING: dict[str, Any] = {"type": "string"}


@dataclasses.dataclass
class Located:
    """Front-matter values with the file line of each key and of each list item."""

    values: dict[str, Any]
    key_lines: dict[str, int]
    item_lines: dict[str, list[int]]
    raw_scalars: dict[str, str]  # the text as typed, for hints such as "quote it"
    start_line: int


@dataclasses.dataclass
class Context:
    path: str
    taxonomy: Taxonomy
    problems: list[Problem]
    front: Located

    def error(self, line: int, field: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.path, line, field, message, hint))

    def warn(self, line: int, field: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.path, line, field, message, hint, "warning"))

    def line(self, name: str) -> int:
        return self.front.key_lines.get(name, self.front.start_line)


def closest(text: str, choices: list[str], cutoff: int = 60) -> str | None:
    found = process.extractOne(text, choices, processor=utils.default_process, score_cutoff=cutoff)
    return str(found[0]) if found else None


def did_you_mean(text: str, choices: list[str]) -> str:
    found = closest(text, choices)
    return f"did you mean {found!r}?" if found else ""


def type_name(value: Any) -> str:
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


def is_url(text: str) -> bool:
    return bool(_URL.match(text))


class Kind:
    """One kind of value: `check` returns the clean value (None when invalid), `schema` its JSON Schema."""

    def check(self, name: str, value: Any, ctx: Context) -> Any:
        raise NotImplementedError

    def schema(self, taxonomy: Taxonomy | None) -> dict[str, Any]:
        raise NotImplementedError


@dataclasses.dataclass(frozen=True)
class Text(Kind):
    max_length: int = 0
    error_when_long: bool = False  # a long summary breaks result lists; a long title only reads badly

    def check(self, name: str, value: Any, ctx: Context) -> str | None:
        line = ctx.line(name)
        if not isinstance(value, str):
            extra = " (YAML reads yes/no/on/off as booleans)" if isinstance(value, bool) else ""
            typed = ctx.front.raw_scalars.get(name, "")
            hint = f'put the value in quotes: {name}: "{typed}"' if typed else "put the value in quotes"
            ctx.error(line, name, f"expected text, got {type_name(value)}{extra}",
                      hint if not isinstance(value, list | dict) else "write a single line of text")  # fmt: skip
            return None
        text = " ".join(value.split())
        if self.max_length and len(text) > self.max_length:
            report = ctx.error if self.error_when_long else ctx.warn
            report(line, name, f"is {len(text)} characters; keep it to {self.max_length}", "shorten it")
        return text

    def schema(self, taxonomy: Taxonomy | None) -> dict[str, Any]:
        return {"type": "string", **({"maxLength": self.max_length} if self.max_length else {})}


@dataclasses.dataclass(frozen=True)
class Year(Kind):
    def check(self, name: str, value: Any, ctx: Context) -> int | None:
        line = ctx.line(name)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int):
            hint = (f"write only the year: {name}: {value.year}" if isinstance(value, dt.date)
                    else f"write a four-digit year: {name}: 2015")  # fmt: skip
            ctx.error(line, name, f"expected a year, got {type_name(value)}", hint)
            return None
        if not FIRST_YEAR <= value <= last_year():
            ctx.error(
                line,
                name,
                f"year {value} is out of range",
                f"use a year between {FIRST_YEAR} and {last_year()}",
            )
            return None
        return value

    def schema(self, taxonomy: Taxonomy | None) -> dict[str, Any]:
        return {"type": "integer", "minimum": FIRST_YEAR, "maximum": last_year()}


def last_year() -> int:
    return dt.date.today().year + 1


@dataclasses.dataclass(frozen=True)
class Date(Kind):
    def check(self, name: str, value: Any, ctx: Context) -> dt.date | None:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        ctx.error(ctx.line(name), name, f"expected a date, got {type_name(value)} {str(value)[:40]!r}",
                  f"write the date as YYYY-MM-DD: {name}: {dt.date.today().isoformat()}")  # fmt: skip
        return None

    def schema(self, taxonomy: Taxonomy | None) -> dict[str, Any]:
        return {"type": "string", "format": "date"}


@dataclasses.dataclass(frozen=True)
class Choice(Kind):
    choices: tuple[str, ...]

    def check(self, name: str, value: Any, ctx: Context) -> str | None:
        text = value.strip().lower() if isinstance(value, str) else None
        if text in self.choices:
            return text
        guess = did_you_mean(value, list(self.choices)) if isinstance(value, str) else ""
        ctx.error(ctx.line(name), name, f"{str(value)[:40]!r} is not allowed",
                  f"{guess + ' ' if guess else ''}allowed: {', '.join(self.choices)}")  # fmt: skip
        return None

    def schema(self, taxonomy: Taxonomy | None) -> dict[str, Any]:
        return {"type": "string", "enum": list(self.choices)}


def list_items(name: str, value: Any, ctx: Context) -> list[tuple[int, Any]]:
    """(line, item) of a list; a single value is read as a list of one, with a warning."""
    line = ctx.line(name)
    if isinstance(value, list):
        lines = ctx.front.item_lines.get(name, [])
        return [(lines[i] if i < len(lines) else line, v) for i, v in enumerate(value)]
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        ctx.warn(line, name, "should be a list; read as a list of one",
                 f"write {name}: [{value}] or one '- item' line per value")  # fmt: skip
        return [(line, value)]
    ctx.error(line, name, f"expected a list, got {type_name(value)}", f"write {name}: [first, second]")
    return []


@dataclasses.dataclass(frozen=True)
class Texts(Kind):
    def check(self, name: str, value: Any, ctx: Context) -> list[str]:
        out: list[str] = []
        for line, item in list_items(name, value, ctx):
            if isinstance(item, str) and item.strip():
                out.append(" ".join(item.split()))
            elif isinstance(item, int | float) and not isinstance(item, bool):
                out.append(str(item))
            else:
                ctx.error(
                    line, name, f"each item must be text, got {type_name(item)}", "put the item in quotes"
                )
        return out

    def schema(self, taxonomy: Taxonomy | None) -> dict[str, Any]:
        return {"type": "array", "items": STRING}


@dataclasses.dataclass(frozen=True)
class Vocabulary(Kind):
    """Keys, names or aliases of the taxonomy's regions, themes or target groups, stored as keys."""

    table: str  # regions, themes, target_groups
    noun: str  # region, theme, target group
    min_items: int = 0

    def check(self, name: str, value: Any, ctx: Context) -> list[str]:
        table = getattr(ctx.taxonomy, self.table)
        resolve = {"regions": ctx.taxonomy.resolve_region, "themes": ctx.taxonomy.resolve_theme,
                   "target_groups": ctx.taxonomy.resolve_target_group}[self.table]  # fmt: skip
        names = [n for item in table.values() for n in item.all_names()]
        keys: list[str] = []
        for line, item in list_items(name, value, ctx):
            key = resolve(str(item)) if isinstance(item, str) else None
            if key is None:
                guess = closest(str(item), names)
                owner = resolve(guess) if guess else None
                hint = (
                    f"did you mean {guess!r}?" + (f" ({owner})" if owner and owner != guess else "")
                    if guess
                    else ""
                )
                ctx.error(line, name, f"unknown {self.noun} {str(item)[:60]!r}",
                          hint or f"known {self.noun}s: {', '.join(table)}")  # fmt: skip
            elif key in keys:
                ctx.warn(line, name, f"{key!r} is listed twice", "remove the repeated item")
            else:
                keys.append(key)
        return keys

    def schema(self, taxonomy: Taxonomy | None) -> dict[str, Any]:
        spec: dict[str, Any] = {"type": "array", "items": STRING}
        if self.min_items:
            spec["minItems"] = self.min_items
        if taxonomy is not None:
            keys = list(getattr(taxonomy, self.table))
            spec["items"] = {"type": "string", "examples": keys, "anyOf": [{"enum": keys}, STRING]}
        return spec


def is_homepage(url: str) -> bool:
    """An address that names a whole site rather than a page about the practice."""
    path = re.sub(r"^https?://[^/]+", "", url).split("?", 1)[0].split("#", 1)[0].strip("/")
    return not path or bool(re.fullmatch(r"[a-z]{2}(-[a-z]{2})?|index\.\w+|home", path, re.IGNORECASE))


@dataclasses.dataclass(frozen=True)
class Sources(Kind):
    keys: tuple[str, ...] = ("title", "url", "accessed")
    wanted: int = 2

    def check(self, name: str, value: Any, ctx: Context) -> list[dict[str, str]]:
        out: list[dict[str, str]] = []
        for line, item in list_items(name, value, ctx):
            found = self._one(name, line, item, ctx)
            if found is not None:
                out.append(found)
        if out and len(out) < self.wanted:
            ctx.warn(ctx.line(name), name, f"has {len(out)} source; give at least {self.wanted}",
                     "add another public page that backs the entry")  # fmt: skip
        if out and all(not s["url"] or is_homepage(s["url"]) for s in out):
            ctx.warn(ctx.line(name), name, "every source is a homepage or has no address",
                     "cite at least one specific page: a law's official text, the programme's own page, a "
                     "report or a dated news article")  # fmt: skip
        return out

    def _one(self, name: str, line: int, item: Any, ctx: Context) -> dict[str, str] | None:
        if isinstance(item, str) and item.strip():
            text = item.strip()
            return {"title": text, "url": text} if is_url(text) else {"title": text, "url": ""}
        if not isinstance(item, dict):
            ctx.error(line, name, f"each source must be a URL, a citation or title/url, got {type_name(item)}",
                      "write - title: ... and url: https://...")  # fmt: skip
            return None
        title, url = item.get("title"), item.get("url")
        unknown = sorted(str(k) for k in set(item) - set(self.keys))
        if unknown:
            ctx.warn(line, name, f"unknown source key {unknown[0]!r}", f"use {', '.join(self.keys)}")
        if url is not None and not (isinstance(url, str) and is_url(url.strip())):
            ctx.error(line, name, f"source url {str(url)[:60]!r} is not an http(s) address",
                      "write the full address starting with https://")  # fmt: skip
            return None
        if not (isinstance(title, str) and title.strip()) and not url:
            ctx.error(line, name, "source needs a title or a url", "write - title: ... and url: https://...")
            return None
        clean_url = url.strip() if isinstance(url, str) else ""
        return {"title": str(title).strip() if title else clean_url, "url": clean_url}

    def schema(self, taxonomy: Taxonomy | None) -> dict[str, Any]:
        mapping = {"type": "object", "properties": {"title": STRING, "url": {"type": "string", "format": "uri"},
                                                    "accessed": {"type": ["string"], "format": "date"}},
                   "additionalProperties": False}  # fmt: skip
        return {"type": "array", "minItems": 1, "items": {"anyOf": [STRING, mapping]}}


@dataclasses.dataclass(frozen=True)
class Mappings(Kind):
    """A list of small mappings (funding, outcomes): the first key is required; plain text allowed if `text`."""

    keys: dict[str, dict[str, Any]]  # key -> its JSON Schema
    text: bool = False  # a plain item means {first key: item}

    def check(self, name: str, value: Any, ctx: Context) -> list[dict[str, Any]]:
        first = next(iter(self.keys))
        out: list[dict[str, Any]] = []
        for line, item in list_items(name, value, ctx):
            if isinstance(item, str) and self.text:
                out.append({first: item.strip()})
                continue
            if not isinstance(item, dict) or not item.get(first):
                ctx.error(line, name, f"each item needs `{first}`", f"write - {first}: ...")
                continue
            for key in item:
                if key not in self.keys:
                    ctx.warn(line, name, f"unknown key {key!r}",
                             did_you_mean(str(key), list(self.keys)) or f"allowed: {', '.join(self.keys)}")  # fmt: skip
            period = item.get("period")
            if period is not None and not _PERIOD.match(str(period)):
                ctx.error(
                    line, name, f"period {str(period)[:30]!r} is not a year or a range", "write 2021-2027"
                )
                continue
            out.append(
                {
                    k: (v.isoformat() if isinstance(v, dt.date) else v)
                    for k, v in item.items()
                    if k in self.keys
                }
            )
        return out

    def schema(self, taxonomy: Taxonomy | None) -> dict[str, Any]:
        first = next(iter(self.keys))
        mapping = {
            "type": "object",
            "required": [first],
            "properties": self.keys,
            "additionalProperties": False,
        }
        return {"type": "array", "items": {"anyOf": [STRING, mapping]} if self.text else mapping}


@dataclasses.dataclass(frozen=True)
class Contact(Kind):
    def check(self, name: str, value: Any, ctx: Context) -> str | None:
        text = value.strip() if isinstance(value, str) else ""
        if is_url(text) or _EMAIL.match(text):
            return text.removeprefix("mailto:")
        ctx.error(ctx.line(name), name, f"{str(value)[:60]!r} is neither an http(s) address nor an e-mail",
                  "write https://... or name@organisation.org")  # fmt: skip
        return None

    def schema(self, taxonomy: Taxonomy | None) -> dict[str, Any]:
        return STRING


@dataclasses.dataclass(frozen=True)
class Language(Kind):
    def check(self, name: str, value: Any, ctx: Context) -> str | None:
        if isinstance(value, str) and _LANG.match(value.strip().lower()):
            return value.strip().lower()
        typed = ctx.front.raw_scalars.get(name, str(value))
        ctx.error(ctx.line(name), name, f"{typed[:20]!r} is not a language code",
                  "write a two-letter code such as en, de, pl" + (' in quotes: "no"' if isinstance(value, bool) else ""))  # fmt: skip
        return None

    def schema(self, taxonomy: Taxonomy | None) -> dict[str, Any]:
        return {"type": "string", "pattern": "^[a-z]{2,3}$"}
