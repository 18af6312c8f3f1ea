"""`kb validate`, `kb new`, `kb schema`, `kb stats`: the commands for contributors."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from kb.cli.app import _print_problems, _taxonomy, cli, pass_settings
from kb.config import Settings
from kb.errors import KbError, Problem
from kb.vocabulary import SCOPES, STATUSES


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@pass_settings
def validate(settings: Settings, paths: tuple[Path, ...], strict: bool, fmt: str) -> None:
    """Check entry files and the thesaurus (default: the whole content folder); report every problem as
    path:line."""
    from kb import loader, parallel
    from kb.thesaurus import FILE, read_thesaurus

    taxonomy = _taxonomy(settings)
    files: list[Path] = []
    missing: list[Problem] = []
    for path in paths or (settings.content_dir,):
        thesaurus = path / FILE if path.is_dir() else path if path.name == FILE else None
        if thesaurus is not None:
            missing.extend(read_thesaurus(thesaurus, taxonomy)[1])
        if path.is_dir():
            files.extend(loader.discover(path))
        elif thesaurus is not None:
            continue
        elif path.exists() or path.is_symlink():
            files.append(path)
        else:
            missing.append(Problem(str(path), 1, "file", "no such file or folder", "check the path"))
    results = parallel.load_files(files, settings.content_dir, taxonomy, settings.max_file_bytes,
                                jobs=os.cpu_count() or 1)  # fmt: skip
    report = loader.collect(results)
    problems = missing + report.problems
    errors = [p for p in problems if p.severity == "error" or strict]
    warnings = len(problems) - len([p for p in problems if p.severity == "error"])
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "ok": not errors,
                    "files": report.files,
                    "valid": len(report.entries),
                    "problems": [p.as_dict() for p in problems],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        _print_problems(problems)
        error_count = len(problems) - warnings
        click.echo(f"{report.files} files checked: {len(report.entries)} valid, {error_count} errors, "
                   f"{warnings} warnings" + (" (warnings count as errors: --strict)" if strict and warnings else ""),
                   err=True)  # fmt: skip
    sys.exit(1 if errors else 0)


@cli.command()
@click.option("--title")
@click.option("--region", "regions", multiple=True, help="Region key or name (repeatable).")
@click.option("--theme", "themes", multiple=True, help="Theme key or name (repeatable).")
@click.option("--organisation")
@click.option("--organisation-type", default=None)
@click.option("--status", type=click.Choice(STATUSES), default=None)
@click.option("--start-year", type=click.IntRange(1800, 2100), default=None)
@click.option(
    "--scope",
    type=click.Choice(SCOPES),
    default=None,
    help="Level of government or reach of the practice.",
)
@click.option("--slug", default=None, help="File name without .md (default: made from the title).")
@pass_settings
def new(
    settings: Settings, title: str | None, regions: tuple[str, ...], themes: tuple[str, ...],
    organisation: str | None, organisation_type: str | None, status: str | None, start_year: int | None,
    scope: str | None, slug: str | None,
) -> None:  # fmt: skip
    """Create a new entry from the template; asks for what the options do not give."""
    from kb.scaffold import NewEntry, create_entry

    taxonomy = _taxonomy(settings)
    interactive = sys.stdin.isatty()

    def ask(value: Any, prompt: str, **kwargs: Any) -> Any:
        if value or not interactive:
            return value
        return click.prompt(prompt, **kwargs)

    title = ask(title, "Title")
    if not regions and interactive:
        click.echo("Regions: " + ", ".join(taxonomy.regions))
    region_list = list(regions) or [r.strip() for r in (ask("", "Regions (comma-separated)") or "").split(",")
                                    if r.strip()]  # fmt: skip
    if not themes and interactive:
        click.echo("Themes: " + ", ".join(taxonomy.themes))
    theme_list = list(themes) or [t.strip() for t in (ask("", "Themes (comma-separated)") or "").split(",")
                                  if t.strip()]  # fmt: skip
    organisation = ask(organisation, "Organisation", default="")
    status = ask(status, "Status", default="ongoing", type=click.Choice(STATUSES))
    start_year = ask(start_year, "Start year (empty if not sure)", default="", show_default=False) or None
    scope = ask(scope, "Scope", type=click.Choice(SCOPES))
    try:
        path = create_entry(settings.content_dir, NewEntry(
            title=title or "", regions=region_list, themes=theme_list, organisation=organisation or "",
            status=status or "ongoing", start_year=int(start_year) if start_year else None,
            organisation_type=organisation_type, scope=scope, slug=slug,
        ), taxonomy)  # fmt: skip
    except (KbError, ValueError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    click.echo(f"created {path}")
    click.echo(f"next: replace every TODO, then run `kb validate --strict {path}`")


@cli.command()
@click.option("--markdown", is_flag=True, help="Print the field table of the README instead.")
@click.option("--thesaurus", is_flag=True, help="Print the JSON Schema of thesaurus.yaml instead.")
@pass_settings
def schema(settings: Settings, markdown: bool, thesaurus: bool) -> None:
    """Print a JSON Schema of the front matter (for editors such as VS Code YAML)."""
    from kb import thesaurus as thesaurus_file
    from kb.fields import json_schema, markdown_table
    from kb.taxonomy import load_taxonomy

    if markdown:
        click.echo(markdown_table())
        return
    if thesaurus:
        click.echo(json.dumps(thesaurus_file.json_schema(), indent=2, ensure_ascii=False))
        return
    try:
        taxonomy = load_taxonomy(settings.taxonomy_path)
    except KbError:
        taxonomy = None
    click.echo(json.dumps(json_schema(taxonomy), indent=2, ensure_ascii=False))


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@pass_settings
def stats(settings: Settings, as_json: bool) -> None:
    """Entries per region, theme, scope, evidence level and status; exit 1 when a minimum is not reached."""
    from kb import loader, parallel
    from kb.stats import collection_stats

    taxonomy = _taxonomy(settings)
    files = loader.discover(settings.content_dir)
    results = parallel.load_files(
        files, settings.content_dir, taxonomy, settings.max_file_bytes, jobs=os.cpu_count() or 1
    )
    found = collection_stats(loader.collect(results).entries, taxonomy)
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(found), indent=2, ensure_ascii=False))
    else:
        click.echo(f"{found.entries} valid entries")
        click.echo("regions (local or regional): " + ", ".join(
            f"{k} {n} ({found.place_based[k]})" for k, n in found.regions.items()))  # fmt: skip
        for title, counts in (("themes", found.themes), ("scope", found.scopes), ("evidence", found.evidence),
                              ("status", found.statuses)):  # fmt: skip
            click.echo(f"{title}: " + ", ".join(f"{k} {n}" for k, n in counts.items()))
        for line in found.shortfalls:
            click.echo(f"short: {line}", err=True)
    sys.exit(1 if found.shortfalls else 0)
