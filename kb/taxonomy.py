"""The controlled vocabulary: regions, themes and target groups, with every name and alias an entry or a person
may use."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from kb import yamlfile
from kb.errors import Problem, TaxonomyError
from kb.folding import variants


@dataclasses.dataclass(frozen=True)
class Region:
    key: str
    name: str
    country: str
    country_name: str
    nuts: tuple[str, ...]
    names: dict[str, tuple[str, ...]]
    aliases: tuple[str, ...]

    def name_in(self, lang: str) -> str:
        """The region's name in a language, falling back to English."""
        if lang == "en":
            return self.name
        found = self.names.get(lang)
        return found[0] if found else self.name

    def all_names(self) -> list[str]:
        out = [self.key, self.name]
        for names in self.names.values():
            out.extend(names)
        out.extend(self.aliases)
        return out


@dataclasses.dataclass(frozen=True)
class Theme:
    key: str
    label: str
    labels: dict[str, str]
    description: str
    synonyms: tuple[str, ...]
    descriptions: dict[str, str] = dataclasses.field(default_factory=dict)

    def label_in(self, lang: str) -> str:
        return self.labels.get(lang, self.label) if lang != "en" else self.label

    def description_in(self, lang: str) -> str:
        return self.descriptions.get(lang, self.description) if lang != "en" else self.description

    def all_names(self) -> list[str]:
        return [self.key, self.label, *self.labels.values(), *self.synonyms]


@dataclasses.dataclass(frozen=True, eq=False)  # identity hash: cached lookups key on the loaded object
class Taxonomy:
    regions: dict[str, Region]
    themes: dict[str, Theme]
    target_groups: dict[str, Theme]  # who practices serve: the same shape as a theme
    digest: str
    _region_aliases: dict[str, str] = dataclasses.field(repr=False)
    _theme_aliases: dict[str, str] = dataclasses.field(repr=False)
    _group_aliases: dict[str, str] = dataclasses.field(repr=False)

    def resolve_region(self, text: str) -> str | None:
        """Exact match of a key, name or alias, ignoring case, accents and script."""
        return _lookup(self._region_aliases, text)

    def resolve_theme(self, text: str) -> str | None:
        return _lookup(self._theme_aliases, text)

    def resolve_target_group(self, text: str) -> str | None:
        return _lookup(self._group_aliases, text)

    @property
    def countries(self) -> dict[str, str]:
        """Country code -> English country name, for the countries the regions lie in."""
        return {r.country: r.country_name for r in self.regions.values()}


@functools.lru_cache(maxsize=512)
def country_name(code: str, lang: str) -> str:
    """A country's name in a language, from CLDR (Babel); the code itself when CLDR does not know it."""
    try:
        return str(Locale.parse(lang).territories.get(code.upper(), code.upper()))
    except (ValueError, UnknownLocaleError):
        return code.upper()


def _lookup(aliases: dict[str, str], text: str) -> str | None:
    for form in variants(text):
        if form in aliases:
            return aliases[form]
    return None


def load_taxonomy(path: Path) -> Taxonomy:
    """Read and check `taxonomy.yaml`; every problem is collected, located, and raised together."""
    try:
        data, lines = yamlfile.read(path, "taxonomy")
    except yamlfile.YamlFileError as exc:
        raise TaxonomyError([exc.problem]) from None
    shown = str(path)
    if not isinstance(data, dict):
        raise TaxonomyError([Problem(shown, 1, "taxonomy", "expected a mapping with `regions` and `themes`",
                                     "start the file with `regions:` and `themes:` lists")])  # fmt: skip
    reader = _Reader(shown, lines, [])
    regions = [reader.region(i, r) for i, r in enumerate(reader.items(data, "regions"))]
    themes = [reader.theme("themes", i, t) for i, t in enumerate(reader.items(data, "themes"))]
    groups = [reader.theme("target_groups", i, t) for i, t in enumerate(reader.items(data, "target_groups"))]
    tables = {kind: reader.alias_table(kind, items) for kind, items in
              (("regions", regions), ("themes", themes), ("target_groups", groups))}  # fmt: skip
    for kind, found in (("regions", regions), ("themes", themes)):
        if not found:
            reader.problem((kind,), kind, f"needs at least one of the {kind}", f"add a `{kind}:` list")
    if reader.problems:
        raise TaxonomyError(reader.problems)
    return Taxonomy(
        regions={r.key: r for r in regions}, themes={t.key: t for t in themes},
        target_groups={g.key: g for g in groups},
        digest=hashlib.sha256(path.read_bytes()).hexdigest()[:16],
        _region_aliases=tables["regions"], _theme_aliases=tables["themes"], _group_aliases=tables["target_groups"],
    )  # fmt: skip


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(str(v) for v in value if v is not None)
    return ()


@dataclasses.dataclass
class _Reader:
    path: str
    lines: yamlfile.Lines
    problems: list[Problem]

    def problem(self, at: tuple[Any, ...], field: str, message: str, hint: str) -> None:
        self.problems.append(Problem(self.path, yamlfile.line_of(self.lines, *at), field, message, hint))

    def items(self, data: dict[str, Any], kind: str) -> list[dict[str, Any]]:
        value = data.get(kind)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(
                (kind,), kind, "expected a list", f"write `{kind}:` then one `- key: ...` item per line"
            )
            return []
        out = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                out.append(item)
            else:
                self.problem(
                    (kind, i), f"{kind}[{i}]", "expected `key: value` fields", "start the item with - key:"
                )
        return out

    def required(self, kind: str, i: int, raw: dict[str, Any], names: tuple[str, ...]) -> None:
        for name in names:
            if not raw.get(name):
                self.problem((kind, i), f"{kind}[{i}].{name}", "missing", f"add `{name}: ...` to this item")

    def region(self, i: int, raw: dict[str, Any]) -> Region:
        self.required("regions", i, raw, ("key", "name", "country"))
        key = str(raw.get("key", ""))
        country = str(raw.get("country", "")).upper()
        names = raw.get("names") or {}
        return Region(
            key=key, name=str(raw.get("name", key)), country=country,
            country_name=str(raw.get("country_name", country)), nuts=_strings(raw.get("nuts")),
            names={str(lang): _strings(v) for lang, v in names.items()} if isinstance(names, dict) else {},
            aliases=_strings(raw.get("aliases")),
        )  # fmt: skip

    def theme(self, kind: str, i: int, raw: dict[str, Any]) -> Theme:
        self.required(kind, i, raw, ("key", "label"))
        key = str(raw.get("key", ""))
        labels = raw.get("labels") or {}
        return Theme(
            key=key, label=str(raw.get("label", key)),
            labels={str(k): str(v) for k, v in labels.items()} if isinstance(labels, dict) else {},
            description=str(raw.get("description", "")), synonyms=_strings(raw.get("synonyms")),
            descriptions={str(k): str(v) for k, v in (raw.get("descriptions") or {}).items()}
            if isinstance(raw.get("descriptions"), dict) else {},
        )  # fmt: skip

    def alias_table(self, kind: str, items: Sequence[Region | Theme]) -> dict[str, str]:
        table: dict[str, str] = {}
        for i, item in enumerate(items):
            for name in item.all_names():
                for form in variants(name):
                    owner = table.setdefault(form, item.key)
                    if owner != item.key:
                        self.problem((kind, i), kind, f"name {name!r} belongs to both {owner!r} and {item.key!r}",
                                     "a name may belong to one item only: remove it from one of them")  # fmt: skip
        return table
