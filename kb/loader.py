"""The only code that reads entry files: split the front matter, parse it safely, validate, render the body."""

from __future__ import annotations

import concurrent.futures
import dataclasses
import hashlib
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml

from kb import render
from kb.errors import Problem
from kb.fields import PLACEHOLDER, Located, validate_front_matter
from kb.folding import slugify
from kb.models import Entry
from kb.taxonomy import Taxonomy

# Bump when parsing or rendering changes, so that every entry is re-read by the next incremental reindex.
LOADER_VERSION = "2"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 80
FRONT_MATTER_MAX = 64 * 1024
YAML_NODES_MAX = 5_000
EXPECTED_SECTIONS = ("Description", "Results", "Transferability")
OPTIONAL_SECTIONS = ("Challenges", "Lessons learned")
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
    split = _split(text, shown)
    if isinstance(split, Problem):
        return FileResult(shown, slug, digest, None, [*problems, split])
    yaml_text, body, body_line = split
    front = _read_yaml(yaml_text, shown, problems)
    if front is None:
        return FileResult(shown, slug, digest, None, problems)
    values, found = validate_front_matter(front, shown, taxonomy)
    problems.extend(found)
    rendered = render.render(body)
    problems.extend(_check_body(body, rendered, body_line, shown))
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


def _split(text: str, shown: str) -> tuple[str, str, int] | Problem:
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return Problem(
            shown,
            1,
            "front matter",
            "file must start with a line of three dashes (---)",
            "put the YAML fields between two --- lines at the very top",
        )
    for number, line in enumerate(lines[1:], start=2):
        if line.rstrip() in {"---", "..."}:
            yaml_text = "\n".join(lines[1 : number - 1])
            if len(yaml_text) > FRONT_MATTER_MAX:
                return Problem(
                    shown,
                    1,
                    "front matter",
                    f"front matter is over {FRONT_MATTER_MAX:,} characters",
                    "move long text into the body",
                )
            return yaml_text, "\n".join(lines[number:]), number + 1
    return Problem(
        shown, 1, "front matter", "front matter is not closed", "add a line with --- after the last field"
    )


def _read_yaml(yaml_text: str, shown: str, problems: list[Problem]) -> Located | None:
    """Compose the YAML (keeping every node's line), refuse aliases, then build plain values."""
    first_line = 2  # YAML starts on the line after the opening ---
    yaml_lines = yaml_text.split("\n")
    loader = _Loader(yaml_text)
    try:
        node = loader.get_single_node()
        if node is None:
            problems.append(
                Problem(shown, 1, "front matter", "front matter is empty", "add the required fields")
            )
            return None
        if not isinstance(node, yaml.MappingNode):
            problems.append(
                Problem(
                    shown,
                    node.start_mark.line + first_line,
                    "front matter",
                    "front matter must be `key: value` lines",
                    "write one field per line",
                )
            )
            return None
        alias = _find_alias(node)
        if alias is not None:
            problems.append(
                Problem(
                    shown,
                    alias.start_mark.line + first_line,
                    "front matter",
                    "YAML anchors and aliases (&name, *name) are not allowed",
                    "write each value out in full",
                )
            )
            return None
        values: dict[str, Any] = {}
        key_lines: dict[str, int] = {}
        item_lines: dict[str, list[int]] = {}
        raw: dict[str, str] = {}
        for key_node, value_node in node.value:
            key = str(loader.construct_object(key_node, deep=True))
            line = key_node.start_mark.line + first_line
            if key in values:
                problems.append(
                    Problem(
                        shown,
                        line,
                        key,
                        f"key is repeated (first on line {key_lines[key]})",
                        "keep one of them",
                    )
                )
                continue
            values[key] = loader.construct_object(value_node, deep=True)
            key_lines[key] = line
            if isinstance(value_node, yaml.SequenceNode):
                item_lines[key] = [n.start_mark.line + first_line for n in value_node.value]
            elif isinstance(value_node, yaml.ScalarNode):
                raw[key] = value_node.value
                if not value_node.style and _comment_follows(yaml_lines, value_node):
                    problems.append(Problem(shown, line, key, f"text after ' #' is a YAML comment, so the value "
                                            f"is only {value_node.value!r}", f'put the whole value in quotes: '
                                            f'{key}: "{yaml_lines[value_node.start_mark.line].split(":", 1)[-1].strip()}"',
                                            "warning"))  # fmt: skip
        return Located(values, key_lines, item_lines, raw, 1)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line if mark else 0) + first_line
        problem = str(exc.problem or exc.context)
        if "could not determine a constructor for the tag" in problem:
            tag = problem.rsplit("tag:yaml.org,2002:", 1)[-1].strip("'")
            problems.append(Problem(shown, line, "front matter", f"YAML tags such as !!{tag[:60]} are not allowed",
                                    "write a plain value, in quotes if it starts with !"))  # fmt: skip
            return None
        message = f"YAML syntax error: {problem}"
        if exc.context_mark is not None and exc.context_mark.line + first_line != line:
            message += f" ({exc.context} on line {exc.context_mark.line + first_line})"
        offending = yaml_lines[mark.line] if mark and mark.line < len(yaml_lines) else ""
        hint = "indent with spaces, not tabs" if "\t" in offending else _yaml_hint(problem)
        problems.append(Problem(shown, line, "front matter", message, hint))
        return None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        problems.append(
            Problem(shown, 1, "front matter", f"cannot read YAML: {exc}", "check the YAML syntax")
        )
        return None
    finally:
        loader.dispose()


