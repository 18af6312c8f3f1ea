"""Dates come from the entries, not from the machine: the same content gives the same feed on every node."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient

from kb.config import Settings
from kb.reindex import reindex
from webapp import create_app

from .conftest import write_entries

PAGES = ("/feed.atom", "/", "/api/practices/repair-cafe-network")


def _answers(settings: Settings) -> dict[str, bytes]:
    app = create_app(settings)
    try:
        with app.test_client() as client:
            out = {}
            for url in PAGES:
                response = client.get(url)
                assert response.status_code == 200, url
                out[url] = response.data
            return out
    finally:
        app.extensions["kb"].close()


def test_full_rebuilds_and_a_second_replica_give_byte_identical_feed_and_pages(tmp_path: Path) -> None:
    content = tmp_path / "practices"
    content.mkdir()
    write_entries(content)
    first = Settings(content_dir=content, index_dir=tmp_path / "node-a")
    second = Settings(content_dir=content, index_dir=tmp_path / "node-b")

    assert reindex(first, full=True).failed == 0
    before = _answers(first)
    assert reindex(first, full=True).failed == 0  # a full rebuild, later, of the same content
    assert reindex(second, full=True).failed == 0  # another node building its own index
    assert _answers(first) == before
    assert _answers(second) == before


def test_feed_dates_are_the_entries_review_dates(client: FlaskClient) -> None:
    feed = client.get("/feed.atom").get_data(as_text=True)
    # Every test entry says last_reviewed: 2026-11-01; that is the only date the feed may show.
    assert "<updated>2026-11-01T00:00:00+00:00</updated>" in feed
    assert feed.count("<updated>") == feed.count("<updated>2026-11-01T00:00:00+00:00</updated>")
