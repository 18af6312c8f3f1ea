"""The only code that reads entry files: find them, read their bytes, and turn each into an entry or problems.

The steps of one file: decode, split the front matter (kb/frontmatter.py), validate it (kb/fields.py), render
the body (kb/render.py) and check it (kb/bodycheck.py). Many files are parsed in parallel by kb/parallel.py.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kb import frontmatter, render
from kb.bodycheck import check_body
from kb.errors import Problem
from kb.fields import validate_front_matter
from kb.folding import slugify
from kb.models import Entry
from kb.taxonomy import Taxonomy

# Bump when parsing or rendering changes, so that every entry is re-read by the next incremental reindex.
LOADER_VERSION = "4"  # 4: rel on external links whatever the case of their scheme
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 80


@dataclasses.dataclass
class FileResult:
    """What reading one file gave: an entry, or not, and every problem found on the way."""

    path: str
    slug: str
    content_hash: str
    entry: Entry | None
    problems: list[Problem]
    prepared: Any = None  # what the caller's `prepare` made of the entry, in the worker process


@dataclasses.dataclass
class LoadReport:
    entries: list[Entry]
    problems: list[Problem]
    files: int

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def _is_entry_name(name: str) -> bool:
    return name.endswith(".md") and not name.startswith(("_", ".")) and name.lower() != "readme.md"


def discover(content_dir: Path) -> list[Path]:
    """Every entry file below the content folder, in a stable order (symlinks included, checked later)."""
    found: list[Path] = []
    for root, dirs, files in os.walk(content_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        base = Path(root)
        found.extend(base / f for f in sorted(files) if _is_entry_name(f))
    return found


def display(path: Path) -> str:
    """The path as a contributor would type it: relative to the working folder when inside it."""
    text, cwd = str(path), os.getcwd()  # noqa: PTH109  # a string: this runs for every file of a reindex
    return text[len(cwd) + 1 :] if text.startswith(cwd + os.sep) else text


def entry_hash(data: bytes, taxonomy: Taxonomy) -> str:
    """Changes when the bytes, the taxonomy or the loader change: anything that could change the result."""
    return hashlib.sha256(LOADER_VERSION.encode() + taxonomy.digest.encode() + data).hexdigest()


def read_bytes(path: Path, content_dir: Path, max_bytes: int) -> tuple[bytes | None, Problem | None]:
    """The file's bytes, or the reason it is refused (outside the content folder, too large, unreadable)."""
    try:
        if path.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(content_dir.resolve()):
                return None, Problem(
                    display(path),
                    1,
                    "file",
                    "symbolic link points outside the content folder",
                    "copy the entry into the folder instead of linking to it",
                )
        size = path.stat().st_size
        if size > max_bytes:
            return None, Problem(
                display(path),
                1,
                "file",
                f"file is {size:,} bytes; the limit is {max_bytes:,}",
                "shorten the entry (KB_MAX_FILE_BYTES sets the limit)",
            )
        with path.open("rb") as handle:
            return handle.read(max_bytes + 1), None
    except OSError as exc:
        return None, Problem(
            display(path), 1, "file", f"cannot read: {exc.strerror or exc}", "check the file exists"
        )


def load_file(path: Path, content_dir: Path, taxonomy: Taxonomy, max_bytes: int) -> FileResult:
    shown, slug = display(path), path.stem
    data, refused = read_bytes(path, content_dir, max_bytes)
    if data is None:
        assert refused is not None
        return FileResult(shown, slug, "", None, [refused])
    return parse_entry(data, shown, slug, taxonomy)


def parse_entry(data: bytes, shown: str, slug: str, taxonomy: Taxonomy) -> FileResult:
    """Parse one file's bytes; never raises for bad content."""
    digest = entry_hash(data, taxonomy)
    problems: list[Problem] = []
    if not SLUG.match(slug) or len(slug) > SLUG_MAX:
        problems.append(
            Problem(
                shown,
                1,
                "slug",
                f"file name {slug!r} is not a valid slug",
                f"rename the file to {slugify(slug)}.md (lower-case ASCII words and hyphens)",
            )
        )
    text, problem = _decode(data, shown)
    if text is None:
        return FileResult(shown, slug, digest, None, [*problems, problem] if problem else problems)
    split = frontmatter.split(text, shown)
    if isinstance(split, Problem):
        return FileResult(shown, slug, digest, None, [*problems, split])
    yaml_text, body, body_line = split
    front = frontmatter.read(yaml_text, shown, problems)
    if front is None:
        return FileResult(shown, slug, digest, None, problems)
    values, found = validate_front_matter(front, shown, taxonomy)
    problems.extend(found)
    rendered = render.render(body)
    problems.extend(check_body(body, rendered, body_line, shown))
    if any(p.severity == "error" for p in problems):
        return FileResult(shown, slug, digest, None, problems)
    region_keys: list[str] = values["regions"]
    entry = Entry(
        slug=slug, path=shown, content_hash=digest,
        countries=sorted({taxonomy.regions[k].country for k in region_keys}),
        body_markdown=body, body_html=rendered.html, body_text=rendered.text,
        **values,
    )  # fmt: skip
    return FileResult(shown, slug, digest, entry, problems)


def _decode(data: bytes, shown: str) -> tuple[str | None, Problem | None]:
    if not data.strip():
        return None, Problem(shown, 1, "file", "file is empty", "`kb new` writes a skeleton to start from")
    if b"\x00" in data[:8192]:
        return None, Problem(
            shown,
            1,
            "file",
            "looks like a binary file, not Markdown text",
            "entries are UTF-8 text files ending in .md",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, Problem(
            shown,
            line,
            "file",
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            "save the file with UTF-8 encoding",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def claim_slug(owners: dict[str, str], slug: str, shown: str) -> Problem | None:
    """Record the file that uses a slug first; a later file with the same slug gets the problem."""
    first = owners.setdefault(slug, shown)
    if first == shown:
        return None
    return Problem(shown, 1, "slug", f"slug {slug!r} is already used by {first}",
                   "rename one of the files; a slug is a permanent address")  # fmt: skip


def collect(results: Iterable[FileResult]) -> LoadReport:
    """Entries and problems of many files; a slug used twice is an error on every file after the first."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    owners: dict[str, str] = {}
    count = 0
    for result in results:
        count += 1
        problems.extend(result.problems)
        if result.entry is None:
            continue
        taken = claim_slug(owners, result.slug, result.path)
        if taken is not None:
            problems.append(taken)
            continue
        entries.append(result.entry)
    return LoadReport(entries, problems, count)
