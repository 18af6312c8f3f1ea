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
PERIOD = re.compile(r"^\d{4}(\s*[-–]\s*\d{4})?$")
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
