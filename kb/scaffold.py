"""Create a new entry file from the template, with the contributor's answers filled in and TODO marks left."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from importlib import resources
from pathlib import Path

from kb.errors import KbError
from kb.fields import PLACEHOLDER
from kb.folding import slugify
from kb.loader import SLUG, SLUG_MAX
from kb.taxonomy import Taxonomy
from kb.vocabulary import ORGANISATION_TYPES, SCOPES, STATUSES


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


def render_entry(answers: NewEntry, taxonomy: Taxonomy, path_hint: str = "") -> str:
    """The file text: resolved keys for regions and themes, placeholders where nothing was given."""
    regions = [_key(taxonomy.resolve_region(r), "region", r) for r in answers.regions]
    themes = [_key(taxonomy.resolve_theme(t), "theme", t) for t in answers.themes]
    if answers.status not in STATUSES:
        raise KbError(f"status must be one of {', '.join(STATUSES)}")
    if answers.scope and answers.scope not in SCOPES:
        raise KbError(f"scope must be one of {', '.join(SCOPES)}")
    if answers.organisation_type and answers.organisation_type not in ORGANISATION_TYPES:
        raise KbError(f"organisation type must be one of {', '.join(ORGANISATION_TYPES)}")
    template = resources.files("kb").joinpath("templates/entry.md").read_text(encoding="utf-8")
    return template.format(
        path=path_hint or "practices/<slug>.md",
        title=_yaml_text(answers.title),
        regions="[" + ", ".join(regions) + "]",
        themes="[" + ", ".join(themes) + "]",
        organisation=_yaml_text(answers.organisation or f"{PLACEHOLDER}: organisation that runs it"),
        organisation_type=answers.organisation_type or "other",
        status=answers.status,
        start_year=answers.start_year or f'"{PLACEHOLDER}: year it started"',
        scope=answers.scope or f'"{PLACEHOLDER}: local, regional, national or european"',
        today=dt.date.today().isoformat(),
    )


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
