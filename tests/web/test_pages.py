"""The HTML pages through the real app over a real index: what a policymaker sees and can click."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from flask.testing import FlaskClient


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.result_slugs: list[str] = []
        self._in_h3 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href") or ""
        if tag == "h3":
            self._in_h3 = True
        if tag == "a":
            self.hrefs.append(href)
            if self._in_h3 and href.startswith("/practices/"):
                self.result_slugs.append(href.removeprefix("/practices/"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "h3":
            self._in_h3 = False


def parse(html: str) -> Links:
    links = Links()
    links.feed(html)
    return links


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_home_has_search_counts_chart_and_says_it_is_a_starter_collection(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert 'role="search"' in page and 'name="q"' in page
    assert "starter collection of 8 practices" in text(page)
    assert "/regions/mazovia" in page and "/themes/social-inclusion" in page
    # the chart has a text equivalent with the same numbers: Mazovia has two practices
    assert re.search(r"<desc[^>]*>[^<]*Mazovia: 2", page)
    assert "<svg" in page and 'role="img"' in page


def test_title_match_ranks_above_body_only_match_and_is_highlighted(client: FlaskClient) -> None:
    page = client.get("/search?q=social+cooperatives").get_data(as_text=True)
    slugs = parse(page).result_slugs
    assert slugs.index("social-cooperatives-support") < slugs.index("repair-cafe-network")
    assert "<mark>" in page


def test_typed_region_resolves_fuzzily_with_a_chip_and_a_message(client: FlaskClient) -> None:
    page = client.get("/search?region=Masowien").get_data(as_text=True)
    assert set(parse(page).result_slugs) == {
        "social-cooperatives-support",
        "microloans-for-social-enterprises",
    }
    assert "Showing Mazovia for" in text(page) and "<em>Masowien</em>" in page
    assert "Region: Mazovia" in text(page)
    typo = client.get("/search?region=rhein+nekar").get_data(as_text=True)
    assert parse(typo).result_slugs == ["formula-in-organisation"]


def test_unknown_region_says_so_and_offers_removal(client: FlaskClient) -> None:
    response = client.get("/search?region=qwxz")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "No region matches" in text(page)
    notice = re.search(r'<p class="notice">\s*No region matches.*?</p>', page, re.DOTALL)
    assert notice and '<a href="/search">Remove this filter</a>' in notice.group()  # back to everything


def test_facet_counts_ignore_their_own_selection(client: FlaskClient) -> None:
    page = client.get("/search?region=haskovo").get_data(as_text=True)
    # Haskovo is selected, and Mazovia still shows its two practices so the user can add it
    assert re.search(r'id="f-region-mazovia"[^>]*>\s*<label[^>]*>Mazovia <span class="count"[^>]*>2<', page)
    assert re.search(r'id="f-region-haskovo"[^>]*checked', page)
    both = client.get("/search?region=haskovo&region=mazovia").get_data(as_text=True)
    assert len(parse(both).result_slugs) == 3


def test_misspelt_word_is_corrected_with_a_way_back(client: FlaskClient) -> None:
    page = client.get("/search?q=inclsion").get_data(as_text=True)
    assert "Showing results for" in text(page) and "<em>inclusion</em>" in page
    assert "Search instead for" in text(page)
    assert parse(page).result_slugs


def test_empty_result_explains_what_to_try(client: FlaskClient) -> None:
    page = client.get("/search?q=zzyzzx+qqqq").get_data(as_text=True)
    assert "No practices found" in text(page) and "Check the spelling" in text(page)


def test_pagination_and_sort_are_links(client: FlaskClient, app: object) -> None:
    page = client.get("/search?sort=newest").get_data(as_text=True)
    assert parse(page).result_slugs[0] == "microloans-for-social-enterprises"  # started 2020, the newest
    titles = client.get("/search?sort=title").get_data(as_text=True)
    assert parse(titles).result_slugs[0] == "rural-products-label"  # "A label for rural products"


def test_practice_page_has_key_facts_sections_sources_and_similar(client: FlaskClient) -> None:
    page = client.get("/practices/social-cooperatives-support").get_data(as_text=True)
    words = text(page)
    for fact in ("Key facts", "Mazovia (Poland)", "Social inclusion", "Test Support Centre", "Ongoing",
                 "2012", "ESF+ (2021-2027)", "Monitored", "https://example.org/contact", "Last reviewed"):  # fmt: skip
        assert fact in words, fact
    assert words.index("Description") < words.index("Results") < words.index("Transferability")
    assert 'href="https://example.org/social-cooperatives-support"' in page
    assert "Permanent link:" in words
    assert 'rel="canonical"' in page
    assert re.search(r"/static/print\.[0-9a-f]{10}\.css", page)  # the print stylesheet, by fingerprinted name


def test_mistyped_practice_address_gives_404_with_near_match(client: FlaskClient) -> None:
    response = client.get("/practices/social-cooperative-support")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "/practices/social-cooperatives-support" in page and 'name="q"' in page


def test_region_and_theme_pages_list_their_practices(client: FlaskClient) -> None:
    region = client.get("/regions/mazovia").get_data(as_text=True)
    assert set(parse(region).result_slugs) == {
        "social-cooperatives-support",
        "microloans-for-social-enterprises",
    }
    assert "PL91" in region and "Mazowieckie" in region
    theme = client.get("/themes/social-inclusion").get_data(as_text=True)
    assert set(parse(theme).result_slugs) == {"social-cooperatives-support", "inclusive-catering"}
    moved = client.get("/regions/Masowien")
    assert moved.status_code == 302 and moved.headers["Location"].endswith("/regions/mazovia")
    assert client.get("/themes/nothing-like-this-at-all").status_code == 404


def test_about_explains_the_starter_set_and_how_to_contribute(client: FlaskClient) -> None:
    words = text(client.get("/about").get_data(as_text=True))
    assert "starter collection" in words and "kb new" in words and "kb validate --strict" in words


def test_every_listing_page_names_its_json_twin(client: FlaskClient) -> None:
    for url in (
        "/",
        "/search?q=loans",
        "/practices/repair-cafe-network",
        "/regions/riga",
        "/themes/digitalisation",
    ):
        page = client.get(url).get_data(as_text=True)
        twin = re.search(r'<link rel="alternate" type="application/json" href="([^"]+)"', page)
        assert twin, url
        assert client.get(twin.group(1).replace("&amp;", "&")).get_json()["ok"] is True, url


def test_bad_parameters_give_a_400_page_not_a_500(client: FlaskClient) -> None:
    for url in ("/search?page=abc", "/search?page=0", "/search?page=99999999", "/search?sort=cheapest",
                "/search?status=dreaming", "/regions/mazovia?page=-1", "/search?country=Atlantis"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 400, url
        assert "Please check your request" in response.get_data(as_text=True), url


def test_language_switch_is_remembered_and_browser_preference_is_used(client: FlaskClient) -> None:
    german = client.get("/search?lang=de&region=haskovo")
    assert "lang=de" in german.headers["Set-Cookie"]
    page = german.get_data(as_text=True)
    assert '<html lang="de">' in page and "Suchergebnisse" not in page  # no words: "Alle Praxisbeispiele"
    assert "Alle Praxisbeispiele" in page and "Chaskowo" in page  # region names in German too
    again = client.get("/about").get_data(as_text=True)  # the cookie is sent back
    assert "So fügen Sie ein Praxisbeispiel hinzu" in again
    client.delete_cookie("lang")
    browser = client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert "Nach Region" in browser
    french = client.get("/", headers={"Accept-Language": "fr-BE,fr;q=0.9"}).get_data(as_text=True)
    assert '<html lang="fr">' in french and "Browse by region" not in french
    # Japanese is not a partner language: English.
    english = client.get("/", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert '<html lang="en">' in english and "Browse by region" in english
