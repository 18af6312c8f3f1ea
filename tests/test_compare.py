"""The pieces of the comparison and the brief that need no database: reading a selection, finding the body's
sections, and writing text that Markdown shows as typed."""

from __future__ import annotations

import pytest

from kb.brief import md_text
from kb.compare import MAX_PRACTICES, paragraphs, plan_selection, sections
from kb.render import to_html


@pytest.mark.parametrize(
    ("asked", "kept", "notices"),
    [(["a", "b", "a"], ["a", "b"], {"duplicate": ["a"]}),
     ([" a ", "", "b"], ["a", "b"], {}),
     (["a", "Not A Slug", "../etc", "x" * 500], ["a"], {"unknown": ["Not A Slug", "../etc", "x" * 120]}),
     ([f"p{i}" for i in range(8)], [f"p{i}" for i in range(MAX_PRACTICES)], {"too-many": ["p6", "p7"]})],
)  # fmt: skip
def test_selection_keeps_order_and_says_what_it_left_out(
    asked: list[str], kept: list[str], notices: dict[str, list[str]]
) -> None:
    found, noted = plan_selection(asked)
    assert found == kept
    assert {n.code: n.slugs for n in noted} == notices


def test_a_huge_selection_is_read_only_in_part() -> None:
    found, noted = plan_selection([f"p{i}" for i in range(10_000)])
    assert len(found) == MAX_PRACTICES and len(noted[0].slugs) == 10_000 - MAX_PRACTICES


def test_body_sections_are_found_by_their_heading() -> None:
    body = to_html(
        "## Description\n\nWhat it is.\n\n## Results and impact\n\n25 jobs *in 2023*.\n\n- one\n- two\n\n"
        "## Transferability\n\nNeeds a partner &amp; a budget.\n\n## Lessons learned\n\nStart small.\n"
    )
    found = sections(body)
    assert set(found) == {"results", "transferability"}
    assert paragraphs(found["results"]) == ["25 jobs in 2023.", "one", "two"]
    assert paragraphs(found["transferability"]) == ["Needs a partner & a budget."]
    assert sections(to_html("No headings at all.")) == {}


@pytest.mark.parametrize(
    ("typed", "shown"),
    [("Plain words", "Plain words"), ("*not bold* [x](y)", r"\*not bold\* \[x\](y)"),
     ("- not a list", r"\- not a list"), ("1. not a list", r"1\. not a list"), ("<b>raw</b>", r"\<b\>raw\</b\>"),
     ("a | b # c", r"a \| b \# c")],
)  # fmt: skip
def test_markdown_text_shows_what_was_typed(typed: str, shown: str) -> None:
    assert md_text(typed) == shown
