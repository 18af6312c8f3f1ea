"""Practices side by side: the rows a policymaker compares, read from the database once for the compare page, its
JSON twin and the brief, with the rows where the practices differ marked."""

from __future__ import annotations

import dataclasses
import html
import json
import re
from collections.abc import Callable, Mapping, Sequence
from html.parser import HTMLParser
from typing import Any, Literal

from sqlalchemy import Engine

from kb import store
from kb.models import PracticeRow
from kb.taxonomy import Taxonomy, country_name
from kb.vocabulary import NOT_STATED

MAX_PRACTICES = 6
MAX_ASKED = 50  # slugs read from one request at most; the rest are reported as too many without a look-up
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_MAX_SLUG = 120

RowKind = Literal["facts", "text", "links"]
ROWS: tuple[tuple[str, RowKind], ...] = (
    ("regions", "facts"), ("scope", "facts"), ("organisation", "facts"), ("status", "facts"), ("themes", "facts"),
    ("target_groups", "facts"), ("funding", "facts"), ("evidence", "facts"), ("outcomes", "facts"),
    ("summary", "text"), ("results", "text"), ("transferability", "text"), ("sources", "links"), ("link", "links"),
)  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Words:
    """What the rows are called and how closed-list values read, in one language (the web app passes its own)."""

    rows: Mapping[str, str]  # row key -> heading
    values: Mapping[
        str, Mapping[str, str]
    ]  # facet name (status, scope, evidence, organisation_type) -> labels
    today: str = "today"

    def value(self, facet: str, key: str) -> str:
        return self.values.get(facet, {}).get(key, key)


ENGLISH = Words(
    rows={"regions": "Regions and country", "scope": "Scope", "organisation": "Organisation and type",
          "status": "Status and years", "themes": "Themes", "target_groups": "Target groups", "funding": "Funding",
          "evidence": "Evidence level", "outcomes": "Outcomes", "summary": "Summary", "results": "Results",
          "transferability": "Transferability", "sources": "Sources", "link": "Permanent link"},
    values={"evidence": {NOT_STATED: "not stated"}},
)  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Item:
    """One line of a cell: a text, and the address it links to (sources, permanent link)."""

    text: str
    url: str = ""


@dataclasses.dataclass
class Cell:
    items: list[Item]
    html: str = ""  # results and transferability: the section as the safe Markdown renderer wrote it


@dataclasses.dataclass
class Row:
    key: str
    label: str
    kind: RowKind  # facts (short values), text (prose), links
    cells: list[Cell]  # one per practice, in the order of the selection
    differs: bool  # the practices' values are not all the same


@dataclasses.dataclass
class Column:
    slug: str
    title: str
    url: str  # the permanent link


NoticeCode = Literal["too-many", "unknown", "duplicate"]


@dataclasses.dataclass
class Notice:
    """Something left out of the selection: `too-many` (beyond MAX_PRACTICES), `unknown`, or `duplicate`."""

    code: NoticeCode
    slugs: list[str]


@dataclasses.dataclass
class Comparison:
    practices: list[Column]
    rows: list[Row]
    notices: list[Notice]

    @property
    def slugs(self) -> list[str]:
        return [c.slug for c in self.practices]


def plan_selection(asked: Sequence[str], limit: int = MAX_PRACTICES) -> tuple[list[str], list[Notice]]:
    """The slugs to look up, in order (malformed ones, repeats and those beyond `limit` left out), and what was left
    out: what a page can tell without reading the database."""
    wanted: list[str] = []
    codes: tuple[NoticeCode, ...] = ("duplicate", "too-many", "unknown")
    notices = {code: Notice(code, []) for code in codes}
    for raw in asked[:MAX_ASKED]:
        slug = raw.strip()
        if not slug:
            continue
        if len(slug) > _MAX_SLUG or not _SLUG.match(slug):
            notices["unknown"].slugs.append(slug[:_MAX_SLUG])
        elif slug in wanted:
            if slug not in notices["duplicate"].slugs:
                notices["duplicate"].slugs.append(slug)
        elif len(wanted) >= limit:
            notices["too-many"].slugs.append(slug)
        else:
            wanted.append(slug)
    notices["too-many"].slugs.extend(s.strip()[:_MAX_SLUG] for s in asked[MAX_ASKED:] if s.strip())
    return wanted, [n for n in notices.values() if n.slugs]


def compare(
    db: Engine, taxonomy: Taxonomy, asked: Sequence[str], permalink: Callable[[str], str],
    words: Words = ENGLISH, lang: str = "en",
) -> Comparison:  # fmt: skip
    """Read the asked practices (one query) and build the rows of the first MAX_PRACTICES that exist; unknown,
    repeated and surplus slugs are noted."""
    candidates, noted = plan_selection(asked, MAX_ASKED)
    found = store.get_practices(db, candidates) if candidates else {}
    existing = [s for s in candidates if s in found]
    notices = {n.code: n for n in noted}
    late: list[tuple[NoticeCode, list[str]]] = [
        ("too-many", existing[MAX_PRACTICES:]), ("unknown", [s for s in candidates if s not in found])]  # fmt: skip
    for code, slugs in late:
        if slugs:
            notices.setdefault(code, Notice(code, [])).slugs[:0] = slugs
    order = {"duplicate": 0, "too-many": 1, "unknown": 2}
    ordered = sorted(notices.values(), key=lambda n: order[n.code])
    return build([found[s] for s in existing[:MAX_PRACTICES]], taxonomy, permalink, words, lang, ordered)


