"""`kb reindex`, `kb serve`, `kb settings`: the commands for operators."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from kb.cli.app import _fail, _print_problems, cli, pass_settings
from kb.config import Settings, describe
from kb.errors import KbError


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
