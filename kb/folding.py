"""Case, accent and script folding, so that `Azeméis`, `AZEMEIS` and `Хасково`/`Haskovo` compare equal."""

from __future__ import annotations

import functools
import re
import unicodedata

from anyascii import anyascii

_SEPARATORS = re.compile(r"[\s\-_/.,;:()'\"’`]+")


@functools.lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower-case, strip accents, and unify separators: `Rhein-Neckar` -> `rhein neckar`."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", stripped).strip()


@functools.lru_cache(maxsize=4096)
def translit(text: str) -> str:
    """`fold` then transliterate any script to ASCII: `Πελοπόννησος` -> `peloponnesos`."""
    return fold(anyascii(fold(text)))


def variants(text: str) -> set[str]:
    """Every folded form a name may be typed in."""
    return {v for v in (fold(text), translit(text)) if v}


def slugify(text: str, max_length: int = 80) -> str:
    """A file-name slug: lower-case ASCII words joined by hyphens."""
    words = re.findall(r"[a-z0-9]+", translit(text))
    slug = "-".join(words)[:max_length].strip("-")
    return slug or "entry"
