"""What policymakers type, over the bundled collection: sentence-like English queries find the entry they mean,
and queries in the twelve partner languages find the English entries (query sets written blind, in bench/queries/)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from kb.config import Settings
from kb.reindex import reindex
from kb.search import SearchEngine, SearchRequest
from kb.taxonomy import load_taxonomy

from .conftest import ROOT

QUERIES = ROOT / "bench" / "queries"


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchEngine]:
    """The bundled collection with its thesaurus, indexed once for this module (the thesaurus map takes ~20 s)."""
    work = tmp_path_factory.mktemp("bundled")
    shutil.copytree(ROOT / "practices", work / "practices")
    settings = Settings(content_dir=work / "practices", index_dir=work / "index")
    assert reindex(settings).failed == 0
    engine = SearchEngine(settings.index_dir, load_taxonomy(settings.taxonomy_path))
    yield engine
    engine.close()


def load(name: str) -> Any:
    return yaml.safe_load((QUERIES / name).read_text(encoding="utf-8"))


def test_sentence_like_queries_find_the_intended_entry_in_the_top_three(bundled: SearchEngine) -> None:
    queries = load("policymaker_en.yaml")["queries"]
    assert len(queries) >= 25
    found, any_word, misses = 0, 0, []
    for query in queries:
        results = bundled.search(SearchRequest(q=query["q"]))
        top = {h.slug for h in results.hits[:3]}
        if top & {query["intended"], *query.get("also", [])}:
            found += 1
        else:
            misses.append(query["q"])
        any_word += results.match == "any"
    assert found / len(queries) >= 0.96, misses
    assert any_word <= len(queries) / 8


@pytest.mark.parametrize(
    ("q", "slug"),
    [("cooperatives of people with disabilities", "bulgaria-specialised-enterprises-people-with-disabilities"),
     ("centres for social integration", "poland-social-integration-centres"),
     ("law on the social economy", "spain-social-economy-law")],
)  # fmt: skip
def test_stop_words_are_never_required(bundled: SearchEngine, q: str, slug: str) -> None:
    results = bundled.search(SearchRequest(q=q))
    assert results.match != "any" and slug in {h.slug for h in results.hits[:5]}


def test_queries_in_every_partner_language_find_the_english_entries(bundled: SearchEngine) -> None:
    languages: dict[str, list[dict[str, Any]]] = load("crosslingual.yaml")["languages"]
    assert len(languages) == 12 and all(len(q) >= 8 for q in languages.values())
    total = hits = 0
    for lang, queries in languages.items():
        found = sum(
            bool(
                set(q["relevant"])
                & {h.slug for h in bundled.search(SearchRequest(q=q["q"], page_size=5)).hits}
            )
            for q in queries
        )
        assert found / len(queries) >= 0.7, lang
        total, hits = total + len(queries), hits + found
    assert hits / total >= 0.9


@pytest.mark.parametrize(
    ("q", "slug"),
    [("Sozialgenossenschaft", "poland-act-on-social-cooperatives"),
     ("soziale Eingliederung", "poland-social-integration-centres"),
     ("economía social", "spain-social-economy-law")],
)  # fmt: skip
def test_the_issue_examples(bundled: SearchEngine, q: str, slug: str) -> None:
    results = bundled.search(SearchRequest(q=q, page_size=20))
    assert slug in {h.slug for h in results.hits} and results.expansions and not results.relaxed


def test_a_greek_query_lands_on_entries_about_what_it_names(bundled: SearchEngine) -> None:
    """κοινωνική επιχείρηση (social enterprise): the first five results are all about social enterprises."""
    results = bundled.search(SearchRequest(q="κοινωνική επιχείρηση", page_size=5))
    assert [e.concept for e in results.expansions] == ["social-enterprise"] and len(results.hits) == 5
    for hit in results.hits:
        text = (ROOT / "practices" / f"{hit.slug}.md").read_text(encoding="utf-8").lower()
        assert "social enterprise" in text, hit.slug
