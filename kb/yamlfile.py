"""Read a YAML content file (taxonomy, thesaurus) safely, keeping the line of every value for error reports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from kb.errors import Problem

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Lines = dict[tuple[Any, ...], int]  # path of keys and list indexes -> line (from 1)


class YamlFileError(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(problem.format())


def read(path: Path, field: str) -> tuple[Any, Lines]:
    """The file's data and the line of each value; YamlFileError with the place of the first problem."""
    shown = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise YamlFileError(Problem(shown, 1, field, f"cannot read the file: {exc.strerror}")) from None
    except UnicodeDecodeError as exc:
        raise YamlFileError(Problem(shown, 1, field, f"not valid UTF-8 (byte {exc.start})",
                                    "save the file with UTF-8 encoding")) from None  # fmt: skip
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        lines: Lines = {}
        return (_build(loader, node, (), lines) if node is not None else None), lines
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlFileError(Problem(shown, line, field, f"not valid YAML: {exc.problem or exc.context}",
                                    "check quotes, colons and indentation (spaces, not tabs)")) from None  # fmt: skip
    except yaml.YAMLError as exc:
        raise YamlFileError(Problem(shown, 1, field, f"not valid YAML: {exc}")) from None
    finally:
        loader.dispose()


def _build(loader: Any, node: yaml.Node, path: tuple[Any, ...], lines: Lines) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            out[key] = _build(loader, value_node, (*path, key), lines)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, (*path, i), lines) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def line_of(lines: Lines, *path: Any) -> int:
    """The line of the deepest part of `path` that exists (the file's first line at worst)."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return 1
