"""Kinds of front-matter value that hold lists: texts, taxonomy names, sources, and small mappings (funding,
outcomes). Like the scalar kinds in kb/kinds.py, each checks a value and describes itself as JSON Schema."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

from kb.kinds import PERIOD, STRING, Context, Kind, closest, did_you_mean, is_url, type_name
from kb.taxonomy import Taxonomy


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
            if period is not None and not PERIOD.match(str(period)):
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
