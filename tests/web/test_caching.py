"""HTTP caching as a browser or a reverse proxy sees it: ETags, 304s, Cache-Control, Vary, fingerprinted files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from kb.config import Settings
from kb.reindex import reindex
from webapp import create_app

from .conftest import write_entries

CACHED = [
    "/", "/search?q=social+cooperative", "/practices/repair-cafe-network", "/regions/mazovia", "/themes/sustainability",
    "/about", "/feed.atom", "/search/export.csv?q=inclusion", "/api/search?q=inclusion", "/api/practices/repair-cafe-network",
    "/api/regions", "/api/themes", "/api/resolve/region?q=Masowien",
]  # fmt: skip


@pytest.mark.parametrize("url", CACHED)
def test_every_page_and_api_answer_has_an_etag_and_a_repeat_gets_304(client: FlaskClient, url: str) -> None:
    first = client.get(url)
    assert first.status_code == 200
    tag = first.headers["ETag"]
    assert re.fullmatch(r'W/"[0-9a-f]{32}"', tag)
    assert re.fullmatch(r"public, max-age=\d+", first.headers["Cache-Control"])

    again = client.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == tag
    assert again.headers["Cache-Control"] == first.headers["Cache-Control"]
    assert client.head(url, headers={"If-None-Match": tag}).status_code == 304
    assert client.get(url, headers={"If-None-Match": 'W/"something-else"'}).status_code == 200


def test_search_and_listings_are_short_lived_single_practices_longer(client: FlaskClient) -> None:
    def max_age(url: str) -> int:
        return int(client.get(url).headers["Cache-Control"].rsplit("=", 1)[1])

    assert max_age("/search?q=social") == max_age("/api/search?q=social") == max_age("/regions/mazovia") == 10
    assert max_age("/practices/repair-cafe-network") == max_age("/feed.atom") == 60


def test_the_etag_follows_the_address_and_the_language(client: FlaskClient) -> None:
    def tag(url: str, **headers: str) -> str:
        client.delete_cookie("lang")
        return client.get(url, headers=headers).headers["ETag"]

    english = tag("/search?q=social")
    assert tag("/search?q=social") == english  # the same request, the same tag
    assert tag("/search?q=social&page=2") != english
    assert tag("/search?q=social", **{"Accept-Language": "de-DE,de;q=0.9"}) != english
    assert tag("/search?q=social&lang=de") != english
    german = tag("/search?q=social", **{"Accept-Language": "de"})
    client.set_cookie("lang", "de")
    assert client.get("/search?q=social").headers["ETag"] == german  # the remembered choice, the same page
    assert tag("/feed.atom", **{"Accept-Language": "de"}) != tag("/feed.atom")  # its title and categories are


def test_translated_answers_vary_with_the_language_and_static_files_do_not(client: FlaskClient) -> None:
    for url in ("/search?q=social", "/api/themes", "/practices/nope", "/feed.atom"):
        vary = {v.strip() for v in client.get(url).headers["Vary"].split(",")}
        assert {"Accept-Language", "Cookie"} <= vary, url
    assert "Vary" not in client.get("/static/style.css").headers
    assert "Vary" not in client.get("/api/openapi.json").headers


def test_an_answer_that_sets_the_language_cookie_is_private(client: FlaskClient) -> None:
    client.delete_cookie("lang")
    response = client.get("/about?lang=de")
    assert "lang=de" in response.headers["Set-Cookie"]
    assert response.headers["Cache-Control"].startswith("private")


def test_health_check_and_server_errors_are_never_stored(client: FlaskClient, tmp_path: Path) -> None:
    assert client.get("/healthz").headers["Cache-Control"] == "no-store"
    empty = create_app(Settings(content_dir=tmp_path, index_dir=tmp_path / "index"))
    with empty.test_client() as bare:
        response = bare.get("/search?q=social")
        assert response.status_code == 503
        assert response.headers["Cache-Control"] == "no-store"
        assert "ETag" not in response.headers


def test_pages_link_static_files_by_fingerprint_which_are_immutable(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    links = re.findall(r'"(/static/[^"]+)"', page)
    assert {re.sub(r"\.[0-9a-f]{10}\.", ".", link) for link in links} >= {
        "/static/style.css", "/static/print.css", "/static/app.js", "/static/favicon.svg",
    }  # fmt: skip
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert client.get(link, headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    style = next(link for link in links if "/style." in link)
    assert (
        client.get(re.sub(r"\.[0-9a-f]{10}\.", ".0123456789.", style)).status_code == 404
    )  # not today's bytes
    plain = client.get("/static/style.css")
    assert plain.headers["Cache-Control"] == "public, max-age=300"
    assert plain.data == client.get(style).data
    assert client.get("/static/../__init__.py").status_code == 404


def test_favicon(client: FlaskClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    assert 'rel="icon"' in client.get("/").get_data(as_text=True)


def test_a_reindex_that_changes_content_changes_the_tag_and_one_that_does_not_keeps_it(
    tmp_path: Path,
) -> None:
    content = tmp_path / "practices"
    content.mkdir()
    write_entries(content)
    settings = Settings(content_dir=content, index_dir=tmp_path / "a")
    assert reindex(settings, full=True).failed == 0
    app = create_app(settings)
    urls = ("/search?q=social", "/practices/repair-cafe-network", "/api/regions")
    with app.test_client() as client:
        before = {url: client.get(url).headers["ETag"] for url in urls}

        assert reindex(settings, full=True).failed == 0  # the same content again: the same tags
        assert {url: client.get(url).headers["ETag"] for url in urls} == before
        for url, tag in before.items():
            assert client.get(url, headers={"If-None-Match": tag}).status_code == 304

        entry = content / "repair-cafe-network.md"
        entry.write_text(entry.read_text(encoding="utf-8").replace("monthly", "weekly"), encoding="utf-8")
        assert reindex(settings).updated == 1
        for url, tag in before.items():
            response = client.get(url, headers={"If-None-Match": tag})
            assert response.status_code == 200, url  # the old copy is stale now
            assert response.headers["ETag"] != tag
        assert "weekly" in client.get("/practices/repair-cafe-network").get_data(as_text=True)

    # Another node that builds its own index from the same files answers with the same tags.
    other = Settings(content_dir=content, index_dir=tmp_path / "b")
    assert reindex(other, full=True).failed == 0
    replica = create_app(other)
    try:
        for url in urls:
            assert (
                app.test_client().get(url).headers["ETag"] == replica.test_client().get(url).headers["ETag"]
            ), url
    finally:
        app.extensions["kb"].close()
        replica.extensions["kb"].close()
