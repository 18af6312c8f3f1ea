"""Create a new entry file from the field declarations, with the contributor's answers filled in and TODO marks
where something is still to write."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

from kb.errors import KbError
from kb.fields import FIELDS, PLACEHOLDER, example_text
from kb.folding import slugify
from kb.loader import SLUG, SLUG_MAX
from kb.taxonomy import Taxonomy
from kb.vocabulary import ORGANISATION_TYPES, SCOPES, STATUSES

HEADER = """# SECON best-practice entry. Replace every TODO; `kb validate --strict {path}` checks the file.
# Field reference: `kb schema`, and the "Adding an entry" section of the README. Optional fields are commented
# out: remove the # to use one, and leave it out when no source supports it."""
BODY = f"""
## Description

{PLACEHOLDER}: what the practice is, who runs it and how it works. Short paragraphs, neutral and factual.

## Results

{PLACEHOLDER}: evidence of success, only what the sources say (figures with their year). Never invent figures.

## Transferability

{PLACEHOLDER}: what another region needs to adopt it.
"""
_SOURCES = f"""
  - title: "{PLACEHOLDER}: a specific public page about the practice (programme page, law, report, dated article)"
    url: https://{PLACEHOLDER}.example.org/
  - title: "{PLACEHOLDER}: a second public source"
    url: https://{PLACEHOLDER}.example.org/"""


@dataclasses.dataclass
class NewEntry:
    title: str
    regions: list[str]
    themes: list[str]
    organisation: str
    status: str = "ongoing"
    start_year: int | None = None
    organisation_type: str | None = None
    scope: str | None = None
    slug: str | None = None


def _yaml_text(value: str) -> str:
    # JSON strings are valid YAML scalars: this quotes colons, hashes and YAML's yes/no words safely.
    return json.dumps(value, ensure_ascii=False)


def _todo(name: str) -> str:
    return _yaml_text(f"{PLACEHOLDER}: {FIELDS[name].help}")


def render_entry(answers: NewEntry, taxonomy: Taxonomy, path_hint: str = "") -> str:
    """The file text: every required field (resolved keys, answers or TODO), every optional one commented."""
    if answers.status not in STATUSES:
        raise KbError(f"status must be one of {', '.join(STATUSES)}")
    if answers.scope and answers.scope not in SCOPES:
        raise KbError(f"scope must be one of {', '.join(SCOPES)}")
    if answers.organisation_type and answers.organisation_type not in ORGANISATION_TYPES:
        raise KbError(f"organisation type must be one of {', '.join(ORGANISATION_TYPES)}")
    given = {
        "title": _yaml_text(answers.title),
        "regions": "["
        + ", ".join(_key(taxonomy.resolve_region(r), "region", r) for r in answers.regions)
        + "]",
        "themes": "[" + ", ".join(_key(taxonomy.resolve_theme(t), "theme", t) for t in answers.themes) + "]",
        "organisation": _yaml_text(answers.organisation) if answers.organisation else None,
        "status": answers.status,
        "start_year": str(answers.start_year) if answers.start_year else None,
        "scope": answers.scope,
        "organisation_type": answers.organisation_type,
        "sources": _SOURCES,
        "last_reviewed": dt.date.today().isoformat(),
    }
    lines = ["---", HEADER.format(path=path_hint or "practices/<slug>.md")]
    for name, field in FIELDS.items():
        value = given.get(name)
        if value is not None:
            lines.append(f"{name}: {value}")
        elif field.required:
            lines.append(f"{name}: {_todo(name)}")
        else:
            lines.append(f"# {name}: {example_text(name)}  ({field.help})")
    return "\n".join([*lines, "---", BODY])


def _key(found: str | None, kind: str, typed: str) -> str:
    if found is None:
        raise KbError(f"unknown {kind} {typed!r}; `kb resolve {kind} {typed!r}` shows the closest names")
    return found


def create_entry(content_dir: Path, answers: NewEntry, taxonomy: Taxonomy) -> Path:
    """Write `<content_dir>/<slug>.md`; refuses to overwrite an existing file or to use a bad slug."""
    if not answers.title.strip():
        raise KbError("a title is needed")
    if not answers.regions or not answers.themes:
        raise KbError("at least one region and one theme are needed")
    slug = answers.slug or slugify(answers.title, SLUG_MAX)
    if not SLUG.match(slug) or len(slug) > SLUG_MAX:
        raise KbError(f"{slug!r} is not a valid slug: use lower-case ASCII words joined by hyphens")
    path = content_dir / f"{slug}.md"
    text = render_entry(answers, taxonomy, str(path))
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise KbError(f"{path} already exists; choose another title or pass --slug") from None
    return path
