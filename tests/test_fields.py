"""One declaration per front-matter field: validation, the JSON Schema, `kb new` and the README agree."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from kb import loader
from kb.fields import FIELDS, json_schema, markdown_table
from kb.taxonomy import Taxonomy

ROOT = Path(__file__).resolve().parent.parent


def as_json(value: Any) -> Any:
    """Front matter as an editor's YAML language server sees it: unquoted dates are strings."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    data: dict[str, Any] = as_json(yaml.safe_load(text.split("\n---", 1)[0].removeprefix("---")))
    return data


def test_every_bundled_entry_matches_the_emitted_schema(real_taxonomy: Taxonomy) -> None:
    schema = json_schema(real_taxonomy)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    paths = loader.discover(ROOT / "practices")
    assert len(paths) >= 80
    for path in paths:
        errors = [e.message for e in validator.iter_errors(front_matter(path))]
        assert errors == [], path.name


def test_a_full_entry_of_every_example_is_valid_for_both(real_taxonomy: Taxonomy, tmp_path: Path) -> None:
    """Every field filled with its declared example: the schema accepts it and so does `kb validate`."""
    front = {name: field.example for name, field in FIELDS.items()}
    front["end_year"] = 2024
    front["status"] = "completed"
    schema = json_schema(real_taxonomy)
    errors = list(
        jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).iter_errors(front)
    )
    assert [e.message for e in errors] == []
    body = "\n\n".join(f"## {s}\n\nText." for s in ("Description", "Results", "Transferability"))
    path = tmp_path / "practices" / "full-entry.md"
    path.parent.mkdir()
    path.write_text(f"---\n{yaml.safe_dump(front, allow_unicode=True)}---\n\n{body}\n", encoding="utf-8")
    result = loader.load_file(path, path.parent, real_taxonomy, 512 * 1024)
    assert [p.format() for p in result.problems] == []
    assert result.entry is not None and result.entry.local_title == FIELDS["local_title"].example


def test_schema_refuses_what_validation_refuses(real_taxonomy: Taxonomy) -> None:
    validator = jsonschema.Draft202012Validator(json_schema(real_taxonomy))
    good = {name: field.example for name, field in FIELDS.items() if field.required}
    assert validator.is_valid(good)
    for change in ({"status": "paused"}, {"scope": "global"}, {"start_year": 1700}, {"colour": "red"},
                   {"sources": [{"title": "x", "link": "y"}]}, {"summary": "x" * 301}):  # fmt: skip
        assert not validator.is_valid({**good, **change}), change
    assert validator.is_valid(
        {**good, "sources": [{"title": "x", "url": "https://e.org/a", "accessed": "2026-01-01"}]}
    )
    assert validator.is_valid(
        {**good, "funding": [{"instrument": "ESF+", "amount": 1000, "currency": "EUR"}]}
    )


def test_the_readme_field_table_is_the_declared_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- fields:start -->\n(.*?)\n<!-- fields:end -->", readme, re.DOTALL)
    assert found is not None and found.group(1) == markdown_table()


def test_kb_schema_is_json_and_lists_every_field() -> None:
    schema = json_schema(None)
    assert list(schema["properties"]) == list(FIELDS)
    assert json.loads(json.dumps(schema)) == schema
