"""The front matter of an entry file: split it from the body, then read its YAML safely, keeping every line."""

from __future__ import annotations

from typing import Any

import yaml

from kb.errors import Problem
from kb.fields import Located

FRONT_MATTER_MAX = 64 * 1024
YAML_NODES_MAX = 5_000
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def split(text: str, shown: str) -> tuple[str, str, int] | Problem:
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


FIRST_LINE = 2  # YAML starts on the line after the opening ---


def read(yaml_text: str, shown: str, problems: list[Problem]) -> Located | None:
    """Compose the YAML (keeping every node's line), refuse aliases, then build plain values."""
    loader = _Loader(yaml_text)
    try:
        node = loader.get_single_node()
        refused = _refusal(node, shown)
        if refused is not None:
            problems.append(refused)
            return None
        return _values(loader, node, yaml_text.split("\n"), shown, problems)
    except yaml.MarkedYAMLError as exc:
        problems.append(_syntax_problem(exc, yaml_text.split("\n"), shown))
        return None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        problems.append(
            Problem(shown, 1, "front matter", f"cannot read YAML: {exc}", "check the YAML syntax")
        )
        return None
    finally:
        loader.dispose()


def _refusal(node: yaml.Node | None, shown: str) -> Problem | None:
    """Why a composed document cannot be front matter: empty, not a mapping, or with aliases (alias bombs)."""
    if node is None:
        return Problem(shown, 1, "front matter", "front matter is empty", "add the required fields")
    if not isinstance(node, yaml.MappingNode):
        return Problem(shown, node.start_mark.line + FIRST_LINE, "front matter",
                       "front matter must be `key: value` lines", "write one field per line")  # fmt: skip
    alias = _find_alias(node)
    if alias is not None:
        return Problem(shown, alias.start_mark.line + FIRST_LINE, "front matter",
                       "YAML anchors and aliases (&name, *name) are not allowed", "write each value out in full")  # fmt: skip
    return None


def _values(
    loader: Any, node: yaml.MappingNode, lines: list[str], shown: str, problems: list[Problem]
) -> Located:
    found = Located({}, {}, {}, {}, 1)
    for key_node, value_node in node.value:
        key = str(loader.construct_object(key_node, deep=True))
        line = key_node.start_mark.line + FIRST_LINE
        if key in found.values:
            problems.append(Problem(shown, line, key, f"key is repeated (first on line {found.key_lines[key]})",
                                    "keep one of them"))  # fmt: skip
            continue
        found.values[key] = loader.construct_object(value_node, deep=True)
        found.key_lines[key] = line
        if isinstance(value_node, yaml.SequenceNode):
            found.item_lines[key] = [n.start_mark.line + FIRST_LINE for n in value_node.value]
        elif isinstance(value_node, yaml.ScalarNode):
            found.raw_scalars[key] = value_node.value
            if not value_node.style and _comment_follows(lines, value_node):
                typed = lines[value_node.start_mark.line].split(":", 1)[-1].strip()
                problems.append(Problem(shown, line, key, f"text after ' #' is a YAML comment, so the value is only "
                                        f"{value_node.value!r}", f'put the whole value in quotes: {key}: "{typed}"',
                                        "warning"))  # fmt: skip
    return found


def _syntax_problem(exc: yaml.MarkedYAMLError, lines: list[str], shown: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = (mark.line if mark else 0) + FIRST_LINE
    problem = str(exc.problem or exc.context)
    if "could not determine a constructor for the tag" in problem:
        tag = problem.rsplit("tag:yaml.org,2002:", 1)[-1].strip("'")
        return Problem(shown, line, "front matter", f"YAML tags such as !!{tag[:60]} are not allowed",
                       "write a plain value, in quotes if it starts with !")  # fmt: skip
    message = f"YAML syntax error: {problem}"
    if exc.context_mark is not None and exc.context_mark.line + FIRST_LINE != line:
        message += f" ({exc.context} on line {exc.context_mark.line + FIRST_LINE})"
    offending = lines[mark.line] if mark and mark.line < len(lines) else ""
    hint = "indent with spaces, not tabs" if "\t" in offending else _yaml_hint(problem)
    return Problem(shown, line, "front matter", message, hint)


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
