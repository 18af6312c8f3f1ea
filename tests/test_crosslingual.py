"""Cross-lingual search: the thesaurus is checked like every content file, its labels are found in any language
and inflection, and a search for them also finds the English entries, below what matches the typed words."""

from __future__ import annotations

import functools
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb import crosslingual
from kb.cli import cli
from kb.config import Settings
from kb.reindex import reindex
from kb.search import SearchEngine, SearchRequest
from kb.taxonomy import Taxonomy, load_taxonomy
from kb.thesaurus import read_thesaurus

from .conftest import DATA, write_entry_file

PROBLEMS = DATA / "thesauri" / "problems.yaml"


def test_every_problem_of_a_thesaurus_is_located(real_taxonomy: Taxonomy) -> None:
    found, problems = read_thesaurus(PROBLEMS, real_taxonomy)
    lines = [p.format().removeprefix(f"{PROBLEMS}:") for p in problems if p.severity == "error"]
    assert lines == [
        "4: social-cooperative.theme: unknown theme 'work-integraton' (hint: did you mean 'work-integration'?)",
        "7: social-cooperative.labels.de: empty label (hint: write the term, or remove the empty item)",
        "8: social-cooperative.labels: unknown language 'xx' (hint: languages: en, de, el, nl, fr, pl, es, ro, hu, "
        "pt, lv, bg)",
        "9: Social Enterprise: id 'Social Enterprise' is not lower-case words joined by hyphens (hint: write e.g. "
        "id: social-cooperative)",
        "14: cooperative.kind: 'legal-frm' is not a kind (hint: did you mean 'legal-form'? allowed: theme, "
        "legal-form, instrument, target-group, sector, practice-type, actor, concept)",
        "16: cooperative.labels.en: label 'Social Cooperative' also belongs to 'social-cooperative' (hint: a label "
        "may belong to one concept per language: keep it in one of them)",
        "20: no-english.labels: has no English label (hint: add en: [...]: the English labels are what the entries "
        "are searched for)",
        "21: cooperative: id is used by another concept (hint: give each concept its own id)",
        "25: concepts[5]: expected `id:`, `kind:` and `labels:` (hint: start the item with - id:)",
    ]
    assert sorted(found.concepts) == ["cooperative", "social-cooperative"]  # the rest is reported, not lost
    assert found.concepts["social-cooperative"].labels["de"] == ("Sozialgenossenschaft",)
    warnings = [p for p in problems if p.severity == "warning"]
    assert warnings and all("no labels in" in p.message for p in warnings)


def test_malformed_yaml_is_located() -> None:
    path = DATA / "thesauri" / "bad-yaml.yaml"
    found, problems = read_thesaurus(path, None)
    assert not found.concepts
    assert [p.format() for p in problems] == [
        f"{path}:4: thesaurus: not valid YAML: did not find expected '-' indicator (hint: check quotes, colons and "
        "indentation (spaces, not tabs))"
    ]


def test_kb_validate_reports_the_thesaurus_too(tmp_path: Path) -> None:
    content = tmp_path / "practices"
    content.mkdir()
    shutil.copy(DATA / "taxonomy.yaml", content / "taxonomy.yaml")
    shutil.copy(PROBLEMS, content / "thesaurus.yaml")
    result = CliRunner().invoke(cli, ["validate"], env={"KB_CONTENT_DIR": str(content)})
    assert result.exit_code == 1
    assert (
        f"{content / 'thesaurus.yaml'}:8: social-cooperative.labels: unknown language 'xx'" in result.stdout
    )
    alone = CliRunner().invoke(
        cli, ["validate", str(DATA / "thesaurus.yaml")], env={"KB_CONTENT_DIR": str(content)}
    )
    assert alone.exit_code == 0 and "warning: no labels in nl" in alone.stdout


@pytest.fixture(scope="module")
def expander() -> crosslingual.Expander:
    found, _problems = read_thesaurus(DATA / "thesaurus.yaml", None)
    return crosslingual.Expander(crosslingual.build(found))


@pytest.mark.parametrize(
    ("typed", "concept"),
    [("Sozialgenossenschaft", "social-cooperative"), ("Sozialgenossenschaften", "social-cooperative"),
     ("sozialen Genossenschaften", "social-cooperative"), ("SOZIALGENOSSENSCHAFT", "social-cooperative"),
     ("κοινωνικών επιχειρήσεων", "social-enterprise"), ("κοινωνικη επιχειρηση", "social-enterprise"),
     ("социалните предприятия", "social-enterprise"), ("sociālajiem uzņēmumiem", "social-enterprise"),
     ("socialajiem uznemumiem", "social-enterprise"), ("Menschen mit Behinderungen", "people-with-disabilities"),
     ("ΑμεΑ", "people-with-disabilities"), ("social co-operatives", "social-cooperative")],
)  # fmt: skip
def test_labels_are_found_inflected_and_without_accents(
    expander: crosslingual.Expander, typed: str, concept: str
) -> None:
    found = expander.find(crosslingual.words(typed))
    assert [(f.concept, f.start, f.end) for f in found] == [(concept, 0, len(crosslingual.words(typed)))]