def build(
    rows: Sequence[PracticeRow], taxonomy: Taxonomy, permalink: Callable[[str], str], words: Words, lang: str,
    notices: list[Notice] | None = None,
) -> Comparison:  # fmt: skip
    practices = [_Practice(r, json.loads(r.data_json), permalink(r.slug)) for r in rows]
    out = []
    for key, kind in ROWS:
        cells = [_cell(key, p, taxonomy, words, lang) for p in practices]
        values = {tuple(item.text for item in cell.items) for cell in cells}
        out.append(Row(key, words.rows.get(key, key), kind, cells, len(values) > 1))
    columns = [Column(p.row.slug, p.row.title, p.url) for p in practices]
    return Comparison(columns, out, notices or [])


@dataclasses.dataclass
class _Practice:
    row: PracticeRow
    data: dict[str, Any]
    url: str


def _texts(values: Sequence[str]) -> list[Item]:
    return [Item(v) for v in values if v]


def _cell(key: str, p: _Practice, taxonomy: Taxonomy, words: Words, lang: str) -> Cell:
    data = p.data
    if key == "regions":
        items = []
        for region_key in data.get("regions", []):
            region = taxonomy.regions.get(region_key)
            items.append(
                Item(
                    f"{region.name_in(lang)} ({country_name(region.country, lang)})" if region else region_key
                )
            )
        return Cell(items + _texts([data.get("city") or ""]))
    if key in {"scope", "status"}:
        found = data.get(key) or ""
        items = _texts([words.value(key, found)] if found else [])
        if key == "status":
            start, end = data.get("start_year"), data.get("end_year")
            items.append(Item(f"{start}–{end}" if end else f"{start} – {words.today}"))
        return Cell(items)
    if key == "organisation":
        kind = data.get("organisation_type") or ""
        return Cell(
            _texts([data.get("organisation") or "", words.value("organisation_type", kind) if kind else ""])
        )
    if key == "themes":
        return Cell(_texts([taxonomy.themes[k].label_in(lang) if k in taxonomy.themes else k
                            for k in data.get("themes", [])]))  # fmt: skip
    if key == "target_groups":
        groups = taxonomy.target_groups
        return Cell(
            _texts([groups[k].label_in(lang) if k in groups else k for k in data.get("target_groups", [])])
        )
    if key == "funding":
        return Cell(_texts([_funding(f) for f in data.get("funding", [])]))
    if key == "evidence":
        return Cell([Item(words.value("evidence", data.get("evidence_level") or NOT_STATED))])
    if key == "outcomes":
        return Cell(_texts([_outcome(o) for o in data.get("outcomes", [])]))
    if key == "summary":
        return Cell(_texts([p.row.summary]))
    if key in {"results", "transferability"}:
        section = sections(p.row.body_html).get(key, "")
        return Cell(_texts(paragraphs(section)), section)
    if key == "sources":
        return Cell(
            [Item(s.get("title") or s.get("url", ""), s.get("url", "")) for s in data.get("sources", [])]
        )
    return Cell([Item(p.url, p.url)])  # link


def _funding(item: Mapping[str, Any]) -> str:
    text = ", ".join(str(item[k]) for k in ("instrument", "programme") if item.get(k))
    if item.get("amount") is not None:
        text += f", {item['amount']}" + (f" {item['currency']}" if item.get("currency") else "")
    return text + (f" ({item['period']})" if item.get("period") else "")


def _outcome(item: Mapping[str, Any]) -> str:
    text = str(item.get("indicator", ""))
    if item.get("value") is not None:
        text += f": {item['value']}" + (f" {item['unit']}" if item.get("unit") else "")
    return text + (f" ({item['year']})" if item.get("year") else "")


_H2 = re.compile(r"<h2[^>]*>(.*?)</h2>\s*", re.DOTALL)
_SECTION_NAMES = {"results": "results", "transferability": "transferab"}  # headings start with these words


def sections(body_html: str) -> dict[str, str]:
    """The HTML of the expected body sections (`results`, `transferability`) by the start of their `##` heading.

    The body was rendered by kb.render, where every `##` heading is a top-level block, so each part between two
    headings is complete HTML."""
    parts = _H2.split(body_html)
    out: dict[str, str] = {}
    for i in range(1, len(parts) - 1, 2):
        heading = html.unescape(re.sub(r"<[^>]+>", "", parts[i])).strip().lower()
        for key, start in _SECTION_NAMES.items():
            if heading.startswith(start) and key not in out:
                out[key] = parts[i + 1].strip()
    return out


class _Blocks(HTMLParser):
    BLOCKS = frozenset({"p", "li", "h3", "h4", "h5", "h6", "blockquote", "pre", "td", "th", "dd", "dt"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCKS:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        self._current.append(data)

    def flush(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.blocks.append(text)
        self._current = []


def paragraphs(section_html: str) -> list[str]:
    """The section's paragraphs and list items as plain text, in order."""
    parser = _Blocks()
    parser.feed(section_html)
    parser.close()
    parser.flush()
    return parser.blocks
