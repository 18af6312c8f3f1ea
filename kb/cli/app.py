"""The `kb` command group and what its commands share. Only the CLI prints and sets exit codes."""

from __future__ import annotations

import sys
from typing import Any

import click

from kb.config import Settings
from kb.errors import KbError, Problem, TaxonomyError

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


def _engine(settings: Settings) -> Any:
    from kb.search import SearchEngine

    return SearchEngine(settings.index_dir, _taxonomy(settings), settings.fuzzy_cutoff)
