"""Every failure kind an entry file can have is reported as path:line: field: message (hint)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kb import loader, parallel
from kb.taxonomy import Taxonomy

from .conftest import ENTRIES, WriteEntry

MAX = 512 * 1024


def problems_of(name: str, taxonomy: Taxonomy) -> tuple[loader.FileResult, list[str]]:
    result = loader.load_file(ENTRIES / name, ENTRIES, taxonomy, MAX)
    prefix = f"{loader.display(ENTRIES / name)}:"
    return result, sorted(p.format().removeprefix(prefix) for p in result.problems)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("no-front-matter.md", ["1: front matter: file must start with a line of three dashes (---) "
                                "(hint: put the YAML fields between two --- lines at the very top)"]),
        ("unclosed.md", ["1: front matter: front matter is not closed (hint: add a line with --- after the "
                         "last field)"]),
        ("yaml-syntax.md", ["4: front matter: YAML syntax error: did not find expected ',' or ']' (while parsing "
                            "a flow sequence on line 3) (hint: check quotes, colons and indentation)"]),
        ("empty.md", ["1: file: file is empty (hint: `kb new` writes a skeleton to start from)"]),
        ("binary.md", ["1: file: looks like a binary file, not Markdown text (hint: entries are UTF-8 text files "
                       "ending in .md)"]),
        ("latin1.md", ["2: file: not valid UTF-8 (byte 0xe9) (hint: save the file with UTF-8 encoding)"]),
        ("alias-bomb.md", ["2: front matter: YAML anchors and aliases (&name, *name) are not allowed "
                           "(hint: write each value out in full)"]),
        ("Bad_Name.md", ["1: slug: file name 'Bad_Name' is not a valid slug (hint: rename the file to "
                         "bad-name.md (lower-case ASCII words and hyphens))"]),
        ("wrong-types.md", [
            "11: last_reviewed: expected a date, got text 'last week' (hint: write the date as YYYY-MM-DD: "
            f"last_reviewed: {__import__('datetime').date.today().isoformat()})",
            "12: language: 'no' is not a language code (hint: write a two-letter code such as en, de, pl in "
            "quotes: \"no\")",
            "3: summary: expected text, got a date (hint: put the value in quotes: summary: \"2024-01-05\")",
            "6: organisation: expected text, got a boolean (false) (YAML reads yes/no/on/off as booleans) "
            "(hint: put the value in quotes: organisation: \"NO\")",
            "8: start_year: expected a year, got a date (hint: write only the year: start_year: 2015)",
        ]),
        ("missing-fields.md", [
            "1: organisation: required key is missing (hint: add `organisation: Name of the organisation`)",
            "1: sources: required key is missing (hint: add `sources: "
            "[https://organisation.example/programme-page, https://organisation.example/report-2023]`)",
            "1: summary: required key is missing (hint: add `summary: What it is and does.`)",
        ]),
        ("unknown-values.md", [
            "12: sumary: warning: unknown key (it is ignored) (hint: did you mean 'summary'?)",
            "4: regions: unknown region 'Chaskovo' (hint: did you mean 'haskovo'?)",
            "4: regions: unknown region 'Mazowia' (hint: did you mean 'Mazowia region'? (mazovia))",
            "5: themes: unknown theme 'digitalsation' (hint: did you mean 'digitalisation'?)",
            "7: status: 'runing' is not allowed (hint: did you mean 'ongoing'? allowed: ongoing, completed, pilot)",
        ]),
        ("body-problems.md", [
            "15: body: warning: sections are out of order (hint: order: Description, Results, Transferability)",
            "17: body: warning: raw HTML is shown as text, not rendered (hint: use Markdown instead of HTML tags)",
            "22: body: warning: missing section '## Transferability' (hint: sections in order: ## Description, "
            "## Results, ## Transferability)",
            "10: end_year: 2012 is before start_year 2015 (hint: check both years)",
        ]),
    ],
)  # fmt: skip
def test_each_failure_kind_is_reported_with_line_and_hint(
    name: str, expected: list[str], taxonomy: Taxonomy
) -> None:
    result, found = problems_of(name, taxonomy)
    assert found == sorted(expected)
    assert result.entry is None


def test_hash_in_unquoted_title_warns_that_the_rest_is_a_comment(taxonomy: Taxonomy) -> None:
    result, found = problems_of("hash-in-title.md", taxonomy)
    assert found == ["2: title: warning: text after ' #' is a YAML comment, so the value is only 'Update' "
                     "(hint: put the whole value in quotes: title: \"Update #2 of the programme\")"]  # fmt: skip
    assert result.entry is not None and result.entry.title == "Update"


def test_good_entry_resolves_names_to_keys(taxonomy: Taxonomy) -> None:
    result, found = problems_of("good.md", taxonomy)
    assert found == []
    entry = result.entry
    assert entry is not None
    assert entry.regions == ["mazovia"]  # written as the German name "Masowien"
    assert entry.countries == ["PL"]
    assert entry.themes == ["social-inclusion", "work-integration"]  # a synonym and a label
    assert "<h2>Description</h2>" in entry.body_html
    assert "Description" not in entry.body_text  # headings are structure, not searchable words


def test_bom_and_crlf_are_accepted(taxonomy: Taxonomy) -> None:
    result, found = problems_of("bom-crlf.md", taxonomy)
    assert found == []
    assert result.entry is not None and result.entry.title == "Windows line endings"
    assert "\r" not in result.entry.body_html


def test_alias_bomb_is_refused_fast(taxonomy: Taxonomy) -> None:
    started = time.perf_counter()
    problems_of("alias-bomb.md", taxonomy)
    assert time.perf_counter() - started < 0.5  # 9^9 expanded items would take minutes and gigabytes


def test_file_over_the_size_limit_is_refused(tmp_path: Path, taxonomy: Taxonomy) -> None:
    big = tmp_path / "huge.md"
    big.write_bytes(b"---\ntitle: x\n---\n" + b"word " * 200_000)
    result = loader.load_file(big, tmp_path, taxonomy, MAX)
    assert [p.message for p in result.problems] == [
        f"file is {big.stat().st_size:,} bytes; the limit is 524,288"
    ]


def test_symlink_outside_content_folder_is_refused(tmp_path: Path, taxonomy: Taxonomy) -> None:
    outside = tmp_path / "secret.md"
    outside.write_text("---\ntitle: secret\n---\n", encoding="utf-8")
    content = tmp_path / "practices"
    content.mkdir()
    (content / "link.md").symlink_to(outside)
    result = loader.load_file(content / "link.md", content, taxonomy, MAX)
    assert [p.message for p in result.problems] == ["symbolic link points outside the content folder"]


def test_duplicate_slug_in_subfolders_is_an_error_on_the_second(
    content_dir: Path, write_entry: WriteEntry, taxonomy: Taxonomy
) -> None:
    write_entry("same-name")
    (content_dir / "sub").mkdir()
    (content_dir / "sub" / "same-name.md").write_bytes((content_dir / "same-name.md").read_bytes())
    paths = loader.discover(content_dir)
    report = loader.collect(parallel.load_files(paths, content_dir, taxonomy, MAX))
    assert len(report.entries) == 1
    assert [(Path(p.path).parent.name, p.field) for p in report.errors] == [("sub", "slug")]
    assert "already used by" in report.errors[0].message


def test_one_bad_file_does_not_stop_the_others(
    content_dir: Path, write_entry: WriteEntry, taxonomy: Taxonomy
) -> None:
    write_entry("first")
    (content_dir / "broken.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    write_entry("third")
    report = loader.collect(parallel.load_files(loader.discover(content_dir), content_dir, taxonomy, MAX))
    assert sorted(e.slug for e in report.entries) == ["first", "third"]
    assert [Path(p.path).name for p in report.errors] == ["broken.md"]


def test_discover_skips_readme_templates_and_hidden_files(content_dir: Path, write_entry: WriteEntry) -> None:
    write_entry("real-entry")
    for name in ("README.md", "_template.md", ".hidden.md", "notes.txt"):
        (content_dir / name).write_text("x", encoding="utf-8")
    assert [p.name for p in loader.discover(content_dir)] == ["real-entry.md"]


@pytest.mark.parametrize(
    ("markdown", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ('<img src=x onerror="alert(1)">', "<img"),
        ("[click](javascript:alert(1))", 'href="javascript:'),
        ("[click](JaVaScRiPt:alert(1))", 'href="JaVaScRiPt:'),
        ("[click](vbscript:msgbox(1))", 'href="vbscript:'),
        ("[click](data:text/html;base64,PHNjcmlwdD4=)", 'href="data:'),
        ("<javascript:alert(1)>", 'href="javascript:'),
        ("[click](&#106;avascript:alert(1))", 'href="javascript:'),
        ("[ref]\n\n[ref]: javascript:alert(1)", 'href="javascript:'),
    ],
)
def test_markdown_never_renders_active_content(
    markdown: str, forbidden: str, content_dir: Path, write_entry: WriteEntry, taxonomy: Taxonomy
) -> None:
    path = write_entry("hostile", body=markdown)
    result = loader.load_file(path, content_dir, taxonomy, MAX)
    assert result.entry is not None
    assert forbidden.lower() not in result.entry.body_html.lower()


@pytest.mark.parametrize(
    "sentence",
    ["No figures are quoted here.", "The dates should be checked against the sources.",
     "Its exact start is not dated here.", "This entry does not list the partners."],
)  # fmt: skip
def test_lines_about_the_entry_itself_are_reported(
    sentence: str, content_dir: Path, write_entry: WriteEntry, taxonomy: Taxonomy
) -> None:
    path = write_entry("meta", body=f"The practice runs in Warsaw. {sentence}")
    result = loader.load_file(path, content_dir, taxonomy, MAX)
    found = [p.format() for p in result.problems if "about the entry" in p.message]
    assert (
        len(found) == 1
        and found[0].startswith(f"{path}:")
        and ": body: warning: writes about the entry" in found[0]
    )
    assert result.entry is not None  # a warning: the entry is still indexed