def test_words_between_labels_and_the_concept_cap(expander: crosslingual.Expander) -> None:
    found = expander.find(crosslingual.words("Bäckerei für Menschen mit Behinderung"))
    assert [(f.concept, f.start, f.end) for f in found] == [
        ("bakery", 0, 1),
        ("people-with-disabilities", 2, 5),
    ]
    many = expander.find(crosslingual.words("Bäckerei Sozialunternehmen ΑμεΑ Sozialgenossenschaft пекарна"))
    assert len(many) == crosslingual.MAX_CONCEPTS == 4
    assert (
        expander.find(crosslingual.words("Genossenschaft Behinderung")) == []
    )  # half a label is not a label


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, SearchEngine]]:
    """Three entries and the test thesaurus, indexed once for the module (building the map takes seconds); the
    last test changes the thesaurus, so it runs last."""
    base = tmp_path_factory.mktemp("crosslingual")
    content = base / "practices"
    content.mkdir()
    shutil.copy(DATA / "taxonomy.yaml", content / "taxonomy.yaml")
    write = functools.partial(write_entry_file, content)
    write("social-coop-bakery", title="Social cooperative bakery", summary="A bakery run as a social cooperative.",
          body="People with disabilities bake bread in a social cooperative.")  # fmt: skip
    write("genossenschaft-page", title="Sozialgenossenschaft Musterstadt", summary="A German name in the title.",
          body="The Sozialgenossenschaft Musterstadt runs a canteen.")  # fmt: skip
    write("repair", title="Repair café", summary="Neighbours repair things.", body="Bicycles and clothes.")
    shutil.copy(DATA / "thesaurus.yaml", content / "thesaurus.yaml")
    settings = Settings(content_dir=content, index_dir=base / "index")
    summary = reindex(settings, full=True)
    assert summary.failed == 0 and (settings.index_dir / crosslingual.MAP_FILE).exists()
    found = SearchEngine(settings.index_dir, load_taxonomy(settings.taxonomy_path))
    yield settings, found
    found.close()


@pytest.fixture
def engine(indexed: tuple[Settings, SearchEngine]) -> SearchEngine:
    return indexed[1]


def test_a_word_in_another_language_finds_the_english_entry(engine: SearchEngine) -> None:
    typed = engine.search(SearchRequest(q="Sozialgenossenschaft"))
    assert [h.slug for h in typed.hits] == [
        "genossenschaft-page",
        "social-coop-bakery",
    ]  # the typed word first
    results = engine.search(
        SearchRequest(q="Sozialgenossenschaften")
    )  # inflected: found through the thesaurus
    assert sorted(h.slug for h in results.hits) == ["genossenschaft-page", "social-coop-bakery"]
    assert [(e.typed, e.concept, e.language) for e in results.expansions] == [
        ("Sozialgenossenschaften", "social-cooperative", "de")]  # fmt: skip
    assert results.expansions[0].searched == ["social cooperative", "social co-operative"]
    assert results.expansions[0].label == "social cooperative"
    assert engine.search(SearchRequest(q="Sozialgenossenschaften", lang="de")).expansions[0].label == (
        "Sozialgenossenschaft")  # fmt: skip
    greek = engine.search(SearchRequest(q="κοινωνικός συνεταιρισμός"))
    # The English labels find the English entry, the German label the entry with a German name.
    assert (
        sorted(h.slug for h in greek.hits) == ["genossenschaft-page", "social-coop-bakery"]
        and not greek.relaxed
    )


def test_expansion_can_be_turned_off(engine: SearchEngine) -> None:
    off = engine.search(SearchRequest(q="κοινωνικός συνεταιρισμός", expand=False))
    assert off.total == 0 and off.expansions == [] and not off.expand


def test_recognised_words_are_not_corrected(engine: SearchEngine) -> None:
    results = engine.search(SearchRequest(q="behinderte Menschen"))  # "Menschen" is close to no English word
    assert results.suggestion is None and [h.slug for h in results.hits] == ["social-coop-bakery"]


def test_the_map_is_rebuilt_only_when_the_thesaurus_changes(indexed: tuple[Settings, SearchEngine]) -> None:
    settings, engine = indexed
    path = settings.index_dir / crosslingual.MAP_FILE
    before = path.stat().st_mtime_ns
    reindex(settings)
    assert path.stat().st_mtime_ns == before
    thesaurus = settings.content_dir / "thesaurus.yaml"
    thesaurus.write_text(
        thesaurus.read_text(encoding="utf-8").replace("[bakery]", "[bakery, bakehouse]"), encoding="utf-8"
    )
    reindex(settings)
    assert path.stat().st_mtime_ns != before
    assert engine.search(SearchRequest(q="bakehouse")).total == 1  # the running engine sees the new map
    thesaurus.unlink()
    reindex(settings)
    assert not path.exists() and engine.search(SearchRequest(q="κοινωνικός συνεταιρισμός")).total == 0
