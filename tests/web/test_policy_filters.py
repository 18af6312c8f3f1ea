"""The filters a policymaker asks for: evidence level, target group, organisation type and scope, with counts, in
the page, the API and the exports; and the sort by evidence level."""

from __future__ import annotations

import csv
import io

import pytest
from flask.testing import FlaskClient

from tests.web.test_pages import parse, text


def slugs(client: FlaskClient, query: str) -> list[str]:
    data = client.get(f"/api/search?{query}").get_json()
    assert data["ok"] is True, data
    return [h["slug"] for h in data["hits"]]


def counts(client: FlaskClient, query: str, facet: str) -> dict[str, int]:
    data = client.get(f"/api/search?{query}").get_json()
    return {v["key"]: v["count"] for v in data["facets"][facet]}


def test_evidence_filter_has_counts_and_a_value_for_entries_that_state_none(client: FlaskClient) -> None:
    assert slugs(client, "evidence=replicated") == ["inclusive-catering"]
    assert sorted(slugs(client, "evidence=evaluated&evidence=replicated")) == [
        "inclusive-catering", "repair-cafe-network"]  # fmt: skip
    assert counts(client, "", "evidence") == {"not-stated": 4, "anecdotal": 1, "monitored": 1, "evaluated": 1,
                                              "replicated": 1}  # fmt: skip
    assert len(slugs(client, "evidence=not-stated")) == 4
    # Counted as if its own selection were not applied, within the other filters.
    assert counts(client, "evidence=replicated&scope=regional", "evidence") == {
        "not-stated": 4, "anecdotal": 1, "monitored": 1, "replicated": 1}  # fmt: skip


def test_target_group_resolves_typed_names_fuzzily(client: FlaskClient) -> None:
    assert slugs(client, "target=seniors") == ["digital-skills-for-seniors"]
    assert sorted(slugs(client, "target=long+term+unemployd")) == [
        "inclusive-catering", "social-cooperatives-support"]  # fmt: skip
    data = client.get("/api/search?target=long+term+unemployd").get_json()
    assert data["filters"][0]["key"] == "long-term-unemployed" and data["filters"][0]["status"] == "resolved"
    assert counts(client, "q=volunteers", "target")["volunteers"] == 1
    resolved = client.get("/api/resolve/target?q=Rentner+seniors").get_json()
    assert resolved["chosen"] == "older-people"


def test_scope_and_organisation_type_narrow_together(client: FlaskClient) -> None:
    assert slugs(client, "scope=local") == ["repair-cafe-network"]
    assert slugs(client, "organisation_type=social+enterprise&evidence=replicated&scope=regional") == [
        "inclusive-catering"]  # fmt: skip
    assert slugs(client, "organisation_type=association&scope=regional") == []
    assert counts(client, "", "organisation_type") == {
        "public body": 1,
        "association": 1,
        "social enterprise": 1,
    }


@pytest.mark.parametrize(
    ("query", "hint"),
    [("evidence=strong", "anecdotal, monitored, evaluated, replicated, not-stated"),
     ("organisation_type=club", "cooperative, association"), ("scope=planet", "local, regional"),
     ("sort=impact", "relevance, newest, title, evidence")],
)  # fmt: skip
def test_bad_values_give_400_with_the_allowed_values(client: FlaskClient, query: str, hint: str) -> None:
    for url in (f"/api/search?{query}", f"/search?{query}", f"/search/export.csv?{query}"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert hint in response.get_data(as_text=True), url


def test_sort_by_evidence_puts_the_strongest_first(client: FlaskClient) -> None:
    assert slugs(client, "sort=evidence")[:4] == [
        "inclusive-catering", "repair-cafe-network", "social-cooperatives-support", "digital-skills-for-seniors"]  # fmt: skip
    # With words, the evidence level comes first and relevance decides within a level.
    assert slugs(client, "q=social&sort=evidence")[0] == "inclusive-catering"


def test_search_page_shows_the_new_facets_with_translated_labels(client: FlaskClient) -> None:
    html = client.get("/search?evidence=replicated&lang=de").get_data(as_text=True)
    page = text(html)
    for legend in ("Nachweisgrad", "Zielgruppe", "Art der Organisation", "Ebene"):
        assert legend in page
    assert "Nachweisgrad: Andernorts übernommen" in page  # the chip of the applied filter
    assert 'id="f-organisation_type-social-enterprise"' in html and 'value="social enterprise"' in html
    assert parse(html).result_slugs == ["inclusive-catering"]
    unknown = text(client.get("/search?target=zzqx&lang=en").get_data(as_text=True))
    assert "No target group matches zzqx" in unknown


def test_exports_follow_the_filters_and_carry_the_new_columns(client: FlaskClient) -> None:
    body = client.get("/search/export.csv?evidence=replicated&evidence=evaluated").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert sorted(r["slug"] for r in rows) == ["inclusive-catering", "repair-cafe-network"]
    catering = next(r for r in rows if r["slug"] == "inclusive-catering")
    assert catering["evidence_level"] == "replicated" and catering["organisation_type"] == "social enterprise"
    assert catering["target_groups"] == "People with disabilities; Long-term unemployed people"
    exported = client.get("/search/export.json?target=volunteers").get_json()
    assert [p["slug"] for p in exported["practices"]] == ["repair-cafe-network"]


def test_results_and_practice_pages_name_the_evidence_and_target_groups(client: FlaskClient) -> None:
    results = text(client.get("/search?sort=evidence&lang=de").get_data(as_text=True))
    assert "Test Catering · Laufend · 2008 · Nachweis: Andernorts übernommen" in results
    page = text(client.get("/practices/inclusive-catering?lang=en").get_data(as_text=True))
    assert "Target groups People with disabilities, Long-term unemployed people" in page
    assert "Test Catering (Social enterprise)" in page and "Evidence Replicated" in page
