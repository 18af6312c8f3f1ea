"""The controlled vocabulary: regions and themes, with every name and alias an entry or a person may use."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import Any

import yaml

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

    def label_in(self, lang: str) -> str:
        return self.labels.get(lang, self.label) if lang != "en" else self.label

    def all_names(self) -> list[str]:
        return [self.key, self.label, *self.labels.values(), *self.synonyms]


@dataclasses.dataclass(frozen=True, eq=False)  # identity hash: cached lookups key on the loaded object
class Taxonomy:
    regions: dict[str, Region]
    themes: dict[str, Theme]
    digest: str
    _region_aliases: dict[str, str] = dataclasses.field(repr=False)
    _theme_aliases: dict[str, str] = dataclasses.field(repr=False)

    def resolve_region(self, text: str) -> str | None:
        """Exact match of a key, name or alias, ignoring case, accents and script."""
        return _lookup(self._region_aliases, text)

    def resolve_theme(self, text: str) -> str | None:
        return _lookup(self._theme_aliases, text)

    @property
    def countries(self) -> dict[str, str]:
        """Country code -> English country name, for the countries the regions lie in."""
        return {r.country: r.country_name for r in self.regions.values()}


def _lookup(aliases: dict[str, str], text: str) -> str | None:
    for form in variants(text):
        if form in aliases:
            return aliases[form]
    return None


def load_taxonomy(path: Path) -> Taxonomy:
    """Read and check `taxonomy.yaml`; every problem is collected and raised together."""
    shown = str(path)
    try:
        raw_bytes = path.read_bytes()
    except OSError as exc:
        raise TaxonomyError(
            [Problem(shown, 1, "taxonomy", f"cannot read the taxonomy: {exc.strerror}")]
        ) from None
    try:
        data = yaml.safe_load(raw_bytes.decode("utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", 0) + 1
        raise TaxonomyError([Problem(shown, line, "taxonomy", f"not valid YAML: {exc}")]) from None
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise TaxonomyError([Problem(shown, 1, "taxonomy", "expected a mapping with `regions` and `themes`")])
    regions = [_region(shown, i, r, problems) for i, r in enumerate(_as_list(data.get("regions")))]
    themes = [_theme(shown, i, t, problems) for i, t in enumerate(_as_list(data.get("themes")))]
    region_aliases = _alias_table(shown, "regions", [(r.key, r.all_names()) for r in regions if r], problems)
    theme_aliases = _alias_table(shown, "themes", [(t.key, t.all_names()) for t in themes if t], problems)
    if not regions or not themes:
        problems.append(Problem(shown, 1, "taxonomy", "needs at least one region and one theme"))
    if problems:
        raise TaxonomyError(problems)
    return Taxonomy(
        regions={r.key: r for r in regions if r},
        themes={t.key: t for t in themes if t},
        digest=hashlib.sha256(raw_bytes).hexdigest()[:16],
        _region_aliases=region_aliases,
        _theme_aliases=theme_aliases,
    )


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(str(v) for v in value if v is not None)
    return ()


def _region(path: str, i: int, raw: Any, problems: list[Problem]) -> Region:
    raw = raw if isinstance(raw, dict) else {}
    key = str(raw.get("key", ""))
    for required in ("key", "name", "country"):
        if not raw.get(required):
            problems.append(Problem(path, 1, f"regions[{i}].{required}", "missing"))
    names = raw.get("names") or {}
    return Region(
        key=key,
        name=str(raw.get("name", key)),
        country=str(raw.get("country", "")).upper(),
        country_name=str(raw.get("country_name", raw.get("country", ""))),
        nuts=_strings(raw.get("nuts")),
        names={str(lang): _strings(v) for lang, v in names.items()} if isinstance(names, dict) else {},
        aliases=_strings(raw.get("aliases")),
    )


def _theme(path: str, i: int, raw: Any, problems: list[Problem]) -> Theme:
    raw = raw if isinstance(raw, dict) else {}
    key = str(raw.get("key", ""))
    for required in ("key", "label"):
        if not raw.get(required):
            problems.append(Problem(path, 1, f"themes[{i}].{required}", "missing"))
    labels = raw.get("labels") or {}
    return Theme(
        key=key,
        label=str(raw.get("label", key)),
        labels={str(k): str(v) for k, v in labels.items()} if isinstance(labels, dict) else {},
        description=str(raw.get("description", "")),
        synonyms=_strings(raw.get("synonyms")),
    )


def _alias_table(
    path: str, kind: str, items: list[tuple[str, list[str]]], problems: list[Problem]
) -> dict[str, str]:
    table: dict[str, str] = {}
    for key, names in items:
        for name in names:
            for form in variants(name):
                owner = table.setdefault(form, key)
                if owner != key:
                    problems.append(
                        Problem(path, 1, kind, f"name {name!r} belongs to both {owner!r} and {key!r}")
                    )
    return table
