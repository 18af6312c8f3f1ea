"""bench/mutation_report.py reads mutmut's per-module results as mutmut reads them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import mutation_report


def write_meta(mutants: Path, module: str, codes: dict[str, int | None]) -> None:
    meta = mutants / f"{module}.meta"
    meta.parent.mkdir(parents=True, exist_ok=True)
    meta.write_text(json.dumps({"exit_code_by_key": codes, "durations_by_key": {}}), encoding="utf-8")


def test_each_module_counts_its_mutants_by_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_meta(tmp_path, "kb/search/plan.py", {"a": 1, "b": 37, "c": 3, "d": 0, "e": 33, "f": 36, "g": None})
    write_meta(tmp_path, "kb/querylang.py", {"x": 1, "y": 0})
    write_meta(tmp_path, "kb/search/results.py", {})  # no mutants: no row
    assert mutation_report.main(["--mutants", str(tmp_path), "--survivors"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[2:5] == [
        "| kb/querylang.py | 1 | 0 | 1 | 0 | 0 | 0 | 2 | 50.0 |",
        "| kb/search/plan.py | 2 | 1 | 1 | 1 | 1 | 1 | 7 | 42.9 |",  # rejected by mypy: killed
        "| **all** | 3 | 1 | 2 | 1 | 1 | 1 | 9 | 44.4 |",
    ]
    assert lines[5:] == ["survived: y", "survived: d", "no tests: e", "timeout: f", "not checked: g"]


def test_a_module_below_the_threshold_fails(tmp_path: Path) -> None:
    write_meta(tmp_path, "kb/folding.py", {"a": 1, "b": 0})
    assert mutation_report.main(["--mutants", str(tmp_path), "--fail-under", "50"]) == 0
    assert mutation_report.main(["--mutants", str(tmp_path), "--fail-under", "85"]) == 1
    assert mutation_report.main(["--mutants", str(tmp_path / "nothing")]) == 1
