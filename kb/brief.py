"""The brief a policymaker takes away: compared practices as an editable Word document (written with python-docx)
or as Markdown, with the headings in the reader's language (the caller passes them in, already translated)."""

from __future__ import annotations

import dataclasses
import functools
import io
import re
from typing import cast

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.styles.style import BaseStyle, CharacterStyle, ParagraphStyle
from docx.text.paragraph import Paragraph

from kb.compare import Comparison, Item, Row

LINK_COLOUR = RGBColor(0x0A, 0x4F, 0x86)  # the site's link colour; 8.6:1 on white
AUTHOR = "SECON best-practice knowledge base"


@dataclasses.dataclass(frozen=True)
class BriefText:
    """The brief's own words; row headings come with the comparison."""

    title: str
    subtitle: str  # where it comes from and when it was made
    contents: str  # heading of the list of practices (briefs of several practices)
    facts: str  # heading of the table of short values
    lang: str = "en"
    empty: str = "–"  # a value the practice does not state


ENGLISH = BriefText("Practice brief", f"{AUTHOR}", "Practices in this brief", "Key facts")


def _linkable(url: str) -> bool:
    return url.startswith(("https://", "http://"))


# -- Word ---------------------------------------------------------------------------------------------------------
# The paragraph, character and table styles a brief uses. python-docx finds a style by scanning every style of the
# document each time one is applied; its default template defines 164, which made a brief of six practices take
# about 200 ms. The template below keeps only these (Word still offers its other built-in styles to whoever edits).
STYLES = ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "List Number", "List Bullet", "List Paragraph",
          "Table Grid", "Default Paragraph Font", "Normal Table", "No List", "Title Char", "Subtitle Char",
          "Heading 1 Char", "Heading 2 Char")  # fmt: skip