def _comment_follows(lines: list[str], node: yaml.ScalarNode) -> bool:
    """True when a plain value is followed by `# ...` on its line: `title: Update #2` reads as "Update"."""
    end = node.end_mark
    if end.line >= len(lines) or node.start_mark.line != end.line:
        return False
    return lines[end.line][end.column :].lstrip().startswith("#")


def _find_alias(root: yaml.Node) -> yaml.Node | None:
    """A node reached twice is an alias: refuse it before anything could expand it (alias bombs)."""
    seen: set[int] = set()
    stack: list[yaml.Node] = [root]
    count = 0
    while stack:
        node = stack.pop()
        count += 1
        if id(node) in seen or count > YAML_NODES_MAX:
            return node
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack.extend((k, v))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return None


def _yaml_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be in quotes"
    if "found character '\\t'" in problem or "tab" in problem:
        return "indent with spaces, not tabs"
    if "could not find expected ':'" in problem:
        return "each field is `key: value`; check the line above for a missing colon or quote"
    if "found undefined alias" in problem or "found unknown escape" in problem:
        return "put the value in quotes"
    return "check quotes, colons and indentation"


def _check_body(body: str, rendered: render.Rendered, body_line: int, shown: str) -> list[Problem]:
    problems: list[Problem] = []
    offset = body_line - 1
    if not body.strip():
        return [
            Problem(
                shown,
                body_line,
                "body",
                "the entry has no text after the front matter",
                "add ## Description, ## Results and ## Transferability",
                "warning",
            )
        ]
    found = [(line, text.strip()) for level, line, text in rendered.headings if level == 2]
    names = [t for _, t in found]
    last_line = body.count("\n") + body_line
    for section in EXPECTED_SECTIONS:
        if section not in names:
            problems.append(
                Problem(
                    shown,
                    last_line,
                    "body",
                    f"missing section '## {section}'",
                    f"sections in order: {', '.join('## ' + s for s in EXPECTED_SECTIONS)}",
                    "warning",
                )
            )
    present = [s for s in names if s in EXPECTED_SECTIONS]
    expected_order = [s for s in EXPECTED_SECTIONS if s in present]
    if present != expected_order:
        line = next(line for line, t in found if t in EXPECTED_SECTIONS) + offset
        problems.append(
            Problem(
                shown,
                line,
                "body",
                "sections are out of order",
                f"order: {', '.join(EXPECTED_SECTIONS)}",
                "warning",
            )
        )
    for number, text in enumerate(body.split("\n"), start=body_line):
        if PLACEHOLDER in text:
            problems.append(
                Problem(
                    shown,
                    number,
                    "body",
                    "still holds a TODO placeholder",
                    "write the section's text in place of the TODO",
                    "warning",
                )
            )
    for line in rendered.raw_html_lines:
        problems.append(
            Problem(
                shown,
                line + offset,
                "body",
                "raw HTML is shown as text, not rendered",
                "use Markdown instead of HTML tags",
                "warning",
            )
        )
    return problems


def load_files(
    paths: Sequence[Path],
    content_dir: Path,
    taxonomy: Taxonomy,
    max_bytes: int,
    jobs: int = 1,
    prepare: Callable[[Entry, Taxonomy], Any] | None = None,
) -> Iterator[FileResult]:
    """Parse many files, in several processes when there are many (parsing is CPU-bound), in order.

    `prepare` (a module-level function) runs on each good entry in the same process, for work that should be
    spread over the cores too; results arrive as they are ready, so the caller works while the rest is parsed.
    """
    if jobs <= 1 or len(paths) < 200:
        for p in paths:
            yield _load_one((p, content_dir, taxonomy, max_bytes, prepare))
        return
    chunk = max(1, min(64, len(paths) // (jobs * 8)))
    pool = concurrent.futures.ProcessPoolExecutor(
        max_workers=jobs, initializer=_exit_with_parent, initargs=(os.getpid(),)
    )
    try:
        yield from pool.map(
            _load_one, [(p, content_dir, taxonomy, max_bytes, prepare) for p in paths], chunksize=chunk
        )
    finally:  # when the caller stops early (an error while indexing), files not yet parsed are not parsed
        pool.shutdown(wait=True, cancel_futures=True)


def _exit_with_parent(parent: int) -> None:
    """Make a worker end when its parent does: after a `kill -9` of `kb reindex` a worker would otherwise wait
    for work forever, holding the parent's stdout and stderr open (seen as a hung CI run)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, name="kb-exit-with-parent", daemon=True).start()


def _load_one(args: tuple[Path, Path, Taxonomy, int, Callable[[Entry, Taxonomy], Any] | None]) -> FileResult:
    path, content_dir, taxonomy, max_bytes, prepare = args
    result = load_file(path, content_dir, taxonomy, max_bytes)
    if prepare is not None and result.entry is not None:
        result.prepared = prepare(result.entry, taxonomy)
    return result


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
        first = owners.setdefault(result.slug, result.path)
        if first != result.path:
            problems.append(
                Problem(
                    result.path,
                    1,
                    "slug",
                    f"slug {result.slug!r} is already used by {first}",
                    "rename one of the files; a slug is a permanent address",
                )
            )
            continue
        entries.append(result.entry)
    return LoadReport(entries, problems, count)
