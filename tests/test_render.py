"""Markdown to safe HTML and plain text: what a reader sees on a practice page and what search indexes."""

from __future__ import annotations

import pytest

from kb import render


def test_paragraphs_emphasis_lists_and_links_render() -> None:
    html = render.to_html(
        "Some *emphasis* and **strong**.\n\n- one\n- two\n\n[Source](https://example.org/a)"
    )
    assert "<em>emphasis</em>" in html and "<strong>strong</strong>" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert '<a href="https://example.org/a" rel="noopener noreferrer nofollow">Source</a>' in html


def test_relative_and_mail_links_get_no_rel() -> None:
    html = render.to_html("[page](/practices/x) and [mail](mailto:a@example.org)")
    assert '<a href="/practices/x">page</a>' in html
    assert '<a href="mailto:a@example.org">mail</a>' in html


def test_images_become_links_with_escaped_alt_text() -> None:
    html = render.to_html('![A <b>chart</b> & "data"](https://example.org/c.png)')
    assert "<img" not in html
    assert ('<a href="https://example.org/c.png" rel="noopener noreferrer nofollow">'
            "A &lt;b&gt;chart&lt;/b&gt; &amp; &quot;data&quot;</a>") in html  # fmt: skip


def test_image_without_alt_text_shows_its_address() -> None:
    html = render.to_html("![](https://example.org/c.png)")
    assert (
        '<a href="https://example.org/c.png" rel="noopener noreferrer nofollow">https://example.org/c.png</a>'
        in html
    )


def test_image_with_script_in_alt_and_address_stays_inert() -> None:
    html = render.to_html('![<script>alert(1)</script>](https://example.org/x.png"onerror="alert(1))')
    assert "<script" not in html and 'onerror="' not in html


@pytest.mark.parametrize(
    ("markdown", "kept"),
    [("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
     ("<b onclick=x>hi</b>", "&lt;b onclick=x&gt;hi&lt;/b&gt;")],
)  # fmt: skip
def test_raw_html_is_shown_as_text(markdown: str, kept: str) -> None:
    assert kept in render.to_html(markdown)


def test_plain_text_has_no_markup_and_no_headings_but_keeps_code() -> None:
    text = render.to_plain_text(
        "## Description\n\nA *social* [cooperative](https://e.org).\nNext line.\n\n"
        "```\nfenced repair code\n```\n\n    indented block\n\nInline `snippet` ![alt words](https://e.org/i.png)"
    )
    assert text == (
        "A social cooperative. Next line.\nfenced repair code\nindented block\nInline snippet alt words"
    )


def test_headings_with_levels_and_lines_and_raw_html_lines() -> None:
    found = render.render(
        "# Title\n\n## Description\n\nText <i>x</i>.\n\n### Sub *part*\n\n<div>\nblock\n</div>\n"
    )
    assert found.headings == [(1, 1, "Title"), (2, 3, "Description"), (3, 7, "Sub part")]
    assert found.raw_html_lines == [5, 9]


def test_plain_text_of_empty_body() -> None:
    assert render.render("").text == "" and render.render("").headings == []


@pytest.mark.parametrize(
    "href", ["http://example.org/a", "HTTPS://example.org/a", "Http://example.org/a", "//example.org/a"]
)
def test_every_external_link_gets_rel_whatever_its_scheme_is_written_like(href: str) -> None:
    html = render.to_html(f"[Source]({href})")
    assert f'<a href="{href}" rel="noopener noreferrer nofollow">Source</a>' in html


def test_image_with_an_empty_address_shows_its_alt_text() -> None:
    assert render.to_html("![a chart]()") == (
        '<p><a href="" rel="noopener noreferrer nofollow">a chart</a></p>\n'
    )


def test_text_before_the_first_heading_is_plain_text_too() -> None:
    assert (
        render.render("Opening words.\n\n## Description\n\nMore words.").text == "Opening words.\nMore words."
    )


def test_line_breaks_keep_words_apart() -> None:
    assert render.to_plain_text("soft\nbreak, hard  \nbreak, backslash\\\nbreak") == (
        "soft break, hard break, backslash break"
    )
