"""The project's exceptions and the one shape every reported problem takes."""

from __future__ import annotations

import dataclasses
from typing import Literal

Severity = Literal["error", "warning"]


@dataclasses.dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one file, located compiler style so editors can jump to it."""

    path: str
    line: int
    field: str
    message: str
    hint: str = ""
    severity: Severity = "error"

    def format(self) -> str:
        """`path:line: field: message (hint: ...)`; warnings say so before the message."""
        level = "warning: " if self.severity == "warning" else ""
        text = f"{self.path}:{self.line}: {self.field}: {level}{self.message}"
        return f"{text} (hint: {self.hint})" if self.hint else text

    def as_dict(self) -> dict[str, str | int]:
        return dataclasses.asdict(self)


class KbError(Exception):
    """Base of every error this package raises on purpose; the CLI shows its message without a traceback."""


class TaxonomyError(KbError):
    """The taxonomy file is missing or malformed; nothing can be validated without it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(p.format() for p in problems))


class IndexNotBuilt(KbError):
    """There is no usable search index yet (never built, deleted, or corrupt)."""


class IndexBusy(KbError):
    """Another reindex holds the writer lock."""


class IndexUnwritable(KbError):
    """The index directory cannot be written (read-only, full, or not a directory)."""


class QueryError(KbError):
    """A search request that cannot be answered as asked (bad parameter value)."""
