"""The `kb` command line: thin click commands over the library (a module per kind of user). Only this package
prints and sets exit codes."""

from kb.cli import content, index, search  # noqa: F401  # registering their commands on the group
from kb.cli.app import cli, main

__all__ = ["cli", "main"]
