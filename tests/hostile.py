"""A content folder of hostile and broken entries mixed into good ones, and what each file must come to.

Each scenario is one file: `tests/data/entries/` (every failure kind of the validator), `tests/data/hostile/` (more
YAML failure kinds, unsafe URLs, and valid entries whose Markdown and front matter carry script in every form),
plus what cannot live in git: a file over the size limit, a symbolic link out of the folder and a duplicate slug.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from bench.generate import generate

DATA = Path(__file__).resolve().parent / "data"
GOOD_COUNT = 30

# File -> (line, field) of an error it must be reported with (it may have more). Every file not listed here is a
# good entry that must be indexed and served.
ERRORS: dict[str, tuple[int, str]] = {
    "no-front-matter.md": (1, "front matter"),
    "unclosed.md": (1, "front matter"),
    "yaml-syntax.md": (4, "front matter"),
    "empty.md": (1, "file"),
    "binary.md": (1, "file"),
    "latin1.md": (2, "file"),
    "alias-bomb.md": (2, "front matter"),
    "Bad_Name.md": (1, "slug"),
    "wrong-types.md": (3, "summary"),
    "missing-fields.md": (1, "organisation"),
    "unknown-values.md": (4, "regions"),
    "body-problems.md": (10, "end_year"),
    "yaml-tab-indent.md": (5, "front matter"),  # the tab-indented list item
    "yaml-duplicate-key.md": (4, "title"),  # the second `title:`
    "yaml-list-not-mapping.md": (2, "front matter"),
    "yaml-python-tag.md": (2, "front matter"),  # refused by the safe loader, never run
    "yaml-colon-in-value.md": (2, "front matter"),
    "unsafe-source-url.md": (5, "sources"),  # the source item holding javascript:
    "unsafe-contact.md": (5, "contact"),
    "huge.md": (1, "file"),
    "outside-link.md": (1, "file"),
    "nested/generated-00003.md": (1, "slug"),  # same slug as a good entry found first
}
# Reported at the line where the quote opened, named in the message, since the error is found at the end.
UNCLOSED_QUOTE = "yaml-unclosed-quote.md"
XSS = sorted(p.stem for p in (DATA / "hostile").glob("xss-*.md"))


@dataclass
class Mixed:
    content: Path
    good_slugs: list[str]
    errors: dict[str, tuple[int, str]]


def build(base: Path) -> Mixed:
    """Write the mixed folder under `base`: the test taxonomy, good generated entries and every scenario."""
    content = base / "practices"
    generate(content, GOOD_COUNT, seed=17, taxonomy=DATA / "taxonomy.yaml")
    for folder in (DATA / "entries", DATA / "hostile"):
        for path in folder.glob("*.md"):
            shutil.copy(path, content / path.name)
    (content / "huge.md").write_bytes(b"---\ntitle: Huge\n---\n" + b"word " * 120_000)
    outside = base / "outside.md"
    outside.write_bytes((DATA / "entries" / "good.md").read_bytes())
    (content / "outside-link.md").symlink_to(outside)
    (content / "nested").mkdir()
    shutil.copy(content / "generated-00003.md", content / "nested" / "generated-00003.md")
    listed = set(ERRORS) | {UNCLOSED_QUOTE}
    good = sorted(
        p.stem
        for p in content.rglob("*.md")
        if str(p.relative_to(content)) not in listed and not p.name.startswith("_")
    )
    return Mixed(content, good, ERRORS)
