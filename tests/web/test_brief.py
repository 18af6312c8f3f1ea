"""The brief to take away: an editable Word document (read back with python-docx) and Markdown, in the interface
language, with working links to the sources and the permanent addresses."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from babel.dates import format_date
from docx import Document
from docx.document import Document as WordDocument
from flask.testing import FlaskClient

TWO = "p=inclusive-catering&p=social-cooperatives-support"
SLUGS = ("inclusive-catering", "social-cooperatives-support")


def word(client: FlaskClient, query: str) -> tuple[WordDocument, str]:
    response = client.get(f"/compare/brief.docx?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return Document(io.BytesIO(response.data)), response.headers["Content-Disposition"]


def styled(document: WordDocument, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style is not None and p.style.name == style]


def links(document: WordDocument) -> list[tuple[str, str]]:
    found = [(h.text, h.url) for p in document.paragraphs for h in p.hyperlinks]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                found += [(h.text, h.url) for p in cell.paragraphs for h in p.hyperlinks]
    return found


def test_word_brief_of_two_practices_has_title_date_sections_and_working_links(client: FlaskClient) -> None:
    document, disposition = word(client, f"{TWO}&lang=en")
    assert disposition == f'attachment; filename="secon-brief-2-practices-{dt.date.today().isoformat()}.docx"'
    assert styled(document, "Title") == ["Practice brief: 2 practices compared"]
    today = format_date(dt.date.today(), "long", locale="en")
    assert styled(document, "Subtitle") == [f"From the SECON best-practice knowledge base, {today}"]
    assert document.core_properties.title == "Practice brief: 2 practices compared"
    assert document.core_properties.language == "en"
    assert styled(document, "List Number") == [
        "Inclusive catering company",
        "Support centres for social cooperatives",
    ]
    assert styled(document, "Heading 1") == ["Practices in this brief", "Inclusive catering company",
                                             "Support centres for social cooperatives"]  # fmt: skip
    assert styled(document, "Heading 2") == ["Key facts", "Summary", "Results", "Transferability", "Sources",
                                             "Permanent link"] * 2  # fmt: skip
    facts = document.tables[0]
    assert [c.text for c in facts.rows[0].cells] == ["Regions and country", "Extremadura (Spain)"]
    assert [c.text for c in facts.rows[7].cells] == ["Evidence level", "Replicated"]
    assert "people employed: 25 people (2023)" in facts.rows[8].cells[1].text
    found = links(document)
    for slug in SLUGS:
        assert ("Test source", f"https://example.org/{slug}") in found
        assert ("Test report", f"https://example.org/{slug}/report") in found
        assert (f"http://localhost/practices/{slug}",) * 2 in found
    # Each link is an external relationship of the document: it opens the address in Word.
    rels = document.part.rels.values()
    assert {r.target_ref for r in rels if r.is_external} >= {u for _t, u in found}
    assert "Results." in [p.text for p in document.paragraphs]


def test_word_brief_speaks_the_interface_language(client: FlaskClient) -> None:
    document, _disposition = word(client, f"{TWO}&lang=de")
    assert styled(document, "Title") == ["Kurzdossier: 2 Praxisbeispiele im Vergleich"]
    today = format_date(dt.date.today(), "long", locale="de")
    assert styled(document, "Subtitle") == [f"Aus der SECON-Wissensdatenbank guter Praxis, {today}"]
    assert styled(document, "Heading 2")[:6] == ["Eckdaten", "Zusammenfassung", "Wirkung", "Übertragbarkeit",
                                                 "Quellen", "Dauerhafter Link"]  # fmt: skip
    assert [c.text for c in document.tables[0].rows[1].cells] == ["Ebene", "Regional"]
    assert document.core_properties.language == "de"


def test_brief_of_one_practice_is_offered_on_its_page(client: FlaskClient) -> None:
    document, disposition = word(client, "p=inclusive-catering&lang=en")
    assert disposition == 'attachment; filename="secon-brief-inclusive-catering.docx"'
    assert styled(document, "Title") == ["Practice brief"]
    assert styled(document, "Heading 1") == ["Inclusive catering company"]


def test_markdown_brief_has_the_same_structure(client: FlaskClient) -> None:
    response = client.get(f"/compare/brief.md?{TWO}&lang=en")
    assert response.headers["Content-Type"] == "text/markdown; charset=utf-8"
    assert response.headers["Content-Disposition"].endswith('.md"')
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "# Practice brief: 2 practices compared"
    assert [line for line in lines if line.startswith("## ")] == [
        "## Practices in this brief", "## Inclusive catering company", "## Support centres for social cooperatives"]  # fmt: skip
    assert "- **Evidence level:** Replicated" in lines
    assert "- [Test source](<https://example.org/inclusive-catering>)" in lines
    assert "<http://localhost/practices/social-cooperatives-support>" in lines
    markup = client.get("/compare/brief.md?p=formula-in-organisation").get_data(as_text=True)
    assert '- **Organisation and type:** =HYPERLINK("http://evil")' in markup


@pytest.mark.parametrize(
    ("query", "message"),
    [("p=no-such-practice", "There is no practice at the address no-such-practice"),
     ("", "Choose at least one practice for the brief"),
     ("&".join(f"p=x{i}" for i in range(8)), "There are no practices at the addresses")],
)  # fmt: skip
def test_a_brief_that_would_leave_something_out_is_refused(
    client: FlaskClient, query: str, message: str
) -> None:
    for url in (f"/compare/brief.docx?{query}&lang=en", f"/compare/brief.md?{query}&lang=en"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert message in response.get_data(as_text=True), url


def test_seven_practices_are_refused_and_duplicates_are_harmless(client: FlaskClient) -> None:
    seven = ["inclusive-catering", "repair-cafe-network", "rural-products-label", "hostile-markdown",
             "digital-skills-for-seniors", "formula-in-organisation", "microloans-for-social-enterprises"]  # fmt: skip
    response = client.get("/compare/brief.docx?" + "&".join(f"p={s}" for s in seven) + "&lang=en")
    assert response.status_code == 400
    assert "At most 6 practices" in response.get_data(as_text=True)
    document, _disposition = word(client, "p=inclusive-catering&p=inclusive-catering")
    assert styled(document, "Heading 1") == ["Inclusive catering company"]
