"""Per-module mutation score from the results `mutmut run` leaves under `mutants/` (`make mutation`).

    python bench/mutation_report.py [--mutants mutants] [--survivors] [--fail-under 85]

mutmut 3 keeps, next to each mutated copy of a module, a `<module>.py.meta` JSON file whose `exit_code_by_key`
maps every mutant's name to the exit code of the test run against it (none yet: not checked). The codes are read
as mutmut reads them (`mutmut.stats.status_by_exit_code`, copied here so that this script needs only the
standard library). "killed %" is (killed + type check) / all mutants of the module: a mutant that
`mypy --strict` rejects (`type_check_command` in pyproject.toml) could never pass `make check`, so it counts as
killed, in a column of its own; a timeout, a mutant no test reaches and a survivor all count against it.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Exit code of the test run against a mutant -> what it means (mutmut 3.8's table; any other code: suspicious).
STATUS_BY_EXIT_CODE: dict[int | None, str] = {
    1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 2: "interrupted", None: "not checked",
    34: "skipped", 35: "suspicious", 36: "timeout", -24: "timeout", 24: "timeout", 152: "timeout",
    255: "timeout", 37: "type check", -11: "segfault", -9: "segfault",
}  # fmt: skip
COLUMNS = ("killed", "type check", "survived", "no tests", "timeout")
KILLED = ("killed", "type check")


@dataclasses.dataclass
class ModuleResult:
    module: str  # source path, as in `only_mutate`: kb/search/engine.py
    statuses: Counter[str]
    mutants: dict[str, str]  # mutant name -> status

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    @property
    def other(self) -> int:
        return self.total - sum(self.statuses[c] for c in COLUMNS)

    @property
    def killed_percent(self) -> float:
        return 100.0 * sum(self.statuses[k] for k in KILLED) / self.total if self.total else 0.0


def status_of(exit_code: int | None) -> str:
    return STATUS_BY_EXIT_CODE.get(exit_code, "suspicious")


def read_results(mutants: Path) -> list[ModuleResult]:
    """One result per mutated module that has mutants, in path order."""
    out = []
    for meta in sorted(mutants.rglob("*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {})
        if not codes:
            continue
        statuses = {name: status_of(code) for name, code in codes.items()}
        module = meta.relative_to(mutants).as_posix().removesuffix(".meta")
        out.append(ModuleResult(module, Counter(statuses.values()), statuses))
    return out


def table(results: list[ModuleResult]) -> str:
    """A Markdown table: one row per module and a total row."""
    lines = ["| module | " + " | ".join(COLUMNS) + " | other | total | killed % |",
             "|---|" + "---:|" * (len(COLUMNS) + 3)]  # fmt: skip
    everything = ModuleResult("**all**", Counter(), {})
    for result in results:
        everything.statuses.update(result.statuses)
        lines.append(row(result))
    lines.append(row(everything))
    return "\n".join(lines)


def row(result: ModuleResult) -> str:
    counts = [str(result.statuses[c]) for c in COLUMNS]
    return (f"| {result.module} | {' | '.join(counts)} | {result.other} | {result.total} | "
            f"{result.killed_percent:.1f} |")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mutants", type=Path, default=ROOT / "mutants", help="mutmut's output folder")
    parser.add_argument("--survivors", action="store_true", help="also list every mutant not killed")
    parser.add_argument(
        "--fail-under", type=float, default=0.0, help="exit 1 when a module's killed %% is lower"
    )
    args = parser.parse_args(argv)
    results = read_results(args.mutants)
    if not results:
        print(f"no mutmut results under {args.mutants}: run `mutmut run` first", file=sys.stderr)
        return 1
    print(table(results))
    if args.survivors:
        for result in results:
            for name, status in sorted(result.mutants.items()):
                if status not in KILLED:
                    print(f"{status}: {name}")
    low = [r.module for r in results if r.killed_percent < args.fail_under]
    if low:
        print(f"below {args.fail_under:g} % killed: {', '.join(low)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