@functools.cache
def template() -> bytes:
    """python-docx's default document with A4 pages, only the styles above, and a character style for links."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Mm(20)
    for style in list(document.styles):
        if style.name not in STYLES:
            style.delete()
    link = document.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = LINK_COLOUR
    link.font.underline = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_bytes(comparison: Comparison, text: BriefText) -> bytes:
    """An A4 Word document: title and date, then per practice a heading, a table of key facts, the prose rows,
    the sources as working hyperlinks and the permanent link."""
    document = Document(io.BytesIO(template()))
    props = document.core_properties
    props.title, props.language, props.author, props.subject = text.title, text.lang, AUTHOR, text.subtitle
    paragraph_styles = ("Title", "Subtitle", "Heading 1", "Heading 2", "List Number", "List Bullet")
    writer = _Writer(
        document, {name: cast(ParagraphStyle, document.styles[name]) for name in paragraph_styles},
        cast(CharacterStyle, document.styles["Hyperlink"]), document.styles["Table Grid"],
    )  # fmt: skip
    writer.paragraph(text.title, "Title")
    writer.paragraph(text.subtitle, "Subtitle")
    if len(comparison.practices) > 1:
        writer.paragraph(text.contents, "Heading 1")
        for column in comparison.practices:
            writer.paragraph(column.title, "List Number")
    for i, column in enumerate(comparison.practices):
        heading = writer.paragraph(column.title, "Heading 1")
        heading.paragraph_format.page_break_before = i > 0  # one practice per page, for printing
        facts = [r for r in comparison.rows if r.kind == "facts"]
        if facts:
            writer.paragraph(text.facts, "Heading 2")
            writer.facts_table(facts, i, text)
        for row in comparison.rows:
            if row.kind == "facts":
                continue
            writer.paragraph(row.label, "Heading 2")
            for item in row.cells[i].items or [Item(text.empty)]:
                writer.item(writer.paragraph("", "List Bullet" if row.key == "sources" else None), item)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@dataclasses.dataclass
class _Writer:
    document: WordDocument
    styles: dict[str, ParagraphStyle]  # looked up once per document
    link: CharacterStyle
    table: BaseStyle

    def paragraph(self, text: str, style: str | None) -> Paragraph:
        """A paragraph in one of the styles above, or in Normal (the default: no look-up at all)."""
        return self.document.add_paragraph(text, style=self.styles[style] if style else None)

    def facts_table(self, rows: list[Row], column: int, text: BriefText) -> None:
        table = self.document.add_table(rows=0, cols=2)
        table.style = self.table
        for row in rows:
            label, value = table.add_row().cells
            label.width, value.width = Cm(4.5), Cm(12.5)
            label.paragraphs[0].add_run(row.label).bold = True
            items = row.cells[column].items or [Item(text.empty)]
            self.item(value.paragraphs[0], items[0])
            for item in items[1:]:
                self.item(value.add_paragraph(), item)

    def item(self, paragraph: Paragraph, item: Item) -> None:
        if item.url and _linkable(item.url):
            add_hyperlink(paragraph, item.text, item.url, self.link)
            if item.text != item.url:
                paragraph.add_run(f" ({item.url})").font.size = Pt(9)
        else:
            paragraph.add_run(item.text)


def add_hyperlink(
    paragraph: Paragraph, text: str, url: str, style: CharacterStyle | str = "Hyperlink"
) -> None:
    """A working external link. python-docx reads hyperlinks but has no call to add one (python-openxml/python-docx
    issue #74), so the run is made through its API and wrapped in the one element Word needs: a `w:hyperlink`
    naming an external relationship that the package part records."""
    r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    run = paragraph.add_run(text, style=style)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    link.append(run._r)  # moves the run from the paragraph into the link
    paragraph._p.append(link)


# -- Markdown -----------------------------------------------------------------------------------------------------
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")
_MARKER = re.compile(r"^(?:(?P<bullet>[-+])|(?P<number>\d+)(?P<dot>[.)]))(?=\s)")


def _escape_marker(found: re.Match[str]) -> str:
    # A digit cannot be escaped in Markdown: the dot or bracket after it is.
    return "\\" + found["bullet"] if found["bullet"] else f"{found['number']}\\{found['dot']}"


def md_text(value: str) -> str:
    """Text that Markdown shows as written: its markup characters escaped, a leading list marker too."""
    return _MARKER.sub(_escape_marker, _SPECIAL.sub(r"\\\1", " ".join(value.split())))


def _md_item(item: Item) -> str:
    if item.url and _linkable(item.url):
        url = item.url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")
        return f"<{url}>" if item.text == item.url else f"[{md_text(item.text)}](<{url}>)"
    return md_text(item.text)


def markdown(comparison: Comparison, text: BriefText) -> str:
    """The same brief in Markdown: `#` title, `##` per practice, key facts as a list, `###` per prose row."""
    lines = [f"# {md_text(text.title)}", "", md_text(text.subtitle), ""]
    if len(comparison.practices) > 1:
        lines += [f"## {md_text(text.contents)}", ""]
        lines += [f"{n}. {md_text(c.title)}" for n, c in enumerate(comparison.practices, 1)] + [""]
    for i, column in enumerate(comparison.practices):
        lines += [f"## {md_text(column.title)}", "", f"### {md_text(text.facts)}", ""]
        for row in comparison.rows:
            if row.kind == "facts":
                values = "; ".join(_md_item(item) for item in row.cells[i].items) or text.empty
                lines.append(f"- **{md_text(row.label)}:** {values}")
        lines.append("")
        for row in comparison.rows:
            if row.kind == "facts":
                continue
            lines += [f"### {md_text(row.label)}", ""]
            items = row.cells[i].items or [Item(text.empty)]
            if row.key == "sources":
                lines += [f"- {_md_item(item)}" for item in items] + [""]
            else:
                for item in items:
                    lines += [_md_item(item), ""]
    return "\n".join(lines).rstrip("\n") + "\n"
