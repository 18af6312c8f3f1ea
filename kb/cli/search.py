"""`kb search`, `kb resolve`: searching from the command line."""

from __future__ import annotations

import dataclasses
import json
import sys
from typing import TYPE_CHECKING

import click

from kb.cli.app import _engine, _fail, _taxonomy, cli, pass_settings
from kb.config import Settings
from kb.errors import KbError
from kb.vocabulary import SORTS, STATUSES

if TYPE_CHECKING:  # the search package is imported when a command runs, not when the CLI starts
    from kb.search import SearchResults


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
    _explain(results)
    _print_hits(results)


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


def _explain(results: SearchResults) -> None:
    """How the query was read: filters, correction, how many words had to match, notes, expansions."""
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
    for added in results.expansions:
        click.echo(f"Also searched: {', '.join(added.searched) or added.label} (from {added.typed!r})")


def _print_hits(results: SearchResults) -> None:
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
