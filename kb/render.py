"""Markdown to safe HTML and to plain text, through one markdown-it-py instance with the `js-default` preset."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict


@functools.cache
def markdown() -> MarkdownIt:
    """`js-default` escapes raw HTML and refuses javascript:/vbscript:/file:/data: links (validateLink)."""
    md = MarkdownIt("js-default", {"typographer": False})
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("image", _render_image)
    return md


def _render_link_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    if href.startswith(("http://", "https://")):
        # External sources: no referrer leak and no window.opener access.
        token.attrSet("rel", "noopener noreferrer nofollow")
    return self.renderToken(tokens, idx, options, env)


def _render_image(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    # Remote images would be blocked by the Content-Security-Policy anyway: show the alt text as a link.
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    alt = self.renderInlineAsText(token.children or [], options, env)
    return f'<a href="{escapeHtml(src)}" rel="noopener noreferrer nofollow">{escapeHtml(alt or src)}</a>'


def to_html(text: str) -> str:
    return markdown().render(text)


def to_plain_text(text: str) -> str:
    """The words a reader sees, for indexing and snippets: no markup or headings, paragraphs kept apart."""
    parts: list[str] = []
    in_heading = False
    for token in markdown().parse(text):
        if token.type in {"heading_open", "heading_close"}:
            in_heading = token.type == "heading_open"
        elif token.type == "inline" and not in_heading:
            parts.append(_inline_text(token.children or []))
        elif token.type in {"fence", "code_block"}:
            parts.append(token.content.strip())
    return "\n".join(p for p in parts if p)


def _inline_text(children: list[Token]) -> str:
    out: list[str] = []
    for child in children:
        if child.type in {"text", "code_inline"}:
            out.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            out.append(" ")
        elif child.type == "image":
            out.append(_inline_text(child.children or []))
    return "".join(out)


def headings(text: str) -> list[tuple[int, int, str]]:
    """(level, line, text) of every heading; lines counted from 1 within `text`."""
    found: list[tuple[int, int, str]] = []
    tokens = markdown().parse(text)
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.map:
            inline: Any = tokens[i + 1]
            found.append((int(token.tag[1:]), token.map[0] + 1, _inline_text(inline.children or [])))
    return found


def raw_html_lines(text: str) -> list[int]:
    """Lines (from 1) where the author wrote raw HTML, which is shown as text, not rendered."""
    lines: list[int] = []
    for token in markdown().parse(text):
        if token.type in {"inline", "html_block"} and token.map and _TAG.search(token.content):
            lines.append(token.map[0] + 1)
    return lines


_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
