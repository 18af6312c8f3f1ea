"""The selection, the comparison page and its JSON twin, through the real app over a real index."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.web.test_pages import parse, text

TWO = "p=inclusive-catering&p=social-cooperatives-support"


def row_of(html: str, label: str) -> str:
    """The HTML of the table row whose header starts with `label`."""
    rows: list[str] = re.findall(r"<tr.*?</tr>", html, re.DOTALL)
    for row in rows:
        header = re.search(r"<th scope=\"row\"[^>]*>(.*?)</th>", row, re.DOTALL)
        if header and text(header.group(1)).startswith(label):
            return row
    raise AssertionError(f"no row {label!r}")


def test_compare_page_shows_the_practices_side_by_side_row_by_row(client: FlaskClient) -> None:
    html = client.get(f"/compare?{TWO}&lang=en").get_data(as_text=True)
    headers = re.findall(r'<a class="practice-title" href="/practices/([a-z-]+)">', html)
    assert headers == ["inclusive-catering", "social-cooperatives-support"]
    labels = [text(h) for h in re.findall(r'<th scope="row">(.*?)</th>', html, re.DOTALL)]
    assert [label.removesuffix(" differs") for label in labels] == [
        "Regions and country", "Scope", "Organisation and type", "Status and years", "Themes", "Target groups",
        "Funding", "Evidence level", "Outcomes", "Summary", "Results", "Transferability", "Sources",
        "Permanent link"]  # fmt: skip
    assert "Extremadura (Spain)" in text(row_of(html, "Regions")) and "Mazovia (Poland)" in text(
        row_of(html, "Regions")
    )
    assert "Replicated" in text(row_of(html, "Evidence")) and "Monitored" in text(row_of(html, "Evidence"))
    assert "people employed: 25 people (2023)" in text(row_of(html, "Outcomes"))
    assert "ESF+ (2021-2027)" in text(row_of(html, "Funding")) and "not stated" in text(
        row_of(html, "Funding")
    )
    assert "Kitchen jobs with training" not in text(row_of(html, "Results"))  # the Description stays out
    assert "Results." in text(row_of(html, "Results")) and "Transfer." in text(
        row_of(html, "Transferability")
    )
    assert 'href="https://example.org/inclusive-catering"' in row_of(html, "Sources")
    assert "http://localhost/practices/social-cooperatives-support" in text(row_of(html, "Permanent link"))


def test_rows_that_differ_are_marked_and_equal_rows_are_not(client: FlaskClient) -> None:
    html = client.get(f"/compare?{TWO}").get_data(as_text=True)
    assert "differs" in row_of(html, "Regions") and "differs" in row_of(html, "Target groups")
    assert "differs" not in row_of(html, "Scope")  # both regional
    assert "differs" not in row_of(html, "Summary")  # prose always differs: not flagged
    data = client.get(f"/api/compare?{TWO}").get_json()
    assert {r["key"]: r["differs"] for r in data["rows"]}["scope"] is False
    single = client.get("/compare?p=inclusive-catering").get_data(as_text=True)
    assert "differs-tag" not in single


def test_remove_and_move_links_keep_the_rest_in_order(client: FlaskClient) -> None:
    three = "p=repair-cafe-network&p=inclusive-catering&p=rural-products-label"
    hrefs = parse(client.get(f"/compare?{three}").get_data(as_text=True)).hrefs
    assert "/compare?p=inclusive-catering&p=rural-products-label" in [h.replace("&amp;", "&") for h in hrefs]
    moves = [h.replace("&amp;", "&") for h in hrefs]
    assert (
        "/compare?p=inclusive-catering&p=repair-cafe-network&p=rural-products-label" in moves
    )  # middle left
    assert (
        "/compare?p=repair-cafe-network&p=rural-products-label&p=inclusive-catering" in moves
    )  # middle right
    assert "/search?p=repair-cafe-network&p=inclusive-catering&p=rural-products-label" in moves  # add more


def test_duplicates_unknown_slugs_and_more_than_six_are_explained(client: FlaskClient) -> None:
    slugs = ["inclusive-catering", "repair-cafe-network", "inclusive-catering", "no-such-practice", "Bad Slug!",
             "rural-products-label", "hostile-markdown", "digital-skills-for-seniors", "formula-in-organisation",
             "microloans-for-social-enterprises"]  # fmt: skip
    query = "&".join(f"p={s}" for s in slugs)
    page = text(client.get(f"/compare?{query}&lang=en").get_data(as_text=True))
    assert "inclusive-catering was selected more than once; it is shown once." in page
    assert (
        "At most 6 practices can be compared side by side; left out: microloans-for-social-enterprises."
        in page
    )
    assert "There are no practices at the addresses no-such-practice, Bad Slug!; they were left out." in page
    data = client.get(f"/api/compare?{query}").get_json()
    assert [p["slug"] for p in data["practices"]] == [
        "inclusive-catering", "repair-cafe-network", "rural-products-label", "hostile-markdown",
        "digital-skills-for-seniors", "formula-in-organisation"]  # fmt: skip
    assert {n["code"]: n["slugs"] for n in data["notices"]} == {
        "duplicate": ["inclusive-catering"], "too-many": ["microloans-for-social-enterprises"],
        "unknown": ["no-such-practice", "Bad Slug!"]}  # fmt: skip


def test_json_twin_has_the_same_rows_and_links(client: FlaskClient) -> None:
    data = client.get(f"/api/compare?{TWO}&lang=de").get_json()
    assert data["ok"] is True and data["max_practices"] == 6
    assert [r["label"] for r in data["rows"]][:2] == ["Regionen und Land", "Ebene"]
    assert data["rows"][0]["cells"][0]["items"] == [{"text": "Extremadura (Spanien)", "url": ""}]
    sources = next(r for r in data["rows"] if r["key"] == "sources")
    assert sources["cells"][0]["items"][0] == {
        "text": "Test source",
        "url": "https://example.org/inclusive-catering",
    }
    assert data["links"]["docx"].endswith(f"/compare/brief.docx?{TWO}")
    assert data["practices"][0]["api_url"].endswith("/api/practices/inclusive-catering")
    page = client.get(f"/compare?{TWO}").get_data(as_text=True)
    assert (
        f'<link rel="alternate" type="application/json" href="/api/compare?{TWO.replace("&", "&amp;")}">'
        in page
    )


def test_empty_selection_explains_how_to_select(client: FlaskClient) -> None:
    page = text(client.get("/compare?lang=en").get_data(as_text=True))
    assert "No practices are selected yet." in page and "Add to selection" in page
    assert client.get("/api/compare").get_json()["practices"] == []


def test_search_results_carry_selection_boxes_for_the_compare_form(client: FlaskClient) -> None:
    html = client.get("/search?q=social&p=repair-cafe-network&lang=en").get_data(as_text=True)
    boxes = re.findall(
        r'<input type="checkbox" id="select-([a-z-]+)" name="p" value="\1" form="compare-form"( checked)?',
        html,
    )
    assert boxes and all(checked == "" for slug, checked in boxes if slug != "repair-cafe-network")
    assert '<form id="compare-form" class="compare-form" action="/compare" method="get">' in html
    assert 'type="submit" form="compare-form"' in html
    # The selection rides along when the search form is submitted again, and in every link the page builds.
    search_form = html.split('id="search-form"', 1)[1].split("</form>", 1)[0]
    assert '<input type="hidden" name="p" value="repair-cafe-network">' in search_form
    assert "p=repair-cafe-network" in " ".join(parse(html).hrefs)
    header = html.split('id="selection-link"', 1)[1].split("</a>", 1)[0]
    assert 'href="/compare?p=repair-cafe-network"' in header and ">1</span>" in header


def test_practice_page_offers_selection_and_the_brief(client: FlaskClient) -> None:
    html = client.get("/practices/inclusive-catering?lang=en").get_data(as_text=True)
    hrefs = [h.replace("&amp;", "&") for h in parse(html).hrefs]
    assert "/compare?p=inclusive-catering" in hrefs
    assert (
        "/compare/brief.docx?p=inclusive-catering" in hrefs
        and "/compare/brief.md?p=inclusive-catering" in hrefs
    )
    carried = parse(
        client.get("/practices/inclusive-catering?p=repair-cafe-network").get_data(as_text=True)
    ).hrefs
    assert "/compare?p=repair-cafe-network&p=inclusive-catering" in [h.replace("&amp;", "&") for h in carried]


def test_entry_text_cannot_inject_markup_into_the_comparison(client: FlaskClient) -> None:
    html = client.get("/compare?p=hostile-markdown&p=formula-in-organisation").get_data(as_text=True)
    assert "<script>window" not in html and "onerror=" not in html.replace("onerror=&#34;", "")
    assert "javascript:" not in html.lower()


def test_the_comparison_is_cached_by_its_inputs_and_the_brief_is_not_revalidated(client: FlaskClient) -> None:
    first = client.get(f"/api/compare?{TWO}")
    tag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=10"
    again = client.get(f"/api/compare?{TWO}", headers={"If-None-Match": tag})
    assert again.status_code == 304
    other = client.get("/api/compare?p=social-cooperatives-support&p=inclusive-catering&lang=en")
    assert other.headers["ETag"] != tag  # another order is another answer
    page = client.get(f"/compare?{TWO}&lang=en")
    assert (
        client.get(f"/compare?{TWO}&lang=en", headers={"If-None-Match": page.headers["ETag"]}).status_code
        == 304
    )
    brief = client.get(f"/compare/brief.md?{TWO}")
    assert "ETag" not in brief.headers and brief.headers["Cache-Control"] == "public, max-age=10"
