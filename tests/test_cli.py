"""The `kb` command line as a contributor and an operator use it."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from bench.generate import generate
from kb.cli import cli
from kb.config import Settings, describe

from .conftest import DATA, ENTRIES, ROOT, WriteEntry


@pytest.fixture
def cli_runner(settings: Settings) -> CliRunner:
    return CliRunner(
        env={"KB_CONTENT_DIR": str(settings.content_dir), "KB_INDEX_DIR": str(settings.index_dir)}
    )


def test_validate_reports_every_problem_and_exits_1(cli_runner: CliRunner, settings: Settings) -> None:
    for name in ("good.md", "wrong-types.md", "unclosed.md"):
        (settings.content_dir / name).write_bytes((ENTRIES / name).read_bytes())
    result = cli_runner.invoke(cli, ["validate"])
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if line]
    assert len(lines) == 6  # five in wrong-types.md, one in unclosed.md, none in good.md
    assert all(re.match(r"^\S+\.md:\d+: [a-z_ ]+: ", line) for line in lines)
    assert "3 files checked: 1 valid, 6 errors, 0 warnings" in result.stderr


def test_validate_clean_exits_0_and_strict_counts_warnings(cli_runner: CliRunner, settings: Settings) -> None:
    (settings.content_dir / "good.md").write_bytes((ENTRIES / "good.md").read_bytes())
    assert cli_runner.invoke(cli, ["validate"]).exit_code == 0
    (settings.content_dir / "hash-in-title.md").write_bytes((ENTRIES / "hash-in-title.md").read_bytes())
    assert cli_runner.invoke(cli, ["validate"]).exit_code == 0  # a warning only
    assert cli_runner.invoke(cli, ["validate", "--strict"]).exit_code == 1


def test_validate_json_format(cli_runner: CliRunner, settings: Settings) -> None:
    (settings.content_dir / "unclosed.md").write_bytes((ENTRIES / "unclosed.md").read_bytes())
    result = cli_runner.invoke(cli, ["validate", "--format", "json"])
    data = json.loads(result.stdout)
    assert data["ok"] is False and data["files"] == 1
    assert data["problems"][0]["line"] == 1 and data["problems"][0]["field"] == "front matter"


def test_validate_missing_path_is_reported(cli_runner: CliRunner) -> None:
    result = cli_runner.invoke(cli, ["validate", "nowhere.md"])
    assert result.exit_code == 1
    assert "nowhere.md:1: file: no such file or folder" in result.stdout


def test_new_writes_an_entry_that_validates_once_filled(cli_runner: CliRunner, settings: Settings) -> None:
    result = cli_runner.invoke(cli, ["new", "--title", "Rural cooperative: shop #2", "--region", "Masowien",
                                     "--theme", "inclusion", "--organisation", "Example Co-op",
                                     "--start-year", "2019", "--scope", "local"])  # fmt: skip
    assert result.exit_code == 0, result.output
    path = settings.content_dir / "rural-cooperative-shop-2.md"
    assert path.exists()
    strict = cli_runner.invoke(cli, ["validate", "--strict", str(path)])
    assert strict.exit_code == 1 and "TODO placeholder" in strict.stdout  # the marked places are not filled
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'"TODO:[^"]*"', '"Written by the contributor."', text)  # quoted front-matter values
    text = text.replace("https://TODO.example.org/", "https://example.org/shop")
    text = re.sub(r"TODO:[^\n]*", "Written by the contributor.", text)  # the body's sections
    path.write_text(text, encoding="utf-8")
    filled = cli_runner.invoke(cli, ["validate", "--strict", str(path)])
    assert filled.exit_code == 0, filled.stdout
    again = cli_runner.invoke(cli, ["new", "--title", "Rural cooperative: shop #2", "--region", "mazovia",
                                    "--theme", "inclusion"])  # fmt: skip
    assert again.exit_code == 2 and "already exists" in again.stderr


def test_new_rejects_unknown_region(cli_runner: CliRunner) -> None:
    result = cli_runner.invoke(cli, ["new", "--title", "X", "--region", "Atlantis", "--theme", "inclusion"])
    assert result.exit_code == 2 and "unknown region 'Atlantis'" in result.stderr


def test_schema_is_json_schema_with_vocabulary(cli_runner: CliRunner) -> None:
    schema = json.loads(cli_runner.invoke(cli, ["schema"]).stdout)
    assert schema["required"][:4] == ["title", "summary", "regions", "themes"]
    assert schema["properties"]["status"]["enum"] == ["ongoing", "completed", "pilot"]
    assert "mazovia" in schema["properties"]["regions"]["items"]["examples"]


def test_reindex_search_and_resolve(cli_runner: CliRunner, write_entry: WriteEntry) -> None:
    write_entry("bakery", title="Cooperative bakery", body="Young people learn baking.")
    write_entry("repair", title="Repair café", regions=["haskovo"], body="Neighbours repair bicycles.")
    result = cli_runner.invoke(cli, ["reindex"])
    assert result.exit_code == 0
    assert re.search(
        r"full rebuild: 2 added, 0 updated, 0 removed, 0 unchanged, 0 failed in [\d.]+ s", result.stdout
    )
    found = cli_runner.invoke(cli, ["search", "bakng", "--json"])
    data = json.loads(found.stdout)
    assert data["corrected_from"] == "bakng" and [h["slug"] for h in data["hits"]] == ["bakery"]
    text = cli_runner.invoke(cli, ["search", "repair", "--region", "Хасково"])
    assert "1. Repair café  [repair]" in text.stdout and "region: Haskovo (1)*" in text.stdout
    resolved = json.loads(cli_runner.invoke(cli, ["resolve", "region", "Masowien", "--json"]).stdout)
    assert resolved["chosen"] == "mazovia" and resolved["status"] == "resolved"
    nothing = cli_runner.invoke(cli, ["resolve", "region", "qqqqqq"])
    assert nothing.exit_code == 1 and "nothing plausible" in nothing.stdout


def test_reindex_reports_bad_files_and_exits_1(
    cli_runner: CliRunner, settings: Settings, write_entry: WriteEntry
) -> None:
    write_entry("fine")
    (settings.content_dir / "latin1.md").write_bytes((ENTRIES / "latin1.md").read_bytes())
    result = cli_runner.invoke(cli, ["reindex"])
    assert result.exit_code == 1
    assert "latin1.md:2: file: not valid UTF-8 (byte 0xe9)" in result.stdout
    assert "1 added" in result.stdout and "1 failed" in result.stdout


def test_search_without_index_says_how_to_fix(cli_runner: CliRunner) -> None:
    result = cli_runner.invoke(cli, ["search", "anything"])
    assert result.exit_code == 2 and "no search index" in result.stderr


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, _default, _help in describe():
        assert f"`{name}`" in readme, f"{name} is not documented in README.md"


def test_settings_come_from_the_environment(tmp_path: Path) -> None:
    env = {"KB_CONTENT_DIR": str(tmp_path / "c"), "KB_INDEX_DIR": str(tmp_path / "i"), "KB_PAGE_SIZE": "25",
           "KB_DATABASE_URL": "sqlite:////tmp/x.sqlite3"}  # fmt: skip
    settings = Settings.from_env(env)
    assert settings.content_dir == tmp_path / "c" and settings.index_dir == tmp_path / "i"
    assert settings.page_size == 25 and settings.effective_database_url == "sqlite:////tmp/x.sqlite3"
    assert Settings.from_env({}).effective_database_url == "sqlite:///index/kb.sqlite3"
    with pytest.raises(ValueError, match="KB_PAGE_SIZE must be a whole number"):
        Settings.from_env({"KB_PAGE_SIZE": "many"})


@pytest.mark.slow
def test_validating_a_thousand_entries_takes_seconds(tmp_path: Path) -> None:
    # A bound against pathological slowness (minutes), not a benchmark: bench/README.md has the figures.
    generate(tmp_path / "many", 1000, seed=2, taxonomy=DATA / "taxonomy.yaml")
    runner = CliRunner(env={"KB_CONTENT_DIR": str(tmp_path / "many")})
    started = time.perf_counter()
    result = runner.invoke(cli, ["validate", "--strict"])
    assert result.exit_code == 0, result.stdout[-500:]
    assert time.perf_counter() - started < 60
