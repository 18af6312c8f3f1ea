"""The `kb` command line: thin click commands over the library. Only this module prints and sets exit codes."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from kb.config import Settings, describe
from kb.errors import KbError, Problem, TaxonomyError
from kb.vocabulary import SCOPES, SORTS, STATUSES

pass_settings = click.make_pass_decorator(Settings)


def main() -> None:
    try:
        cli(standalone_mode=True)
    except KbError as exc:  # pragma: no cover - standalone_mode handles most; this keeps tracebacks away
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="secon-kb", prog_name="kb")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """SECON best-practice knowledge base: validate entries, reindex, search and serve.

    Settings come from KB_* environment variables (`kb settings` lists them).
    """
    try:
        ctx.obj = Settings.from_env()
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


def _fail(exc: KbError) -> None:
    if isinstance(exc, TaxonomyError):
        for problem in exc.problems:
            click.echo(problem.format(), err=True)
        click.echo("error: the taxonomy is invalid; nothing was checked", err=True)
    else:
        click.echo(f"error: {exc}", err=True)
    sys.exit(2)


def _taxonomy(settings: Settings) -> Any:
    """The taxonomy, or the command ends with its located problems (exit 2)."""
    from kb.taxonomy import load_taxonomy

    try:
        return load_taxonomy(settings.taxonomy_path)
    except KbError as exc:
        _fail(exc)
        raise  # not reached: _fail exits


def _print_problems(problems: list[Problem]) -> None:
    for problem in sorted(problems, key=lambda p: (p.path, p.line, p.field)):
        click.echo(problem.format())


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
@click.option("--full", is_flag=True, help="Rebuild the database and the index from scratch.")
@click.option("--strict", is_flag=True, help="Write nothing and fail if any entry has a problem.")
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary line.")
@pass_settings
def reindex(settings: Settings, full: bool, strict: bool, quiet: bool) -> None:
    """Bring the database and search index up to date with the entry files (incremental by default)."""
    from kb.reindex import reindex as run

    show_bar = sys.stderr.isatty() and not quiet
    bars: list[Any] = []

    def progress(total: int) -> Any:
        if not show_bar or total == 0:
            return lambda _n: None
        bar = click.progressbar(length=total, label="Indexing", file=sys.stderr)
        bar.__enter__()
        bars.append(bar)
        return bar.update

    try:
        summary = run(settings, full=full, strict=strict, progress=progress)
    except KbError as exc:
        _fail(exc)
        return
    finally:
        for bar in bars:
            bar.__exit__(None, None, None)
    if not quiet:
        _print_problems(summary.problems)
    click.echo(summary.line())
    sys.exit(1 if summary.failed or (strict and summary.problems) else 0)


def _engine(settings: Settings) -> Any:
    from kb.search import SearchEngine

    return SearchEngine(settings.index_dir, _taxonomy(settings), settings.fuzzy_cutoff)


@cli.command()
@click.argument("query", nargs=-1)
@click.option("--region", "regions", multiple=True, help="Region key or name, as typed (repeatable).")
@click.option("--theme", "themes", multiple=True, help="Theme key or name, as typed (repeatable).")
@click.option("--status", "statuses", multiple=True, type=click.Choice(STATUSES))
@click.option("--sort", type=click.Choice(SORTS), default=None)
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
@pass_settings
def search(
    settings: Settings, query: tuple[str, ...], regions: tuple[str, ...], themes: tuple[str, ...],
    statuses: tuple[str, ...], sort: str | None, limit: int, as_json: bool,
) -> None:  # fmt: skip
    """Search the index: ranked results with highlighted snippets and facet counts."""
    from kb.search import SearchRequest

    try:
        engine = _engine(settings)
        try:
            results = engine.search(
                SearchRequest(
                    q=" ".join(query),
                    filters={"region": list(regions), "theme": list(themes), "status": list(statuses)},
                    sort=sort or "",
                    page_size=limit,
                )
            )
        finally:
            engine.close()
    except KbError as exc:
        _fail(exc)
        return
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(results), indent=2, ensure_ascii=False))
        return
    for choice in results.filters:
        if choice.status == "resolved" and not choice.exact:
            click.echo(f"{choice.kind} {choice.typed!r} read as {choice.label}")
        elif choice.status != "resolved":
            alts = ", ".join(a["label"] for a in choice.alternatives) or "nothing close"
            click.echo(f"{choice.kind} {choice.typed!r} not applied; close: {alts}")
    if results.corrected_from:
        click.echo(
            f"Showing results for {results.suggestion!r}; no entry contains {results.corrected_from!r}"
        )
    elif results.suggestion:
        click.echo(f"Did you mean: {results.suggestion}")
    if results.match == "most" and results.complete:
        click.echo(f"{results.complete} practices contain all the words; then practices with at least "
                   f"{results.required} of the {results.words}.")  # fmt: skip
    elif results.match == "most":
        click.echo(
            f"No practice matches all the words; showing practices that match at least {results.required} "
            f"of the {results.words}."
        )
    elif results.relaxed:
        click.echo("No practice matches all the words; showing practices that match any of them.")
    for note in results.notes:
        click.echo(note.text)
    click.echo(f"{results.total} practices ({results.elapsed_ms} ms)")
    for rank, hit in enumerate(results.hits, start=1):
        title = "".join(click.style(s.text, bold=True) if s.match else s.text for s in hit.title_marked)
        click.echo(f"\n{rank}. {title}  [{hit.slug}]")
        click.echo(
            f"   {', '.join(hit.regions)} | {', '.join(hit.themes)} | {hit.status} since {hit.start_year}"
        )
        snippet = "".join(click.style(s.text, fg="yellow") if s.match else s.text for s in hit.snippet)
        click.echo(f"   {snippet or hit.summary}")
    for facet, values in results.facets.items():
        shown = ", ".join(f"{v.label} ({v.count}){'*' if v.selected else ''}" for v in values if v.count)
        if shown:
            click.echo(f"\n{facet}: {shown}")


@cli.command()
@click.argument("kind", type=click.Choice(["region", "theme", "target"]))
@click.argument("text")
@click.option("--json", "as_json", is_flag=True)
@pass_settings
def resolve(settings: Settings, kind: str, text: str, as_json: bool) -> None:
    """Show how typed text resolves to regions, themes or target groups, best match first."""
    from kb.filters import resolve as run

    result = run(_taxonomy(settings), kind, text, cutoff=settings.fuzzy_cutoff)  # type: ignore[arg-type]
    if as_json:
        data = dataclasses.asdict(result) | {"status": result.status}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if not result.matches:
        click.echo(f"nothing plausible for {text!r}")
        sys.exit(1)
    for match in result.matches:
        mark = "*" if match.key == result.chosen else " "
        click.echo(f"{mark} {match.key:<28} {match.score:5.1f}  {match.label}  (matched {match.matched!r})")
    click.echo("* applied" if result.chosen else "no clear winner: choose one", err=True)


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


@cli.command("settings")
def show_settings() -> None:
    """List every KB_* setting with its default and meaning."""
    for name, default, help_text in describe():
        click.echo(f"{name:<18} default {default!r:<16} {help_text}")


@cli.command()
@click.option(
    "--dev", is_flag=True, help="Run Flask's development server with the reloader (never in production)."
)
@click.option("--host", default=None, help="Address to listen on (default KB_HOST).")
@click.option("--port", default=None, type=int, help="Port (default KB_PORT).")
@click.option(
    "--workers", default=None, type=int, help="Worker processes (default KB_WORKERS or one per core)."
)
@pass_settings
def serve(settings: Settings, dev: bool, host: str | None, port: int | None, workers: int | None) -> None:
    """Serve the web interface; builds the index first if there is none."""
    from kb.reindex import ensure_built

    host = host or settings.host
    port = port or settings.port
    try:
        built = ensure_built(settings)
    except KbError as exc:
        _fail(exc)
        return
    if built is not None:
        _print_problems(built.problems)
        click.echo(built.line())
    env = dict(os.environ, KB_CONTENT_DIR=str(settings.content_dir), KB_INDEX_DIR=str(settings.index_dir))
    if settings.database_url:
        env["KB_DATABASE_URL"] = settings.database_url
    click.echo(f"SECON knowledge base: http://{host}:{port}/  (Ctrl+C stops)")
    if dev:
        command = [sys.executable, "-m", "flask", "--app", "webapp:create_app", "run", "--debug", "--reload",
                   "--host", host, "--port", str(port)]  # fmt: skip
    else:
        count = workers or settings.workers or (os.cpu_count() or 1)
        command = [sys.executable, "-m", "gunicorn", "--workers", str(count), "--bind", f"{host}:{port}",
                   "--access-logfile", "-", "--graceful-timeout", "10", "webapp.wsgi:application"]  # fmt: skip
    sys.stdout.flush()
    # Become the server process, so that signals (Ctrl+C, a supervisor's SIGTERM) reach it directly.
    os.execve(sys.executable, command, env)  # noqa: S606  # our own interpreter and arguments, no shell
