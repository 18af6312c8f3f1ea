"""The multilingual thesaurus (`practices/thesaurus.yaml`): concepts with labels in the 12 interface languages,
read and checked with every problem located as `path:line: field: message (hint: ...)`."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from pathlib import Path
from typing import Any

from kb import yamlfile
from kb.analysis import fold_word
from kb.errors import Problem
from kb.kinds import did_you_mean
from kb.taxonomy import Taxonomy

LANGUAGES = ("en", "de", "el", "nl", "fr", "pl", "es", "ro", "hu", "pt", "lv", "bg")
KINDS = ("theme", "legal-form", "instrument", "target-group", "sector", "practice-type", "actor", "concept")
FILE = "thesaurus.yaml"
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclasses.dataclass(frozen=True)
class Concept:
    id: str
    kind: str
    theme: str | None
    labels: dict[str, tuple[str, ...]]  # language -> labels, the preferred one first

    def preferred(self, lang: str) -> str:
        found = self.labels.get(lang) or self.labels.get("en") or (self.id,)
        return found[0]


@dataclasses.dataclass(frozen=True)
class Thesaurus:
    concepts: dict[str, Concept]
    digest: str


def empty() -> Thesaurus:
    return Thesaurus({}, "")


def read_thesaurus(path: Path, taxonomy: Taxonomy | None = None) -> tuple[Thesaurus, list[Problem]]:
    """The concepts that are valid, and every problem found (a missing file is no thesaurus, not an error)."""
    if not path.exists():
        return empty(), []
    try:
        data, lines = yamlfile.read(path, "thesaurus")
    except yamlfile.YamlFileError as exc:
        return empty(), [exc.problem]
    checker = _Checker(str(path), lines, [], taxonomy, {})
    raw = data.get("concepts") if isinstance(data, dict) else None
    if not isinstance(raw, list):
        return empty(), [Problem(str(path), 1, "thesaurus", "expected `concepts:` followed by a list",
                                 "start the file with `concepts:` and one `- id: ...` item per concept")]  # fmt: skip
    concepts: dict[str, Concept] = {}
    for i, item in enumerate(raw):
        concept = checker.concept(i, item, concepts)
        if concept is not None:
            concepts[concept.id] = concept
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return Thesaurus(concepts, digest), checker.problems


@dataclasses.dataclass
class _Checker:
    path: str
    lines: yamlfile.Lines
    problems: list[Problem]
    taxonomy: Taxonomy | None
    owners: dict[tuple[str, str], str]  # (language, folded label) -> concept id

    def report(
        self, at: tuple[Any, ...], field: str, message: str, hint: str = "", severity: str = "error"
    ) -> None:
        line = yamlfile.line_of(self.lines, "concepts", *at)
        self.problems.append(Problem(self.path, line, field, message, hint, severity))  # type: ignore[arg-type]

    def concept(self, i: int, item: Any, known: dict[str, Concept]) -> Concept | None:
        if not isinstance(item, dict):
            self.report(
                (i,), f"concepts[{i}]", "expected `id:`, `kind:` and `labels:`", "start the item with - id:"
            )
            return None
        cid = str(item.get("id") or "")
        where = cid or f"concepts[{i}]"
        if not _ID.match(cid):
            self.report((i, "id"), where, f"id {cid[:40]!r} is not lower-case words joined by hyphens",
                        "write e.g. id: social-cooperative")  # fmt: skip
            return None
        if cid in known:
            self.report((i, "id"), cid, "id is used by another concept", "give each concept its own id")
            return None
        kind = str(item.get("kind") or "")
        if kind not in KINDS:
            self.report((i, "kind"), f"{cid}.kind", f"{kind[:30]!r} is not a kind",
                        f"{did_you_mean(kind, list(KINDS))} allowed: {', '.join(KINDS)}".strip())  # fmt: skip
        theme = item.get("theme")
        if theme is not None and self.taxonomy is not None and theme not in self.taxonomy.themes:
            self.report((i, "theme"), f"{cid}.theme", f"unknown theme {str(theme)[:40]!r}",
                        did_you_mean(str(theme), list(self.taxonomy.themes)) or "use a theme key of taxonomy.yaml")  # fmt: skip
        labels = self.labels(i, cid, item.get("labels"))
        if labels is None:
            return None
        return Concept(cid, kind, str(theme) if theme else None, labels)

    def labels(self, i: int, cid: str, raw: Any) -> dict[str, tuple[str, ...]] | None:
        if not isinstance(raw, dict) or not raw:
            self.report((i, "labels"), f"{cid}.labels", "expected labels by language",
                        "write labels: then one line per language, e.g. en: [social cooperative]")  # fmt: skip
            return None
        out: dict[str, tuple[str, ...]] = {}
        for lang, values in raw.items():
            if lang not in LANGUAGES:
                self.report((i, "labels", lang), f"{cid}.labels", f"unknown language {str(lang)[:10]!r}",
                            f"{did_you_mean(str(lang), list(LANGUAGES))} languages: {', '.join(LANGUAGES)}".strip())  # fmt: skip
                continue
            kept = self.language(i, cid, lang, values)
            if kept:
                out[lang] = kept
        missing = [lang for lang in LANGUAGES if lang not in out]
        if "en" in missing:
            self.report((i, "labels"), f"{cid}.labels", "has no English label",
                        "add en: [...]: the English labels are what the entries are searched for")  # fmt: skip
            return None
        if missing:
            self.report((i, "labels"), f"{cid}.labels", f"no labels in {', '.join(missing)}",
                        "add the term people use in each language", "warning")  # fmt: skip
        return out

    def language(self, i: int, cid: str, lang: str, values: Any) -> tuple[str, ...]:
        items = values if isinstance(values, list) else [values]
        kept: list[str] = []
        for j, label in enumerate(items):
            at = (i, "labels", lang, j) if isinstance(values, list) else (i, "labels", lang)
            if not isinstance(label, str) or not label.strip():
                self.report(at, f"{cid}.labels.{lang}", "empty label" if not label else "label must be text",
                            "write the term, or remove the empty item")  # fmt: skip
                continue
            text = " ".join(label.split())
            owner = self.owners.setdefault((lang, fold_word(text)), cid)
            if owner != cid:
                self.report(at, f"{cid}.labels.{lang}", f"label {text!r} also belongs to {owner!r}",
                            "a label may belong to one concept per language: keep it in one of them")  # fmt: skip
                continue
            kept.append(text)
        return tuple(kept)


def json_schema() -> dict[str, Any]:
    """A JSON Schema of thesaurus.yaml, for editors (`kb schema --thesaurus`)."""
    label_list = {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}
    concept = {
        "type": "object",
        "required": ["id", "kind", "labels"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string", "pattern": _ID.pattern, "description": "Lower-case words and hyphens."},
            "kind": {"enum": list(KINDS)},
            "theme": {"type": "string", "description": "A theme key of taxonomy.yaml."},
            "labels": {"type": "object", "required": ["en"], "additionalProperties": False,
                       "description": "Per language, the preferred term first, then synonyms and abbreviations.",
                       "properties": dict.fromkeys(LANGUAGES, label_list)},
        },
    }  # fmt: skip
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://secon.example/schemas/thesaurus.json",
        "title": "SECON multilingual social-economy thesaurus",
        "type": "object",
        "required": ["concepts"],
        "properties": {"concepts": {"type": "array", "items": concept}},
    }
