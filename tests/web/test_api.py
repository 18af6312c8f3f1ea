"""The JSON API, exports and the feed: the same data as the pages, in one error shape."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

from flask.testing import FlaskClient

from tests.web.test_pages import parse

ATOM = "{http://www.w3.org/2005/Atom}"


def test_api_search_returns_what_the_page_shows(client: FlaskClient) -> None:
    for query in ("q=social+cooperatives", "region=Masowien", "theme=Inklusion&sort=title", "q=inclsion",
                  "status=ongoing&region=extremadura&region=harghita"):  # fmt: skip
        page = client.get(f"/search?{query}").get_data(as_text=True)
        data = client.get(f"/api/search?{query}").get_json()
        assert data["ok"] is True
        assert [h["slug"] for h in data["hits"]] == parse(page).result_slugs, query
        assert f"{data['total']} practice" in page


def test_api_search_carries_facets_filters_and_highlights(client: FlaskClient) -> None:
    data = client.get("/api/search?q=loans&region=Masowien").get_json()
    assert data["selected"]["region"] == ["mazovia"]
    assert data["filters"][0] == {
        **data["filters"][0],
        "typed": "Masowien",
        "key": "mazovia",
        "status": "resolved",
    }
    regions = {f["key"]: f["count"] for f in data["facets"]["region"]}
    assert regions["riga"] == 1  # counted as if the region selection were not applied
    hit = data["hits"][0]
    assert hit["slug"] == "microloans-for-social-enterprises"
    assert any(s["match"] for s in hit["snippet"] + hit["title_marked"])
    assert hit["url"].endswith("/practices/microloans-for-social-enterprises")


def test_api_practice_regions_themes_and_resolve(client: FlaskClient) -> None:
    practice = client.get("/api/practices/inclusive-catering").get_json()
    assert practice["fields"]["regions"] == ["extremadura"] and practice["countries"] == ["ES"]
    assert "<h2" in practice["body_html"]
    regions = client.get("/api/regions").get_json()["regions"]
    assert [r["key"] for r in regions][:2] == ["peloponnese", "flemish-brabant"]
    assert next(r for r in regions if r["key"] == "mazovia")["count"] == 2
    themes = client.get("/api/themes?lang=de").get_json()["themes"]
    assert next(t for t in themes if t["key"] == "digitalisation")["label"] == "Digitalisierung"
    resolved = client.get("/api/resolve/region?q=Хасково").get_json()
    assert resolved["chosen"] == "haskovo" and resolved["status"] == "resolved"
    theme = client.get("/api/resolve/theme?q=circular+economy").get_json()
    assert theme["chosen"] == "sustainability"


def test_api_errors_share_one_shape(client: FlaskClient) -> None:
    cases = {"/api/practices/nope": 404, "/api/search?page=x": 400, "/api/search?sort=x": 400,
             "/api/resolve/region": 400, "/api/resolve/planet?q=x": 404, "/api/unknown/route": 404}  # fmt: skip
    for url, status in cases.items():
        response = client.get(url)
        assert response.status_code == status, url
        body = response.get_json()
        assert body["ok"] is False and body["status"] == status and body["error"], url
    assert client.post("/api/search").status_code == 405


def test_csv_export_has_every_result_and_neutralises_formulas(client: FlaskClient) -> None:
    response = client.get("/search/export.csv")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    # One charset, as spreadsheets expect (Werkzeug adds it to a text/ type: it was once sent twice).
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 8
    evil = next(r for r in rows if r["slug"] == "formula-in-organisation")
    assert evil["organisation"].startswith("'=HYPERLINK")
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value
    filtered = client.get("/search/export.csv?region=Masowien").get_data(as_text=True)
    assert len(list(csv.DictReader(io.StringIO(filtered.lstrip("\ufeff"))))) == 2


def test_json_export_matches_the_search(client: FlaskClient) -> None:
    data = json.loads(client.get("/search/export.json?theme=social-inclusion").get_data(as_text=True))
    assert {p["slug"] for p in data["practices"]} == {"social-cooperatives-support", "inclusive-catering"}
    assert data["total"] == 2


def test_atom_feed_lists_practices_with_links(client: FlaskClient) -> None:
    response = client.get("/feed.atom")
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.get_data())
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 8
    links = {e.find(f"{ATOM}link").get("href", "") for e in entries}  # type: ignore[union-attr]
    assert any(link.endswith("/practices/inclusive-catering") for link in links)


def test_the_feed_speaks_the_chosen_language(client: FlaskClient) -> None:
    root = ET.fromstring(client.get("/feed.atom?lang=el").get_data())
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "el"
    assert root.find(f"{ATOM}title").text != "SECON best-practice knowledge base: new and updated practices"  # type: ignore[union-attr]
    labels = {c.get("label") for c in root.iter(f"{ATOM}category")}
    assert "Κοινωνική ένταξη" in labels  # the theme Social inclusion, in Greek
