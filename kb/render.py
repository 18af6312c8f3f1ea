"""Markdown to safe HTML and to plain text, through one markdown-it-py instance with the `js-default` preset."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Sequence

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
    if href.lower().startswith(("http://", "https://", "//")):
        # External sources (a scheme in any case, or none: `//host/`): no referrer leak, no window.opener access.
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


@dataclasses.dataclass(frozen=True)
class Rendered:
    """Everything the loader needs from one parse of the body."""

    html: str
    text: str
    headings: list[tuple[int, int, str]]  # (level, line from 1, text)
    raw_html_lines: list[int]


def render(text: str) -> Rendered:
    """Parse once; derive the HTML, the plain text (no headings), the headings and the raw-HTML lines."""
    md = markdown()
    tokens = md.parse(text)
    parts: list[str] = []
    found: list[tuple[int, int, str]] = []
    raw: list[int] = []
    in_heading = False
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            in_heading = True
            if token.map:
                found.append(
                    (int(token.tag[1:]), token.map[0] + 1, _inline_text(tokens[i + 1].children or []))
                )
        elif token.type == "heading_close":
            in_heading = False
        elif token.type == "inline" and not in_heading:
            parts.append(_inline_text(token.children or []))
        elif token.type in {"fence", "code_block"}:
            parts.append(token.content.strip())
        # `js-default` turns raw HTML off, so a tag is never an html_block token: it stays text in an inline one.
        if token.type == "inline" and token.map and _TAG.search(token.content):
            raw.append(token.map[0] + 1)
    return Rendered(md.renderer.render(tokens, md.options, {}), "\n".join(p for p in parts if p), found, raw)


def to_html(text: str) -> str:
    return render(text).html


def to_plain_text(text: str) -> str:
    """The words a reader sees, for indexing and snippets: no markup or headings, paragraphs kept apart."""
    return render(text).text


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


_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
